import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function ExamReportPage(_props: { examId: string }) {
  const { t } = useT();
  return (
    <Page title={t('examAdmin.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
