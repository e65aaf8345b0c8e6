import type Hls from 'hls.js';
import { useEffect, useRef } from 'preact/hooks';
import { startLevelFor } from '../player/hls-config.js';
import { chooseEngine } from '../player/stream.js';
import { mergeFacts, playlistFacts, previewHlsConfig, type PlaylistFacts } from './preview-hls.js';

export type PreviewProblem = 'errorNetwork' | 'errorMedia';

interface PreviewPlayerProps {
  url: string;
  label: string;
  /** Every reload of the playing rendition's playlist: how much is encoded, whether it is complete. */
  onPlaylist(facts: PlaylistFacts): void;
  /** The signed links were refused or expired (403/410): the page opens a new session. */
  onExpired(): void;
  onProblem(problem: PreviewProblem): void;
  /** Playback reached the end of what is encoded and waits for more (true), or plays on (false). */
  onWaiting(waiting: boolean): void;
}

/**
 * The editor's preview: the browser's own controls over hls.js, started at 0:00 rather than at the
 * live edge of the growing EVENT playlists, playing on as they grow until ENDLIST.
 */
export function PreviewPlayer({ url, label, onPlaylist, onExpired, onProblem, onWaiting }: PreviewPlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const handlers = useRef({ onPlaylist, onExpired, onProblem, onWaiting });
  handlers.current = { onPlaylist, onExpired, onProblem, onWaiting };

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let hls: Hls | null = null;
    let cancelled = false;
    let facts: PlaylistFacts | null = null;
    let mediaRecoveries = 0;
    const report = (next: PlaylistFacts) => {
      facts = mergeFacts(facts, next);
      handlers.current.onPlaylist(facts);
    };
    const onWaitingEvent = () => handlers.current.onWaiting(true);
    const onPlaying = () => handlers.current.onWaiting(false);
    el.addEventListener('waiting', onWaitingEvent);
    el.addEventListener('playing', onPlaying);

    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      const engine = chooseEngine(HlsClass.isSupported(), el.canPlayType('application/vnd.apple.mpegurl'));
      el.dataset.engine = engine;
      if (engine === 'none') return handlers.current.onProblem('errorMedia');
      if (engine === 'native') {
        // Safari's own HLS also starts a growing playlist at its live edge: go back to the start once.
        el.addEventListener('loadedmetadata', () => (el.currentTime = 0), { once: true });
        el.addEventListener('durationchange', () => {
          const end = el.seekable.length ? el.seekable.end(el.seekable.length - 1) : 0;
          report({ encodedSec: Number.isFinite(el.duration) ? el.duration : end, complete: Number.isFinite(el.duration) });
        });
        el.src = url;
        return;
      }
      const instance = new HlsClass(previewHlsConfig());
      hls = instance;
      const { Events, ErrorTypes } = HlsClass;
      instance.on(Events.MANIFEST_PARSED, () => {
        instance.startLevel = startLevelFor(instance.levels);
        instance.startLoad(0);
      });
      instance.on(Events.LEVEL_LOADED, (_event, data) => report(playlistFacts(data.details)));
      instance.on(Events.LEVEL_UPDATED, (_event, data) => report(playlistFacts(data.details)));
      instance.on(Events.ERROR, (_event, data) => {
        const status = data.response?.code;
        if (data.type === ErrorTypes.NETWORK_ERROR && (status === 403 || status === 410)) {
          instance.stopLoad();
          handlers.current.onExpired();
          return;
        }
        if (!data.fatal) return;
        if (data.type === ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
          mediaRecoveries += 1;
          instance.recoverMediaError();
          return;
        }
        handlers.current.onProblem(data.type === ErrorTypes.NETWORK_ERROR ? 'errorNetwork' : 'errorMedia');
      });
      instance.loadSource(url);
      instance.attachMedia(el);
    });

    return () => {
      cancelled = true;
      el.removeEventListener('waiting', onWaitingEvent);
      el.removeEventListener('playing', onPlaying);
      hls?.destroy();
      if (!hls) {
        el.removeAttribute('src');
        el.load();
      }
    };
  }, [url]);

  return (
    <div class="player preview-player">
      <div class="player__stage">
        <video ref={video} class="player__video" controls playsInline preload="metadata" aria-label={label} />
      </div>
    </div>
  );
}
