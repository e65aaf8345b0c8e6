import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function ReviewPage({ reflectionId }: { reflectionId: string }) {
  const { t } = useT();
  void reflectionId;
  return <Page title={t('pages.comingSoon')} />;
}
