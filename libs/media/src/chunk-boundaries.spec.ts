import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chunkStepSec, planChunks, rungFirstSegmentSec, rungSegmentSec } from './chunk-boundaries.js';
import { ladderFor, type TranscodePlan } from './ladder.js';
import { audioOnlyProbe, videoProbe } from './probe-fixtures.js';

function plan(durationSec: number, width = 1920, height = 1080, fps = 30): TranscodePlan {
  const probe = videoProbe(width, height, fps);
  return ladderFor({ ...probe, durationSec });
}

describe('chunk boundaries', () => {
  it.each([
    // duration, chunkSec, expected [start, length|null]: chunk 0 ends on the 2 s first segment plus whole 4 s segments.
    [
      60,
      20,
      [
        [0, 18],
        [18, 20],
        [38, null],
      ],
    ],
    [
      62,
      20,
      [
        [0, 18],
        [18, 20],
        [38, 20],
        [58, null],
      ],
    ],
    [
      64.5,
      20,
      [
        [0, 18],
        [18, 20],
        [38, 20],
        [58, null],
      ],
    ],
    [90, 300, null],
    [300, 300, null],
    [301.9, 300, null],
    [
      302,
      300,
      [
        [0, 298],
        [298, null],
      ],
    ],
    [5400, 300, Array.from({ length: 18 }, (_, i) => (i === 0 ? [0, 298] : [298 + (i - 1) * 300, i === 17 ? null : 300]))],
    // Not a multiple of the 4 s segment: rounded down to one.
    [
      60,
      22,
      [
        [0, 18],
        [18, 20],
        [38, null],
      ],
    ],
    [60, 0, null],
    [60, 3, null],
  ])('%s s in chunks of %s s', (duration, chunkSec, expected) => {
    const spans = planChunks(plan(duration as number), chunkSec as number);
    expect(spans?.map((s) => [s.startSec, s.durationSec]) ?? null).toEqual(expected);
  });

  it('puts boundaries on the 29.97 fps segment grid (60 frames = 2.002 s, then 120 frames = 4.004 s), not on whole seconds', () => {
    const p = plan(60, 1280, 720, 29.97);
    expect(rungSegmentSec(p)).toEqual(p.rungs.map(() => 120 / 29.97));
    for (const first of rungFirstSegmentSec(p)) expect(first).toBeCloseTo(60 / 29.97, 12);
    const spans = planChunks(p, 21)!;
    expect(spans.map((s) => s.startSec)).toEqual([0, 18.018018, 38.038038]);
    expect(spans[0]!.durationSec).toBe(18.018018);
    expect(spans[1]!.durationSec).toBe(20.02002);
  });

  it('does not chunk when the rungs share no segment boundary (59.94 fps on top, 30 fps below)', () => {
    const p = plan(600, 1920, 1080, 59.94);
    expect(new Set(p.rungs.map((r) => r.fps))).toEqual(new Set([59.94, 30]));
    expect(chunkStepSec(p)).toBeNull();
    expect(planChunks(p, 300)).toBeNull();
  });

  it('never chunks an audio-only plan', () => {
    expect(planChunks(ladderFor({ ...audioOnlyProbe, durationSec: 7200 }), 300)).toBeNull();
    expect(chunkStepSec(ladderFor(audioOnlyProbe))).toBeNull();
  });

  it('covers the whole source with contiguous chunks that all start on every rung’s segment grid', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 2 * 3600, noNaN: true }),
        fc.integer({ min: 4, max: 900 }),
        fc.constantFrom(24, 25, 30, 29.97, 50, 60, 23.976),
        fc.constantFrom([1920, 1080], [1280, 720], [640, 360], [1080, 1920]),
        (duration, chunkSec, fps, [width, height]) => {
          const p = plan(duration, width, height, fps);
          const spans = planChunks(p, chunkSec);
          const step = chunkStepSec(p)!;
          const firsts = rungFirstSegmentSec(p);
          const rests = rungSegmentSec(p);
          // With these rates every rung's first segment is the same 2 s (or 2.002 s) GOP.
          const first = Math.max(...firsts);
          const stepsPerChunk = Math.floor(chunkSec / step + 1e-9);
          if (spans === null) {
            // Only when there would be fewer than two chunks, or no shared grid fits.
            expect(step > chunkSec || duration < first + stepsPerChunk * step - 1e-6).toBe(true);
            return;
          }
          expect(spans.length).toBeGreaterThanOrEqual(2);
          spans.forEach((span, i) => {
            expect(span.index).toBe(i);
            expect(span.startSec).toBeLessThan(duration);
            // Every later start is where every rung starts a segment: its first segment, then whole later ones.
            if (i > 0) {
              rests.forEach((rest, r) => {
                const n = (span.startSec - firsts[r]!) / rest;
                expect(n).toBeGreaterThan(-1e-6);
                expect(Math.abs(n - Math.round(n))).toBeLessThan(1e-4);
              });
            }
            const next = spans[i + 1];
            if (next) {
              expect(span.durationSec).not.toBeNull();
              expect(span.startSec + span.durationSec!).toBeCloseTo(next.startSec, 5);
              expect(span.durationSec!).toBeLessThanOrEqual(chunkSec + 1e-6);
            } else {
              expect(span.durationSec).toBeNull();
              // The last chunk is at least one step long and shorter than a chunk and a step.
              expect(duration - span.startSec).toBeGreaterThanOrEqual(step - 1e-5);
              expect(duration - span.startSec).toBeLessThan(stepsPerChunk * step + step + 1e-5);
            }
          });
          expect(spans[0]!.startSec).toBe(0);
          expect(spans[0]!.durationSec).toBeCloseTo(first + (stepsPerChunk - 1) * step, 5);
        },
      ),
      { numRuns: 60 },
    );
  });
});
