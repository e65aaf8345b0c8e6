import type { Role } from '../api/types.js';
import { Page } from '../components/page.js';
import { HomeButton } from '../components/role-page.js';
import { useT } from '../i18n/use-t.js';

export function NotFoundPage({ role }: { role: Role }) {
  const { t } = useT();
  return (
    <Page title={t('pages.notFound')}>
      <p>{t('memberShell.notFound.hint')}</p>
      <p>
        <HomeButton role={role} />
      </p>
    </Page>
  );
}
