import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

export function CaptionsEditorPage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  return (
    <Page title={t('captions.title')}>
      <p data-lectureId={lectureId} />
    </Page>
  );
}
