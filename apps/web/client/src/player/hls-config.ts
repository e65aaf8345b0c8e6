import type { HlsConfig } from 'hls.js';

/** The smallest picture height worth starting on; below it text on slides is unreadable. */
export const START_MIN_HEIGHT = 360;

/**
 * hls.js settings for slow rural links: start low and let the bandwidth estimate climb, never fetch
 * more pixels than the player shows, and keep a modest buffer so a closed page wastes little data.
 */
export function slowLinkConfig(): Partial<HlsConfig> {
  return {
    // The page calls startLoad() itself once the start level and position are known.
    autoStartLoad: false,
    capLevelToPlayerSize: true,
    // A conservative first guess (bits/s) until real segments have been measured.
    abrEwmaDefaultEstimate: 400_000,
    maxBufferLength: 20,
    maxMaxBufferLength: 40,
    maxBufferSize: 20 * 1000 * 1000,
    backBufferLength: 30,
    enableWorker: true,
    lowLatencyMode: false,
  };
}

interface LevelFacts {
  width: number;
  height: number;
  bitrate: number;
}

/** "360p" means a 360-pixel short side, for portrait phone recordings as much as for landscape ones. */
export function shortSide({ width, height }: Pick<LevelFacts, 'width' | 'height'>): number {
  return width > 0 && height > 0 ? Math.min(width, height) : height;
}

/** Index into hls.levels of the lowest level of at least 360p, else the cheapest level. */
export function startLevelFor(levels: readonly LevelFacts[]): number {
  let best = -1;
  let cheapest = -1;
  levels.forEach((level, index) => {
    if (cheapest === -1 || level.bitrate < levels[cheapest]!.bitrate) cheapest = index;
    const side = shortSide(level);
    if (side >= START_MIN_HEIGHT && (best === -1 || side < shortSide(levels[best]!))) best = index;
  });
  return best !== -1 ? best : Math.max(cheapest, 0);
}
