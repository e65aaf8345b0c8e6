import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function ExamListPage() {
  const { t } = useT();
  return (
    <Page title={t('examEditor.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
