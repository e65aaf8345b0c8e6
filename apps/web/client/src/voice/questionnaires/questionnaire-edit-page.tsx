import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function QuestionnaireEditPage({ questionnaireId }: { questionnaireId?: string }) {
  const { t } = useT();
  void questionnaireId;
  return <Page title={t('pages.comingSoon')} />;
}
