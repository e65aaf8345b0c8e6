import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  clampIntervals,
  measure,
  normalizeIntervals,
  subtractIntervals,
  takeFirstSeconds,
  unionIntervals,
  type Interval,
} from './intervals.js';

describe('normalizeIntervals', () => {
  it.each<[string, Interval[], Interval[]]>([
    ['empty list', [], []],
    ['drops zero-length', [[5, 5]], []],
    ['drops reversed', [[9, 3]], []],
    [
      'drops non-finite',
      [
        [NaN, 3],
        [0, Infinity],
      ],
      [],
    ],
    [
      'sorts',
      [
        [10, 12],
        [0, 2],
      ],
      [
        [0, 2],
        [10, 12],
      ],
    ],
    [
      'merges overlapping',
      [
        [0, 5],
        [3, 8],
      ],
      [[0, 8]],
    ],
    [
      'merges adjacent',
      [
        [0, 5],
        [5, 9],
      ],
      [[0, 9]],
    ],
    [
      'merges contained',
      [
        [0, 10],
        [2, 3],
      ],
      [[0, 10]],
    ],
    [
      'keeps gaps',
      [
        [0, 1],
        [1.5, 2],
      ],
      [
        [0, 1],
        [1.5, 2],
      ],
    ],
    [
      'fractional seconds merge without float slivers',
      [
        [0, 0.1 + 0.2],
        [0.3, 0.5],
      ],
      [[0, 0.5]],
    ],
    ['snaps to the millisecond', [[0.0004, 1.0006]], [[0, 1.001]]],
    ['sub-millisecond piece is empty', [[1, 1.0004]], []],
  ])('%s', (_name, input, expected) => {
    expect(normalizeIntervals(input)).toEqual(expected);
  });
});

describe('unionIntervals', () => {
  it.each<[string, Interval[], Interval[], Interval[]]>([
    ['both empty', [], [], []],
    ['one empty', [[1, 2]], [], [[1, 2]]],
    [
      'disjoint',
      [[0, 1]],
      [[2, 3]],
      [
        [0, 1],
        [2, 3],
      ],
    ],
    ['adjacent across lists', [[0, 1]], [[1, 2]], [[0, 2]]],
    [
      'overlapping across lists',
      [
        [0, 4],
        [6, 8],
      ],
      [[3, 7]],
      [[0, 8]],
    ],
    ['fractional', [[0.25, 0.5]], [[0.5, 0.75]], [[0.25, 0.75]]],
  ])('%s', (_name, a, b, expected) => {
    expect(unionIntervals(a, b)).toEqual(expected);
  });
});

describe('measure', () => {
  it.each<[string, Interval[], number]>([
    ['empty', [], 0],
    ['zero-length', [[3, 3]], 0],
    ['one piece', [[2, 5]], 3],
    [
      'overlaps count once',
      [
        [0, 5],
        [3, 8],
      ],
      8,
    ],
    [
      'fractional sums exactly',
      [
        [0, 0.1],
        [0.2, 0.3],
        [1, 1.2],
      ],
      0.4,
    ],
    ['many tenths', Array.from({ length: 10 }, (_, i): Interval => [i, i + 0.1]), 1],
  ])('%s', (_name, input, expected) => {
    expect(measure(input)).toBe(expected);
  });
});

describe('subtractIntervals', () => {
  it.each<[string, Interval[], Interval[], Interval[]]>([
    ['nothing to remove', [[0, 10]], [], [[0, 10]]],
    ['remove everything', [[0, 10]], [[0, 10]], []],
    ['remove from empty', [], [[0, 10]], []],
    [
      'hole in the middle',
      [[0, 10]],
      [[3, 4]],
      [
        [0, 3],
        [4, 10],
      ],
    ],
    ['cut the start', [[0, 10]], [[-5, 2]], [[2, 10]]],
    ['cut the end', [[0, 10]], [[8, 20]], [[0, 8]]],
    ['touching only (half-open)', [[0, 10]], [[10, 12]], [[0, 10]]],
    [
      'one cut spans two pieces',
      [
        [0, 3],
        [5, 8],
      ],
      [[2, 6]],
      [
        [0, 2],
        [6, 8],
      ],
    ],
    [
      'many cuts in one piece',
      [[0, 10]],
      [
        [1, 2],
        [4, 5],
        [9, 11],
      ],
      [
        [0, 1],
        [2, 4],
        [5, 9],
      ],
    ],
    [
      'fractional',
      [[0, 1]],
      [[0.1, 0.2]],
      [
        [0, 0.1],
        [0.2, 1],
      ],
    ],
  ])('%s', (_name, a, b, expected) => {
    expect(subtractIntervals(a, b)).toEqual(expected);
  });
});

