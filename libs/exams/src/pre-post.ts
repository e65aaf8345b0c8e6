import { round2 } from './numbers.js';

export interface PrePostGain {
  /** Members with both a pre-test and a post-test result. */
  paired: number;
  /** Their average pre-test percent, to 2 decimals; null when nobody is paired. */
  averageBefore: number | null;
  averageAfter: number | null;
  /** The (rounded) average after minus the average before, in percentage points; null when nobody is paired. */
  averageGain: number | null;
}

/** The gain from a pre-test to its post-test, counting only members who have a result (percent) in both. */
export function prePostGain(pairs: ReadonlyArray<{ before: number | null; after: number | null }>): PrePostGain {
  const both = pairs.filter(
    (pair): pair is { before: number; after: number } =>
      typeof pair.before === 'number' && Number.isFinite(pair.before) && typeof pair.after === 'number' && Number.isFinite(pair.after),
  );
  if (both.length === 0) return { paired: 0, averageBefore: null, averageAfter: null, averageGain: null };
  const before = round2(both.reduce((sum, pair) => sum + pair.before, 0) / both.length);
  const after = round2(both.reduce((sum, pair) => sum + pair.after, 0) / both.length);
  // From the rounded averages, so the three figures shown side by side always add up.
  return { paired: both.length, averageBefore: before, averageAfter: after, averageGain: round2(after - before) };
}
