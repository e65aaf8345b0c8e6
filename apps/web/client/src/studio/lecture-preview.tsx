import { openPlayback } from '../api/catalog.js';
import { Alert } from '../components/alert.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Player } from '../player/player.js';

/** The member's player, for an editor checking a lecture before publishing. */
export function LecturePreview({ lectureId, title }: { lectureId: string; title: string }) {
  const { t } = useT();
  const playback = useResource(() => openPlayback(lectureId), [lectureId]);
  return (
    <div class="lecture-preview">
      <Alert message={playback.error && t(playback.error)} />
      {playback.loading && (
        <p class="status" role="status">
          {t('lecture.opening')}
        </p>
      )}
      {playback.data && <Player session={playback.data} title={title} reopen={() => openPlayback(lectureId)} />}
    </div>
  );
}
