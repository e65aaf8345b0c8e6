import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

export function NotFoundPage({ homePath }: { homePath: string }) {
  const { t } = useT();
  return (
    <Page title={t('pages.notFound')}>
      <p>
        <Link href={homePath} class="button">
          {t('pages.backHome')}
        </Link>
      </p>
    </Page>
  );
}
