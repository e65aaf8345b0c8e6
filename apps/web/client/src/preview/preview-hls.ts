import type { HlsConfig } from 'hls.js';
import { slowLinkConfig } from '../player/hls-config.js';

/**
 * hls.js settings for an editor's preview of a set that is still being encoded. Its media playlists
 * are EVENT playlists that grow until ENDLIST, which hls.js treats as live: left alone it would start
 * at the live edge and chase it. A preview starts at the beginning, stays wherever the editor is,
 * and simply waits at the end of what is encoded until the playlist grows.
 */
export function previewHlsConfig(): Partial<HlsConfig> {
  return {
    ...slowLinkConfig(),
    // The page starts loading itself, at 0, once the levels are known.
    autoStartLoad: false,
    startPosition: 0,
    // Never jump towards the live edge, never speed up to catch it. hls.js accepts the first only
    // together with the second (its default), and only when it is the greater.
    liveSyncDurationCount: 3,
    liveMaxLatencyDurationCount: Infinity,
    maxLiveSyncPlaybackRate: 1,
    // The element's duration is what is encoded so far, not Infinity, so the seek bar means something.
    liveDurationInfinity: false,
    // One segment per rendition is enough to begin.
    initialLiveManifestSize: 1,
  };
}

/** What a (re)loaded media playlist says: how much is encoded, and whether it is complete. */
export interface PlaylistFacts {
  /** Seconds of media in the playlist so far. */
  encodedSec: number;
  /** ENDLIST is there: the set is complete and will not grow. */
  complete: boolean;
}

/** From hls.js's LevelDetails (`totalduration`, `live`, `endSN`…): `live` is false exactly when ENDLIST arrived. */
export function playlistFacts(details: { totalduration: number; live: boolean }): PlaylistFacts {
  const encodedSec = Number.isFinite(details.totalduration) && details.totalduration > 0 ? details.totalduration : 0;
  return { encodedSec, complete: !details.live };
}

/**
 * hls.js reloads only the playing rendition's playlist; after a quality switch the figure never goes
 * backwards. A set is complete once a playlist carries ENDLIST (the finished set replaces them all together).
 */
export function mergeFacts(previous: PlaylistFacts | null, next: PlaylistFacts): PlaylistFacts {
  if (!previous) return next;
  if (next.complete) return next;
  if (previous.complete) return previous;
  return { encodedSec: Math.max(previous.encodedSec, next.encodedSec), complete: false };
}
