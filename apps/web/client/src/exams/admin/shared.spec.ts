import { describe, expect, it } from '@jest/globals';
import { halfOf, parseScore, worstFirst } from './shared.js';

describe('parseScore', () => {
  it.each([
    ['0', 10, 0],
    ['7.5', 10, 7.5],
    ['7,5', 10, 7.5],
    [' 10 ', 10, 10],
    ['2.5', 2.5, 2.5],
    ['11', 10, null],
    ['-0.5', 10, null],
    ['7.25', 10, null],
    ['', 10, null],
    ['abc', 10, null],
    ['3', 2.5, null],
  ])('reads %j out of %d as %p', (text, max, expected) => {
    expect(parseScore(text, max)).toBe(expected);
  });
});

describe('halfOf', () => {
  it.each([
    [10, 5],
    [5, 2.5],
    [3, 1.5],
    [2.5, 1],
    [1, 0.5],
    [0.5, 0],
  ])('half of %d points, in whole or half points, is %d', (points, half) => {
    expect(halfOf(points)).toBe(half);
    expect(parseScore(String(half), points)).toBe(half);
  });
});

describe('worstFirst', () => {
  const q = (stem: string, correctShare: number | null, averageShare: number | null) => ({ stem, correctShare, averageShare });
  it('puts the lowest share of full marks first, then the lowest average, and unanswered questions last', () => {
    const sorted = worstFirst([q('a', 0.9, 0.9), q('b', null, null), q('c', 0.2, 0.7), q('d', 0.2, 0.4), q('e', 0.5, 0.5)]);
    expect(sorted.map((r) => r.stem)).toEqual(['d', 'c', 'e', 'a', 'b']);
  });
});
