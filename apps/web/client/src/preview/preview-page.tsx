import { useEffect, useRef, useState } from 'preact/hooks';
import type { LecturePreviewView } from '#contracts';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { ProgressBar } from '../components/progress-bar.js';
import { clock } from '../format/format.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { editorHref } from '../studio/studio-page.js';
import { encodingStatusText } from './encoding-status.js';
import { getLecturePreview, getPreviewAsset, openPreviewPlayback, type PreviewAsset, type PreviewSession } from './preview-api.js';
import type { PlaylistFacts } from './preview-hls.js';
import { PreviewPlayer, type PreviewProblem } from './preview-player.js';
import './preview.css';

/** How often the page asks again while the lecture is not previewable yet, and for the encoding progress. */
const POLL_MS = 3000;

/** Calls `tick` now and every `ms` while `active`; a slow answer is never overlapped by the next call. */
function usePolling(active: boolean, tick: () => Promise<unknown>, deps: unknown[]): void {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      tick()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(run, POLL_MS);
        });
    };
    run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, ...deps]);
}

/**
 * The editor's preview of a lecture, playable while its media is still being encoded: it starts at
 * 0:00, plays on as the set grows, says how much is encoded, and turns into the finished lecture at ENDLIST.
 */
export function LecturePreviewPage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  const [view, setView] = useState<LecturePreviewView | null>(null);
  const [session, setSession] = useState<PreviewSession | null>(null);
  const [asset, setAsset] = useState<PreviewAsset | null>(null);
  const [playlist, setPlaylist] = useState<PlaylistFacts | null>(null);
  const [waiting, setWaiting] = useState(false);
  const [problem, setProblem] = useState<ErrorKey | `preview.${PreviewProblem}` | null>(null);
  const renewing = useRef(false);

  const playable = view?.state === 'previewable' || view?.state === 'ready';
  // Until something plays, ask again: the first segments of a long lecture arrive within seconds.
  usePolling(
    !playable && view?.state !== 'failed' && problem === null,
    async () => {
      try {
        setView(await getLecturePreview(lectureId));
      } catch (failure) {
        setProblem(errorKey(failure));
      }
    },
    [lectureId],
  );

  useEffect(() => {
    if (!playable || session) return;
    openPreviewPlayback(lectureId).then(setSession, (failure: unknown) => setProblem(errorKey(failure)));
  }, [playable, lectureId]);

  const complete =
    playlist?.complete === true ||
    asset?.status === 'ready' ||
    (session !== null && session.stillEncoding !== true && view?.state === 'ready');
  usePolling(!!view?.assetId && !complete && problem === null, async () => setAsset(await getPreviewAsset(view!.assetId!)), [
    view?.assetId,
  ]);

  const renew = () => {
    if (renewing.current) return;
    renewing.current = true;
    openPreviewPlayback(lectureId)
      .then(setSession, (failure: unknown) => setProblem(errorKey(failure)))
      .finally(() => (renewing.current = false));
  };

  const title = session ? t('preview.heading', { title: session.lectureTitle }) : t('preview.title');
  const encodedSec = playlist?.encodedSec ?? 0;
  const percent = asset?.encodedPercent ?? asset?.progress.percent ?? null;
  const facts = {
    previewable: true,
    encodedPercent: percent,
    etaSeconds: asset?.etaSeconds ?? asset?.progress.etaSeconds ?? null,
  };

  return (
    <Page title={title}>
      <div class="preview-page">
        <p>
          {session ? <Link href={editorHref(session.courseId)}>{t('preview.back')}</Link> : <Link href="/studio">{t('studio.back')}</Link>}
        </p>
        <Alert message={problem && t(problem)} />
        {!view && !problem && (
          <p class="status" role="status">
            {t('preview.opening')}
          </p>
        )}
        {view?.state === 'none' && (
          <p class="media-state" role="status">
            {t('preview.notYet')}
          </p>
        )}
        {view?.state === 'failed' && (
          <p class="media-state media-state--problem" role="alert">
            {t('preview.failed')}
          </p>
        )}
        {session && (
          <>
            <PreviewPlayer
              url={session.masterUrl}
              label={t('preview.playerLabel', { title: session.lectureTitle })}
              onPlaylist={setPlaylist}
              onExpired={renew}
              onProblem={(kind) => setProblem(`preview.${kind}`)}
              onWaiting={setWaiting}
            />
            <div class="preview-page__facts">
              {complete ? (
                <p class="media-state media-state--ready" role="status" data-preview-state="complete">
                  {t('preview.complete')}
                </p>
              ) : (
                <>
                  <p class="preview-page__encoded" data-preview-state="encoding" data-encoded-sec={Math.floor(encodedSec)}>
                    {t('preview.encodedUpTo', { time: clock(encodedSec) })}
                    {session.durationSec > 0 && <span class="preview-page__of"> / {clock(session.durationSec)}</span>}
                  </p>
                  <ProgressBar
                    label={t('preview.progressLabel')}
                    percent={percent}
                    valueText={encodingStatusText((key, values) => t(key, values), facts)}
                    tone="process"
                  />
                  <p class="preview-page__status">{encodingStatusText((key, values) => t(key, values), facts)}</p>
                  <p class="hint">{t('preview.stillEncoding')}</p>
                  {waiting && (
                    <p class="media-state" role="status">
                      {t('preview.waitingForMore')}
                    </p>
                  )}
                </>
              )}
            </div>
          </>
        )}
      </div>
    </Page>
  );
}
