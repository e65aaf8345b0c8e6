import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { usePath } from '../router/router.js';

const tabs = [
  { href: '/organisation', key: 'orgNav.units' },
  { href: '/organisation/members', key: 'orgNav.members' },
  { href: '/organisation/import', key: 'orgNav.import' },
  { href: '/organisation/classes', key: 'orgNav.classes' },
  { href: '/organisation/transfers', key: 'orgNav.transfers' },
  { href: '/organisation/settings', key: 'orgNav.settings' },
] as const;

/** The organisation section's pages, as a row of links that wraps on a phone. */
export function OrgNav() {
  const { t } = useT();
  const path = usePath();
  // The longest matching prefix is current, so /organisation/members/123 marks "Members".
  const current = tabs
    .filter((tab) => path === tab.href || path.startsWith(`${tab.href}/`))
    .reduce<string | null>((best, tab) => (!best || tab.href.length > best.length ? tab.href : best), null);
  return (
    <nav class="subnav" aria-label={t('orgNav.label')}>
      <ul class="subnav__list">
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link href={tab.href} class="subnav__link" current={tab.href === current}>
              {t(tab.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
