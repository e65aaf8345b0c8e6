import { ENCODE_END_PERCENT, type TranscodeProgress } from '#contracts';

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

/**
 * Overall progress: the HLS encode is nearly all the work; remuxing the offline files (one ffmpeg
 * run, stream copy only) takes 94–97, poster and thumbnails the last few percent.
 */
export const PROGRESS_STAGES = {
  encodeEnd: ENCODE_END_PERCENT,
  download: 94,
  downloadEnd: 97,
  poster: 97.5,
  thumbnails: 98,
  publish: 99,
} as const;

export function encodePercent(hlsPercent: number | null): number | null {
  return stagePercent(hlsPercent, 0, PROGRESS_STAGES.encodeEnd);
}

/** The download remux's own 0–100 mapped onto its stage. */
export function downloadPercent(remuxPercent: number | null): number | null {
  return stagePercent(remuxPercent, PROGRESS_STAGES.download, PROGRESS_STAGES.downloadEnd);
}

function stagePercent(percent: number | null, from: number, to: number): number | null {
  if (percent === null) return null;
  return Math.round((from + (Math.min(100, Math.max(0, percent)) * (to - from)) / 100) * 100) / 100;
}
