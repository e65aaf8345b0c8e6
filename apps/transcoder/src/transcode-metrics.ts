import { Counter, Histogram } from 'prom-client';
import type { MediaKind } from '#contracts';
import { registry } from '#metrics';

const speed = new Histogram({
  name: 'lectern_transcode_seconds_per_media_second',
  help: 'Wall-clock seconds a finished transcode took per second of media (below 1: faster than real time).',
  labelNames: ['kind'],
  buckets: [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  registers: [registry],
});

const mediaSeconds = new Counter({
  name: 'lectern_transcode_media_seconds_total',
  help: 'Seconds of media transcoded to a ready set.',
  labelNames: ['kind'],
  registers: [registry],
});

/** Records one transcode that made its set live: `elapsedSec` from the claim to the ready update. */
export function recordTranscode(kind: MediaKind, mediaSec: number, elapsedSec: number): void {
  if (!(mediaSec > 0)) return;
  speed.observe({ kind }, elapsedSec / mediaSec);
  mediaSeconds.inc({ kind }, mediaSec);
}