describe('clampIntervals', () => {
  it.each<[string, Interval[], number, number, Interval[]]>([
    ['inside', [[1, 2]], 0, 10, [[1, 2]]],
    ['past the duration', [[8, 15]], 0, 10, [[8, 10]]],
    ['wholly past the duration', [[12, 15]], 0, 10, []],
    ['negative start', [[-3, 2]], 0, 10, [[0, 2]]],
    ['fractional duration', [[0, 100]], 0, 59.5, [[0, 59.5]]],
    ['zero duration', [[0, 5]], 0, 0, []],
  ])('%s', (_name, list, min, max, expected) => {
    expect(clampIntervals(list, min, max)).toEqual(expected);
  });
});

describe('takeFirstSeconds', () => {
  it.each<[string, Interval[], number, Interval[]]>([
    ['zero', [[0, 10]], 0, []],
    ['negative', [[0, 10]], -1, []],
    ['part of the first piece', [[5, 10]], 2, [[5, 7]]],
    [
      'across pieces in media order',
      [
        [20, 25],
        [0, 3],
      ],
      5,
      [
        [0, 3],
        [20, 22],
      ],
    ],
    ['more than there is', [[0, 3]], 60, [[0, 3]]],
    ['fractional', [[0, 1]], 0.25, [[0, 0.25]]],
  ])('%s', (_name, list, seconds, expected) => {
    expect(takeFirstSeconds(list, seconds)).toEqual(expected);
  });
});

// Model: a set of grid cells (cell i = [i*unit, (i+1)*unit)); on a grid, interval algebra is set algebra.
const CELLS = 200;
const UNIT = 0.5; // half seconds, so fractional endpoints are exercised too

function cells(list: readonly Interval[]): Set<number> {
  const set = new Set<number>();
  for (const [start, end] of list) {
    for (let i = Math.round(start / UNIT); i < Math.round(end / UNIT); i++) set.add(i);
  }
  return set;
}

const gridInterval = fc
  .tuple(fc.integer({ min: -20, max: CELLS + 20 }), fc.integer({ min: -20, max: CELLS + 20 }))
  .map(([a, b]): Interval => [a * UNIT, b * UNIT]);
const gridList = fc.array(gridInterval, { maxLength: 12 });

function isCanonical(list: readonly Interval[]): boolean {
  return list.every(([start, end], i) => start < end && (i === 0 || list[i - 1]![1] < start));
}

describe('interval algebra against a grid-cell model', () => {
  it('normalize keeps the same cells in canonical form', () => {
    fc.assert(
      fc.property(gridList, (list) => {
        const normalized = normalizeIntervals(list);
        expect(isCanonical(normalized)).toBe(true);
        expect(cells(normalized)).toEqual(cells(list));
      }),
    );
  });

  it('union, subtract, clamp and measure match set operations', () => {
    fc.assert(
      fc.property(gridList, gridList, fc.integer({ min: 0, max: CELLS }), (a, b, maxCell) => {
        const setA = cells(a);
        const setB = cells(b);
        expect(cells(unionIntervals(a, b))).toEqual(new Set([...setA, ...setB]));
        expect(cells(subtractIntervals(a, b))).toEqual(new Set([...setA].filter((i) => !setB.has(i))));
        expect(cells(clampIntervals(a, 0, maxCell * UNIT))).toEqual(new Set([...setA].filter((i) => i >= 0 && i < maxCell)));
        expect(measure(a)).toBe(setA.size * UNIT);
        expect(isCanonical(subtractIntervals(a, b))).toBe(true);
      }),
    );
  });

  it('takeFirstSeconds takes the earliest cells up to the budget', () => {
    fc.assert(
      fc.property(gridList, fc.integer({ min: 0, max: CELLS }), (list, budgetCells) => {
        const sorted = [...cells(list)].sort((x, y) => x - y);
        expect(cells(takeFirstSeconds(list, budgetCells * UNIT))).toEqual(new Set(sorted.slice(0, budgetCells)));
      }),
    );
  });
});
