/**
 * The gain from a pre-test to its post-test, by the rule of `prePostGain` in #exams (that library's copy is
 * the one to use once both are built together): only members with a result (best graded percent) in both
 * count; averages and the gain in percentage points are rounded to 2 decimals.
 */

export interface PrePostFigures {
  /** Members with both a pre-test and a post-test result. */
  paired: number;
  averageBefore: number | null;
  averageAfter: number | null;
  /** Average after minus average before, in percentage points. */
  averageGain: number | null;
}

/** Rounds to 2 decimals, halves away from zero, without binary drift (1.005 → 1.01); never returns -0. */
export function round2(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const sign = value < 0 ? -1 : 1;
  const rounded = sign * Number(`${Math.round(Number(`${Math.abs(value)}e2`))}e-2`);
  return rounded === 0 ? 0 : rounded;
}

export function prePostGain(pairs: ReadonlyArray<{ before: number | null; after: number | null }>): PrePostFigures {
  const both = pairs.filter(
    (pair): pair is { before: number; after: number } =>
      typeof pair.before === 'number' && Number.isFinite(pair.before) && typeof pair.after === 'number' && Number.isFinite(pair.after),
  );
  if (both.length === 0) return { paired: 0, averageBefore: null, averageAfter: null, averageGain: null };
  const before = both.reduce((sum, pair) => sum + pair.before, 0) / both.length;
  const after = both.reduce((sum, pair) => sum + pair.after, 0) / both.length;
  return { paired: both.length, averageBefore: round2(before), averageAfter: round2(after), averageGain: round2(after - before) };
}
