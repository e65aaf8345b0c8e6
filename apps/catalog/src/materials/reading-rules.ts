import { READING_LIMITS } from '#contracts';

/**
 * How much of a reading report is credited (pure; the service applies it under a row lock).
 *
 * The reader claims the seconds its page was visible since its previous report. The server credits at most
 * the wall time of its own clock since the previous accepted report of the same member and material, plus what
 * earlier gaps left unspent (`spareMs`, at most 30 s, so an early report borrows what a late one left), and at
 * most `maxReportSec`. So, over any run of reports, the seconds credited never exceed the wall time since the
 * material was first opened: two screens open at once, a forged claim or a clock run fast earn no more.
 * The first report (no record yet) opens the record and credits nothing.
 */
export interface ReadingCreditInput {
  claimedSec: number;
  /** Server time of the previous accepted report; null for the first. */
  previousMs: number | null;
  nowMs: number;
  /** Unspent wall time carried from earlier reports (0 … MAX_SPARE_MS). */
  spareMs: number;
}

export interface ReadingCredit {
  creditSec: number;
  /** Carried to the next report. */
  spareMs: number;
}

export const MAX_SPARE_MS = 30_000;

export function creditReading({ claimedSec, previousMs, nowMs, spareMs }: ReadingCreditInput): ReadingCredit {
  if (previousMs === null) return { creditSec: 0, spareMs: 0 };
  const gapMs = Math.max(0, nowMs - previousMs);
  const allowanceMs = gapMs + clamp(spareMs, 0, MAX_SPARE_MS);
  const claimed = Number.isFinite(claimedSec) ? Math.max(0, Math.floor(claimedSec)) : 0;
  const creditSec = Math.min(claimed, READING_LIMITS.maxReportSec, Math.floor(allowanceMs / 1000));
  return { creditSec, spareMs: clamp(allowanceMs - creditSec * 1000, 0, MAX_SPARE_MS) };
}

/** Whether a material's reading on a plan's days makes it read for the plan: at least N minutes. */
export const isRead = (secondsOnPlanDays: number, readMinutes: number | null): boolean =>
  readMinutes !== null && secondsOnPlanDays >= readMinutes * 60;

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));
