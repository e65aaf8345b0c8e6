import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

export function LecturePreviewPage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  return (
    <Page title={t('preview.title')}>
      <p data-lectureId={lectureId} />
    </Page>
  );
}
