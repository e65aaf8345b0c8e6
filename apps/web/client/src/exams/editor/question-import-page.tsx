import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function QuestionImportPage() {
  const { t } = useT();
  return (
    <Page title={t('examEditor.title')}>
      <p>{t('pages.comingSoon')}</p>
    </Page>
  );
}
