import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

export function ParticipatePage() {
  const { t } = useT();
  return <Page title={t('pages.comingSoon')} />;
}
