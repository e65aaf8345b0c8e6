/** Closer to either end than this, resuming is pointless: just start (or start over). */
export const RESUME_MARGIN_SEC = 5;

/** The position worth offering to resume at, or null to start from the beginning. */
export function resumeOffer(resumePositionSec: number, durationSec: number): number | null {
  if (!Number.isFinite(resumePositionSec) || resumePositionSec < RESUME_MARGIN_SEC) return null;
  if (Number.isFinite(durationSec) && durationSec > 0 && resumePositionSec > durationSec - RESUME_MARGIN_SEC) return null;
  return Math.floor(resumePositionSec);
}
