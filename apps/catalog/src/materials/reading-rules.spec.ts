import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { creditReading, isRead, MAX_SPARE_MS } from './reading-rules.js';

describe('creditReading', () => {
  it.each([
    ['first report opens the record', { claimedSec: 30, previousMs: null, nowMs: 1000, spareMs: 0 }, 0, 0],
    ['an honest report 30 s later', { claimedSec: 30, previousMs: 0, nowMs: 30_000, spareMs: 0 }, 30, 0],
    ['a claim above the wall time', { claimedSec: 90, previousMs: 0, nowMs: 30_000, spareMs: 0 }, 30, 0],
    ['an early report borrows what a late one left', { claimedSec: 30, previousMs: 0, nowMs: 29_500, spareMs: 800 }, 30, 300],
    ['a hidden page claims less than the gap', { claimedSec: 10, previousMs: 0, nowMs: 30_000, spareMs: 0 }, 10, 20_000],
    ['the spare is capped at 30 s', { claimedSec: 0, previousMs: 0, nowMs: 600_000, spareMs: 0 }, 0, MAX_SPARE_MS],
    ['one report earns at most 120 s', { claimedSec: 500, previousMs: 0, nowMs: 600_000, spareMs: 0 }, 120, MAX_SPARE_MS],
    ['a clock going back credits nothing', { claimedSec: 30, previousMs: 10_000, nowMs: 5_000, spareMs: 0 }, 0, 0],
    ['a negative or broken claim credits nothing', { claimedSec: Number.NaN, previousMs: 0, nowMs: 30_000, spareMs: 0 }, 0, 30_000],
  ])('%s', (_name, input, creditSec, spareMs) => {
    expect(creditReading(input)).toEqual({ creditSec, spareMs });
  });

  it('never credits more than the wall time since the first report, whatever the claims and their timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 200_000 }), claimedSec: fc.integer({ min: -10, max: 1000 }) }), {
          maxLength: 60,
        }),
        (reports) => {
          let previousMs: number | null = null;
          let nowMs = 0;
          let spareMs = 0;
          let total = 0;
          for (const report of reports) {
            nowMs += report.gapMs;
            const credit = creditReading({ claimedSec: report.claimedSec, previousMs, nowMs, spareMs });
            total += credit.creditSec;
            spareMs = credit.spareMs;
            previousMs = nowMs;
            expect(credit.creditSec).toBeGreaterThanOrEqual(0);
            expect(credit.creditSec).toBeLessThanOrEqual(Math.max(0, report.claimedSec));
          }
          expect(total * 1000).toBeLessThanOrEqual(nowMs);
        },
      ),
    );
  });

  it('credits an honest reader every second it read, reports every 30 s with jitter', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2000, max: 2000 }), { minLength: 1, maxLength: 40 }), (jitters) => {
        let previousMs: number | null = 0;
        let nowMs = 0;
        let spareMs = 0;
        let total = 0;
        for (const jitter of jitters) {
          nowMs += 30_000 + jitter;
          const credit = creditReading({ claimedSec: 30, previousMs, nowMs, spareMs });
          total += credit.creditSec;
          spareMs = credit.spareMs;
          previousMs = nowMs;
        }
        // Each report loses at most what an early report could not borrow: never more than 2 s each.
        expect(total).toBeGreaterThanOrEqual(Math.min(30 * jitters.length, Math.floor(nowMs / 1000)) - 2 * jitters.length);
      }),
    );
  });
});

describe('isRead', () => {
  it.each([
    [600, 10, true],
    [599, 10, false],
    [10_000, null, false],
    [60, 1, true],
  ])('%i s for %p minutes → %p', (seconds, minutes, read) => expect(isRead(seconds, minutes)).toBe(read));
});
