import { describe, expect, it } from '@jest/globals';
import { prePostGain, round2 } from './pre-post.js';

describe('prePostGain', () => {
  it.each<[string, Array<{ before: number | null; after: number | null }>, ReturnType<typeof prePostGain>]>([
    ['nobody', [], { paired: 0, averageBefore: null, averageAfter: null, averageGain: null }],
    [
      'nobody with both',
      [
        { before: 50, after: null },
        { before: null, after: 80 },
      ],
      { paired: 0, averageBefore: null, averageAfter: null, averageGain: null },
    ],
    [
      'only the members with both count',
      [
        { before: 40, after: 70 },
        { before: 60, after: 80 },
        { before: 90, after: null },
      ],
      { paired: 2, averageBefore: 50, averageAfter: 75, averageGain: 25 },
    ],
    ['a loss is negative', [{ before: 80, after: 70 }], { paired: 1, averageBefore: 80, averageAfter: 70, averageGain: -10 }],
    [
      'thirds round to 2 decimals',
      [
        { before: 0, after: 100 },
        { before: 0, after: 0 },
        { before: 0, after: 0 },
      ],
      { paired: 3, averageBefore: 0, averageAfter: 33.33, averageGain: 33.33 },
    ],
  ])('%s', (_name, pairs, expected) => {
    expect(prePostGain(pairs)).toEqual(expected);
  });

  it('rounds halves away from zero without binary drift', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(-0.001)).toBe(0);
  });
});
