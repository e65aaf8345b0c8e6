import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function DemandRequestPage({ requestId }: { requestId: string }) {
  const { t } = useT();
  void requestId;
  return <Page title={t('pages.comingSoon')} />;
}
