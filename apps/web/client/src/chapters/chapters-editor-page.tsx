import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

export function ChaptersEditorPage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  return (
    <Page title={t('chapters.title')}>
      <p data-lectureId={lectureId} />
    </Page>
  );
}
