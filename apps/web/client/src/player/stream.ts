import type Hls from 'hls.js';
import type { ErrorData } from 'hls.js';
import { shortSide, slowLinkConfig, startLevelFor } from './hls-config.js';

export interface QualityLevel {
  /** Index into hls.levels. */
  index: number;
  /** Short side in pixels: the "360" of "360p". */
  height: number;
}

export interface StreamEvents {
  onLevels(levels: QualityLevel[]): void;
  /** The level now playing (its short side), whether chosen or automatic. */
  onLevelSwitched(height: number | null): void;
  /** The signed address was refused (403) or has expired (410): a new playback session is needed. */
  onExpired(): void;
  /** `unsupported`: neither hls.js (no Media Source Extensions) nor the browser's own HLS can play it. */
  onFatal(kind: 'network' | 'media' | 'unsupported'): void;
  /** A segment arrived, so the current addresses work. */
  onSegmentLoaded(): void;
}

export interface Stream {
  /** Starts fetching segments from `positionSec`; until then only the playlist is loaded, to spare data. */
  start(positionSec: number): void;
  /** -1 for automatic. */
  setLevel(index: number): void;
  destroy(): void;
}

function httpStatus(data: ErrorData): number | undefined {
  const details = data.networkDetails as { status?: unknown } | null | undefined;
  return data.response?.code ?? (typeof details?.status === 'number' ? details.status : undefined);
}

export type StreamEngine = 'hls.js' | 'native' | 'none';

/**
 * Which engine plays HLS here: hls.js where Media Source Extensions exist (MediaSource, or Safari's
 * ManagedMediaSource), else the browser's own HLS (older iPhones; browsers without MSE that play
 * .m3u8 themselves), else none.
 */
export function chooseEngine(hlsSupported: boolean, canPlayNative: string): StreamEngine {
  if (hlsSupported) return 'hls.js';
  return canPlayNative === 'probably' || canPlayNative === 'maybe' ? 'native' : 'none';
}

export async function openStream(video: HTMLVideoElement, url: string, events: StreamEvents): Promise<Stream> {
  const { default: HlsClass } = await import('hls.js');
  const engine = chooseEngine(HlsClass.isSupported(), video.canPlayType('application/vnd.apple.mpegurl'));
  video.dataset.engine = engine;
  if (engine === 'hls.js') return hlsStream(HlsClass, video, url, events);
  if (engine === 'native') return nativeStream(video, url, events);
  events.onFatal('unsupported');
  return { start() {}, setLevel() {}, destroy() {} };
}

function hlsStream(HlsClass: typeof Hls, video: HTMLVideoElement, url: string, events: StreamEvents): Stream {
  const hls = new HlsClass(slowLinkConfig());
  const { Events, ErrorTypes } = HlsClass;
  let parsed = false;
  let pendingStart: number | null = null;
  let mediaRecoveries = 0;

  const begin = (position: number) => {
    hls.startLevel = startLevelFor(hls.levels);
    hls.startLoad(position);
  };

  hls.on(Events.MANIFEST_PARSED, () => {
    parsed = true;
    const levels = hls.levels
      .map((level, index) => ({ index, height: shortSide(level) }))
      .filter((level) => level.height > 0)
      .sort((a, b) => b.height - a.height);
    events.onLevels(levels);
    if (pendingStart !== null) begin(pendingStart);
  });
  hls.on(Events.LEVEL_SWITCHED, (_event, data) => {
    const level = hls.levels[data.level];
    events.onLevelSwitched(level ? shortSide(level) : null);
  });
  hls.on(Events.FRAG_LOADED, () => events.onSegmentLoaded());
  hls.on(Events.ERROR, (_event, data) => {
    const status = httpStatus(data);
    if (data.type === ErrorTypes.NETWORK_ERROR && (status === 403 || status === 410)) {
      hls.stopLoad();
      events.onExpired();
      return;
    }
    if (!data.fatal) return;
    if (data.type === ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
      mediaRecoveries += 1;
      hls.recoverMediaError();
      return;
    }
    events.onFatal(data.type === ErrorTypes.NETWORK_ERROR ? 'network' : 'media');
  });

  hls.loadSource(url);
  hls.attachMedia(video);
  return {
    start(position) {
      if (parsed) begin(position);
      else pendingStart = position;
    },
    setLevel(index) {
      // nextLevel switches at the next segment without throwing away what is buffered.
      hls.nextLevel = index;
    },
    destroy() {
      hls.destroy();
    },
  };
}

function nativeStream(video: HTMLVideoElement, url: string, events: StreamEvents): Stream {
  let failedOnce = false;
  const onError = () => {
    // Safari does not say why; the first network failure is treated as an expired address.
    if (video.error?.code === MediaError.MEDIA_ERR_NETWORK && !failedOnce) {
      failedOnce = true;
      events.onExpired();
    } else events.onFatal(video.error?.code === MediaError.MEDIA_ERR_NETWORK ? 'network' : 'media');
  };
  const onLoaded = () => events.onSegmentLoaded();
  video.addEventListener('error', onError);
  video.addEventListener('loadeddata', onLoaded);
  events.onLevels([]);
  return {
    start(position) {
      video.src = url;
      if (position > 0) {
        video.addEventListener('loadedmetadata', () => (video.currentTime = position), { once: true });
      }
    },
    setLevel() {},
    destroy() {
      video.removeEventListener('error', onError);
      video.removeEventListener('loadeddata', onLoaded);
      video.removeAttribute('src');
      video.load();
    },
  };
}
