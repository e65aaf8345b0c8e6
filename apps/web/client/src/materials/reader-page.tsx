import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

export function MaterialReaderPage({ materialId }: { materialId: string }) {
  const { t } = useT();
  return (
    <Page title={t('materials.title')}>
      <p data-materialId={materialId} />
    </Page>
  );
}
