import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fromHundredths, round2, toHundredths } from './numbers.js';

describe('round2 and hundredths', () => {
  it.each<[number, number]>([
    [1.005, 1.01],
    [1.004, 1],
    [2.675, 2.68],
    [-1.005, -1.01],
    [-0.001, 0],
    [0.1 + 0.2, 0.3],
    [33.333333, 33.33],
    [66.666666, 66.67],
    [1e-7, 0],
    [123456.785, 123456.79],
    [NaN, 0],
    [Infinity, 0],
  ])('round2(%p) = %p', (value, expected) => {
    expect(Object.is(round2(value), expected)).toBe(true);
  });

  it('hundredths round-trip every 2-decimal number', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (n) => {
        expect(toHundredths(n / 100)).toBe(n);
        expect(fromHundredths(n)).toBe(n / 100);
        expect(round2(n / 100)).toBe(n / 100);
      }),
    );
  });
});
