import { describe, expect, it } from '@jest/globals';
import { prePostGain, type PrePostGain } from './pre-post.js';

describe('prePostGain', () => {
  it.each<[string, Array<{ before: number | null; after: number | null }>, PrePostGain]>([
    ['nobody', [], { paired: 0, averageBefore: null, averageAfter: null, averageGain: null }],
    [
      'nobody with both',
      [
        { before: 40, after: null },
        { before: null, after: 90 },
      ],
      { paired: 0, averageBefore: null, averageAfter: null, averageGain: null },
    ],
    ['one member', [{ before: 40, after: 75.5 }], { paired: 1, averageBefore: 40, averageAfter: 75.5, averageGain: 35.5 }],
    [
      'only members with both count',
      [
        { before: 40, after: 80 },
        { before: 60, after: 70 },
        { before: 0, after: null },
        { before: null, after: 100 },
      ],
      { paired: 2, averageBefore: 50, averageAfter: 75, averageGain: 25 },
    ],
    [
      'a drop is a negative gain',
      [
        { before: 80, after: 70 },
        { before: 90, after: 85 },
      ],
      { paired: 2, averageBefore: 85, averageAfter: 77.5, averageGain: -7.5 },
    ],
    [
      'rounded to 2 decimals; the gain is the difference of the rounded averages',
      [
        { before: 33.33, after: 66.67 },
        { before: 0, after: 100 },
        { before: 50, after: 50 },
      ],
      { paired: 3, averageBefore: 27.78, averageAfter: 72.22, averageGain: 44.44 },
    ],
    [
      'a score of 0 counts',
      [
        { before: 0, after: 0 },
        { before: 0, after: 50 },
      ],
      { paired: 2, averageBefore: 0, averageAfter: 25, averageGain: 25 },
    ],
  ])('%s', (_name, pairs, expected) => {
    expect(prePostGain(pairs)).toEqual(expected);
  });
});
