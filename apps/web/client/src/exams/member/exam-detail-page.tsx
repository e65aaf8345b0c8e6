import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function ExamDetailPage(_props: { examId: string }) {
  const { t } = useT();
  return (
    <Page title={t('examTake.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
