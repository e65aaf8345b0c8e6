import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

export function ReflectionEditPage({ reflectionId }: { reflectionId?: string }) {
  const { t } = useT();
  void reflectionId;
  return <Page title={t('pages.comingSoon')} />;
}
