import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { checkinCode, codeMatches, codePeriod, currentCode, isCodeShaped, periodEndsAt } from './checkin-code.js';

const secret = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const T = Date.UTC(2026, 11, 4, 9, 30, 15); // 15 s into a minute

describe('rotating check-in code', () => {
  it('is six digits, the same within a minute and for the same secret, different in the next', () => {
    const code = currentCode(secret, T);
    expect(code).toMatch(/^\d{6}$/);
    expect(currentCode(secret, T + 44_999)).toBe(code);
    expect(currentCode(secret, T - 15_000)).toBe(code);
    expect(currentCode(secret, T + 45_000)).not.toBe(code);
    expect(currentCode(randomBytes(32), T)).not.toBe(code);
    expect(periodEndsAt(T)).toBe(T + 45_000);
    expect(codePeriod(T + 45_000)).toBe(codePeriod(T) + 1);
  });

  it.each([
    ['the current code', 0, 0, true],
    ['the previous code, just after the change', -60_000, 1, true],
    ['the previous code, until the current minute ends', -60_000, 44_999, true],
    ['the code of two minutes ago', -120_000, 0, false],
    ['the next minute’s code', 60_000, 0, false],
  ])('takes %s: %s', (_name, codeOffset, checkOffset, accepted) => {
    const code = currentCode(secret, T + codeOffset);
    expect(codeMatches(secret, code, T + checkOffset)).toBe(accepted);
  });

  it.each([['12345'], ['1234567'], ['12345a'], [' 123456'], ['']])('refuses %p as not a code', (code) => {
    expect(isCodeShaped(code)).toBe(false);
    expect(codeMatches(secret, code, T)).toBe(false);
  });

  it('keeps leading zeros', () => {
    let period = 0;
    while (!checkinCode(secret, period).startsWith('0')) period++;
    expect(checkinCode(secret, period)).toHaveLength(6);
    expect(codeMatches(secret, checkinCode(secret, period), period * 60_000)).toBe(true);
  });

  it('spreads codes evenly over the digits (no visible modulo bias)', () => {
    const firstDigit = new Array<number>(10).fill(0);
    for (let period = 0; period < 20_000; period++) firstDigit[Number(checkinCode(secret, period)[0])]!++;
    // 2,000 expected per digit; 5 standard deviations is about ±212.
    for (const count of firstDigit) expect(Math.abs(count - 2000)).toBeLessThan(250);
  });

  it('always matches its own code at any time, and never one of more than a minute before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 59_999 }), (now, later) => {
        expect(codeMatches(secret, currentCode(secret, now), now + later)).toBe(true);
        const old = currentCode(secret, now - 120_000);
        // A two-minutes-old code is taken only if it happens to equal one of the two live codes.
        const live = [currentCode(secret, now), currentCode(secret, now - 60_000)];
        expect(codeMatches(secret, old, now)).toBe(live.includes(old));
      }),
    );
  });
});
