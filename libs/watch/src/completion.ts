import { clampIntervals, measureMs, secToMs, type Interval } from './intervals.js';

/** Share of a lecture a member must have covered to count it as completed (intros/credits may be skipped). */
export const DEFAULT_COMPLETION_THRESHOLD = 0.95;

/** Covered share of `[0, durationSec)` in 0..1; a lecture of unknown or zero length counts as 0 covered. */
export function coverageRatio(coverage: readonly Interval[], durationSec: number): number {
  const durationMs = Number.isFinite(durationSec) ? secToMs(durationSec) : 0;
  if (durationMs <= 0) return 0;
  // Division (not `covered >= threshold * duration`) so that e.g. 95 of 100 s meets 0.95 exactly.
  return measureMs(clampIntervals(coverage, 0, durationSec)) / durationMs;
}

export function isCompleted(coverage: readonly Interval[], durationSec: number, threshold: number = DEFAULT_COMPLETION_THRESHOLD): boolean {
  return isCompletedAt(coverageRatio(coverage, durationSec), durationSec, threshold);
}

/** `isCompleted` for a coverage whose `coverageRatio` is already known. */
export function isCompletedAt(ratio: number, durationSec: number, threshold: number = DEFAULT_COMPLETION_THRESHOLD): boolean {
  // A lecture whose length is not known yet (e.g. still transcoding) cannot be completed.
  if (!(durationSec > 0) || !Number.isFinite(durationSec)) return false;
  return ratio >= threshold;
}
