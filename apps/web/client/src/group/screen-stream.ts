import { slowLinkConfig, startLevelFor } from '../player/hls-config.js';
import { chooseEngine } from '../player/stream.js';

export interface ScreenStream {
  destroy(): void;
}

export interface ScreenStreamEvents {
  /** The signed address was refused or expired: ask for a new one. */
  onExpired(): void;
  onFatal(kind: 'network' | 'media' | 'unsupported'): void;
  /** A segment arrived: the current address works. */
  onSegmentLoaded(): void;
}

/**
 * The room screen's stream: hls.js where Media Source Extensions exist, else the browser's own HLS. Unlike a member's
 * player it loads at once (the room is waiting), and it reports nothing for any member.
 */
export async function openScreenStream(video: HTMLVideoElement, url: string, events: ScreenStreamEvents): Promise<ScreenStream> {
  const { default: Hls } = await import('hls.js');
  const engine = chooseEngine(Hls.isSupported(), video.canPlayType('application/vnd.apple.mpegurl'));
  video.dataset.engine = engine;
  if (engine === 'none') {
    events.onFatal('unsupported');
    return { destroy() {} };
  }
  if (engine === 'native') {
    const onError = () => events.onFatal(video.error?.code === MediaError.MEDIA_ERR_NETWORK ? 'network' : 'media');
    const onLoaded = () => events.onSegmentLoaded();
    video.addEventListener('error', onError);
    video.addEventListener('loadeddata', onLoaded);
    video.src = url;
    return {
      destroy() {
        video.removeEventListener('error', onError);
        video.removeEventListener('loadeddata', onLoaded);
        video.removeAttribute('src');
        video.load();
      },
    };
  }
  const hls = new Hls({ ...slowLinkConfig(), autoStartLoad: true, maxBufferLength: 30 });
  let recoveries = 0;
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    hls.startLevel = startLevelFor(hls.levels);
  });
  hls.on(Hls.Events.FRAG_LOADED, () => events.onSegmentLoaded());
  hls.on(Hls.Events.ERROR, (_event, data) => {
    const status = data.response?.code;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR && (status === 403 || status === 410)) {
      hls.stopLoad();
      events.onExpired();
      return;
    }
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries < 2) {
      recoveries += 1;
      hls.recoverMediaError();
      return;
    }
    events.onFatal(data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'network' : 'media');
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return { destroy: () => hls.destroy() };
}
