import { describe, expect, it } from '@jest/globals';
import { coverageRatio, isCompleted } from './completion.js';
import type { Interval } from './intervals.js';

describe('coverageRatio', () => {
  it.each<[string, Interval[], number, number]>([
    ['nothing watched', [], 100, 0],
    ['half', [[0, 50]], 100, 0.5],
    [
      'overlaps count once',
      [
        [0, 50],
        [25, 75],
      ],
      100,
      0.75,
    ],
    ['coverage past the end is ignored', [[90, 500]], 100, 0.1],
    ['fractional duration', [[0, 30.25]], 60.5, 0.5],
    ['zero duration', [[0, 10]], 0, 0],
    ['unknown duration', [[0, 10]], NaN, 0],
  ])('%s', (_name, coverage, duration, expected) => {
    expect(coverageRatio(coverage, duration)).toBe(expected);
  });
});

describe('isCompleted', () => {
  it.each<[string, Interval[], number, number | undefined, boolean]>([
    ['default threshold met exactly (95 of 100)', [[0, 95]], 100, undefined, true],
    ['default threshold just missed', [[0, 94.999]], 100, undefined, false],
    ['skipping the intro still completes', [[5, 100]], 100, undefined, true],
    ['custom threshold 1 needs everything', [[0, 99.999]], 100, 1, false],
    [
      'custom threshold 1 met',
      [
        [0, 50],
        [50, 100],
      ],
      100,
      1,
      true,
    ],
    ['custom threshold 0.5', [[0, 50]], 100, 0.5, true],
    ['zero duration never completes', [], 0, 0, false],
    ['unknown duration never completes', [[0, 10]], NaN, 0, false],
    ['odd threshold with fractional seconds', [[0, 0.3]], 1, 0.3, true],
  ])('%s', (_name, coverage, duration, threshold, expected) => {
    expect(isCompleted(coverage, duration, threshold)).toBe(expected);
  });
});
