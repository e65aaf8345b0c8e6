import type { TranscodeProgress } from '#contracts';

/**
 * Decides which progress reports are worth a database write: at most one per `intervalMs`, never a
 * step backwards, and the first one at once. Pure, so the clock is passed in.
 */
export class ProgressThrottle {
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastPercent = -1;

  constructor(private readonly intervalMs: number) {}

  shouldWrite(progress: TranscodeProgress, now: number): boolean {
    if (progress.percent <= this.lastPercent) return false;
    if (now - this.lastWriteAt < this.intervalMs) return false;
    this.lastWriteAt = now;
    this.lastPercent = progress.percent;
    return true;
  }
}

/** Overall progress: the HLS encode is nearly all the work; remux, poster and thumbnails take the last few percent. */
export const PROGRESS_STAGES = {
  encodeEnd: 95,
  download: 96,
  poster: 97,
  thumbnails: 98,
  publish: 99,
} as const;

export function encodePercent(hlsPercent: number | null): number | null {
  if (hlsPercent === null) return null;
  return Math.round(Math.min(100, Math.max(0, hlsPercent)) * PROGRESS_STAGES.encodeEnd) / 100;
}
