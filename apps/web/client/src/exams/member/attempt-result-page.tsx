import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function AttemptResultPage(_props: { attemptId: string }) {
  const { t } = useT();
  return (
    <Page title={t('examTake.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
