import { SubNav } from '../components/sub-nav.js';
import { useT } from '../i18n/use-t.js';

const tabs = [
  { href: '/organisation', key: 'orgNav.units' },
  { href: '/organisation/members', key: 'orgNav.members' },
  { href: '/organisation/import', key: 'orgNav.import' },
  { href: '/organisation/classes', key: 'orgNav.classes' },
  { href: '/organisation/transfers', key: 'orgNav.transfers' },
  { href: '/organisation/settings', key: 'orgNav.settings' },
] as const;

/** The organisation section's pages. */
export function OrgNav() {
  const { t } = useT();
  return <SubNav label={t('orgNav.label')} tabs={tabs.map((tab) => ({ href: tab.href, label: t(tab.key) }))} />;
}
