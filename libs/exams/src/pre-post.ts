import { round2 } from './numbers.js';

export interface PrePostGain {
  /** Members with both a pre-test and a post-test result. */
  paired: number;
  /** Their average pre-test percent, to 2 decimals; null when nobody is paired. */
  averageBefore: number | null;
  averageAfter: number | null;
  /** Average after minus average before, in percentage points, to 2 decimals; null when nobody is paired. */
  averageGain: number | null;
}

/** The gain from a pre-test to its post-test, counting only members who have a result (percent) in both. */
export function prePostGain(pairs: ReadonlyArray<{ before: number | null; after: number | null }>): PrePostGain {
  const both = pairs.filter(
    (pair): pair is { before: number; after: number } =>
      typeof pair.before === 'number' && Number.isFinite(pair.before) && typeof pair.after === 'number' && Number.isFinite(pair.after),
  );
  if (both.length === 0) return { paired: 0, averageBefore: null, averageAfter: null, averageGain: null };
  const before = both.reduce((sum, pair) => sum + pair.before, 0) / both.length;
  const after = both.reduce((sum, pair) => sum + pair.after, 0) / both.length;
  return { paired: both.length, averageBefore: round2(before), averageAfter: round2(after), averageGain: round2(after - before) };
}
