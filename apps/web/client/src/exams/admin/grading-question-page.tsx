import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function GradingQuestionPage(_props: { examId: string; questionId: string }) {
  const { t } = useT();
  return (
    <Page title={t('examAdmin.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
