import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_CREDIT_POLICY, openingAllowanceMs } from './crediting.js';
import { measureMs, normalizeIntervals, subtractIntervals, unionIntervals, type Interval } from './intervals.js';
import {
  acceptScreenBeat,
  entitledMedia,
  playOrderMs,
  playShare,
  preparePlays,
  presentMsWithin,
  takeInPlayOrder,
  type PresencePeriod,
  type ScreenPlay,
  type ScreenState,
} from './overlap.js';

const T0 = 1_700_000_000_000;

const intersect = (a: readonly Interval[], b: readonly Interval[]) => subtractIntervals(a, subtractIntervals(a, b));

/** Media pieces in play order, whole ms, within a two-hour lecture. */
const mediaPiece = fc
  .tuple(fc.integer({ min: 0, max: 7_200_000 }), fc.integer({ min: 0, max: 60_000 }))
  .map(([startMs, lengthMs]) => [startMs / 1000, (startMs + lengthMs) / 1000] as Interval);
/** A play: a window of up to ten minutes after T0 + up to an hour, media up to its window + 30 s of carry. */
const play: fc.Arbitrary<ScreenPlay> = fc
  .record({
    fromMs: fc.integer({ min: 0, max: 3_600_000 }),
    windowMs: fc.integer({ min: 0, max: 600_000 }),
    intervals: fc.array(mediaPiece, { maxLength: 5 }),
  })
  .map(({ fromMs, windowMs, intervals }) => ({
    fromMs: T0 + fromMs,
    toMs: T0 + fromMs + windowMs,
    intervals: takeInPlayOrder(intervals, (windowMs + DEFAULT_CREDIT_POLICY.maxCarrySec * 1000) / 1000),
  }));
const plays = fc.array(play, { maxLength: 6 });
const period: fc.Arbitrary<PresencePeriod> = fc
  .tuple(fc.integer({ min: -60_000, max: 4_300_000 }), fc.integer({ min: 0, max: 1_800_000 }), fc.boolean())
  .map(([fromMs, lengthMs, open]) => ({ fromMs: T0 + fromMs, toMs: open ? null : T0 + fromMs + lengthMs }));
const presence = fc.array(period, { maxLength: 5 });
/** Sorted cut instants over the whole range plays and presence live in. */
const cuts = fc
  .uniqueArray(fc.integer({ min: -60_000, max: 4_300_000 }), { maxLength: 8 })
  .map((list) => list.sort((a, b) => a - b).map((c) => T0 + c));

const mediaOf = (p: ScreenPlay) => normalizeIntervals(p.intervals);
const mediaMsOf = (p: ScreenPlay) => measureMs(p.intervals);

describe('playShare: one play, one member', () => {
  const window: ScreenPlay = { fromMs: T0, toMs: T0 + 10_000, intervals: [[100, 110]] };

  it.each<[string, PresencePeriod[], Interval[]]>([
    ['present throughout', [{ fromMs: T0 - 5000, toMs: null }], [[100, 110]]],
    ['present for the first half', [{ fromMs: T0 - 5000, toMs: T0 + 5000 }], [[100, 105]]],
    ['present for the second half', [{ fromMs: T0 + 5000, toMs: null }], [[105, 110]]],
    ['checked out before it', [{ fromMs: T0 - 9000, toMs: T0 }], []],
    ['checked in after it', [{ fromMs: T0 + 10_000, toMs: null }], []],
    [
      'out and in again',
      [
        { fromMs: T0, toMs: T0 + 2000 },
        { fromMs: T0 + 6000, toMs: T0 + 7000 },
      ],
      [
        [100, 102],
        [106, 107],
      ],
    ],
  ])('%s', (_name, periods, expected) => {
    expect(playShare(window, periods)).toEqual(expected);
  });

  it('takes media in play order: a seek back within the heartbeat is shared in the order it played', () => {
    const seeked: ScreenPlay = {
      fromMs: T0,
      toMs: T0 + 10_000,
      intervals: [
        [200, 205],
        [50, 55],
      ],
    };
    expect(playShare(seeked, [{ fromMs: T0, toMs: T0 + 5000 }])).toEqual([[200, 205]]);
    expect(playShare(seeked, [{ fromMs: T0 + 5000, toMs: T0 + 10_000 }])).toEqual([[50, 55]]);
  });

  it('plays what repeats within a heartbeat once', () => {
    expect(
      playOrderMs([
        [10, 20],
        [15, 25],
        [0, 12],
      ]),
    ).toEqual([
      [10_000, 20_000],
      [20_000, 25_000],
      [0, 10_000],
    ]);
  });

  it('gives an instant play (carried allowance) to whoever is present at that instant', () => {
    const instant: ScreenPlay = { fromMs: T0, toMs: T0, intervals: [[0, 3]] };
    expect(playShare(instant, [{ fromMs: T0, toMs: null }])).toEqual([[0, 3]]);
    expect(playShare(instant, [{ fromMs: T0 - 10, toMs: T0 }])).toEqual([]);
  });

  it('a play faster than its window (carry) is shared at its own rate', () => {
    const fast: ScreenPlay = { fromMs: T0, toMs: T0 + 10_000, intervals: [[0, 20]] };
    expect(playShare(fast, [{ fromMs: T0 + 5000, toMs: null }])).toEqual([[10, 20]]);
  });
});

describe('overlap properties', () => {
  it('entitled ⊆ what the screen played', () => {
    fc.assert(
      fc.property(plays, presence, (ps, pr) => {
        const played = unionIntervals([], ps.flatMap(mediaOf));
        expect(subtractIntervals(entitledMedia(ps, pr), played)).toEqual([]);
      }),
    );
  });

  it('a share ≤ the wall time present in its window (+ what the screen played beyond its window, the carried allowance)', () => {
    fc.assert(
      fc.property(play, presence, (p, pr) => {
        const shareMs = measureMs(playShare(p, pr));
        const windowMs = p.toMs - p.fromMs;
        const presentMs = presentMsWithin(pr, p.fromMs, p.toMs);
        const mediaMs = mediaMsOf(p);
        if (mediaMs <= windowMs) expect(shareMs).toBeLessThanOrEqual(presentMs);
        else if (windowMs > 0) expect(shareMs).toBeLessThanOrEqual((presentMs * mediaMs) / windowMs + pr.length);
        expect(shareMs).toBeLessThanOrEqual(presentMs + Math.max(0, mediaMs - windowMs) + pr.length);
      }),
    );
  });

  it('monotone: more presence never earns less', () => {
    fc.assert(
      fc.property(plays, presence, presence, (ps, some, more) => {
        const less = entitledMedia(ps, some);
        expect(subtractIntervals(less, entitledMedia(ps, [...some, ...more]))).toEqual([]);
      }),
    );
  });

  it('splitting, merging, repeating or reordering periods, or computing again, gives the same result', () => {
    fc.assert(
      fc.property(plays, presence, cuts, fc.integer(), (ps, pr, at, seed) => {
        const whole = entitledMedia(ps, pr);
        // Split every period at every cut instant inside it.
        const split = pr.flatMap(({ fromMs, toMs }) => {
          const inside = at.filter((c) => c > fromMs && (toMs === null || c < toMs));
          const bounds = [fromMs, ...inside];
          return bounds.map((start, i) => ({ fromMs: start, toMs: i + 1 < bounds.length ? bounds[i + 1]! : toMs }));
        });
        const shuffled = [...split, ...pr.slice(0, 1)].sort((a, b) => ((a.fromMs * 7919 + seed) % 13) - ((b.fromMs * 7919 + seed) % 13));
        expect(entitledMedia(ps, shuffled)).toEqual(whole);
        expect(entitledMedia(ps, pr)).toEqual(whole);
        expect(entitledMedia(preparePlays(ps), shuffled)).toEqual(whole);
      }),
    );
  });

  it('members present at disjoint times get disjoint shares of a play, which together are the share of their joint presence', () => {
    fc.assert(
      fc.property(play, cuts, (p, at) => {
        // Alternate instants between two members: one has the even gaps, the other the odd ones.
        const gaps = at.slice(1).map((c, i) => ({ fromMs: at[i]!, toMs: c }));
        const a = gaps.filter((_, i) => i % 2 === 0);
        const b = gaps.filter((_, i) => i % 2 === 1);
        const shareA = playShare(p, a);
        const shareB = playShare(p, b);
        expect(intersect(shareA, shareB)).toEqual([]);
        expect(unionIntervals(shareA, shareB)).toEqual(playShare(p, gaps));
      }),
    );
  });

  it('present for the whole window earns the whole play', () => {
    fc.assert(
      fc.property(play, fc.integer({ min: 0, max: 100_000 }), fc.boolean(), (p, marginMs, open) => {
        const whole = { fromMs: p.fromMs - marginMs, toMs: open ? null : p.toMs + marginMs + 1 };
        expect(playShare(p, [whole])).toEqual(mediaOf(p));
      }),
    );
  });
});

describe('acceptScreenBeat: the screen by the single viewer’s clock rules', () => {
  const opening = (patch: Partial<ScreenState> = {}): ScreenState => ({
    lectureDurationSec: 3600,
    clockMs: T0,
    carryMs: openingAllowanceMs(),
    lastSeq: null,
    seenMask: 0,
    positionSec: 0,
    playedSec: 0,
    ...patch,
  });

  it('credits a forger claiming an hour in a minute with the minute (+ the opening allowance)', () => {
    const result = acceptScreenBeat(opening(), { seq: 0, intervals: [[0, 3600]], position: 3600 }, T0 + 60_000);
    expect(result.replay).toBe(false);
    if (result.replay) return;
    expect(result.playedSec).toBe(62);
    expect(result.suspicious).toBe(true);
    expect(result.play).toEqual({ fromMs: T0, toMs: T0 + 60_000, intervals: [[0, 62]] });
  });

  it('places a short play after a pause at the end of the gap', () => {
    const result = acceptScreenBeat(opening({ carryMs: 0, lastSeq: 3 }), { seq: 4, intervals: [[30, 40]], position: 40 }, T0 + 300_000);
    if (result.replay) throw new Error('expected a play');
    expect(result.play).toEqual({ fromMs: T0 + 290_000, toMs: T0 + 300_000, intervals: [[30, 40]] });
  });

  it('answers a replayed seq with no play and the same state', () => {
    const first = acceptScreenBeat(opening(), { seq: 0, intervals: [[0, 10]], position: 10 }, T0 + 10_000);
    const again = acceptScreenBeat(first.state, { seq: 0, intervals: [[0, 10]], position: 10 }, T0 + 20_000);
    expect(again).toEqual({ replay: true, state: first.state });
  });

  it('over any run of beats: played ≤ wall time since the screen started + the opening allowance; each play inside its window’s bound', () => {
    const beats = fc.array(
      fc.record({
        gapMs: fc.integer({ min: -2000, max: 60_000 }),
        seq: fc.integer({ min: 0, max: 40 }),
        intervals: fc.array(mediaPiece, { maxLength: 4 }),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(beats, (list) => {
        let state = opening();
        let now = T0;
        let latest = T0;
        let total = 0;
        const seen = new Set<number>();
        for (const { gapMs, seq, intervals } of list) {
          now += gapMs;
          latest = Math.max(latest, now);
          const result = acceptScreenBeat(state, { seq, intervals, position: 0 }, now);
          if (result.replay) {
            expect(result.state).toBe(state);
            continue;
          }
          expect(seen.has(seq)).toBe(false);
          seen.add(seq);
          total += measureMs(result.play.intervals);
          expect(measureMs(result.play.intervals)).toBe(Math.round(result.playedSec * 1000));
          expect(result.play.fromMs).toBeGreaterThanOrEqual(state.clockMs);
          expect(result.play.toMs).toBe(Math.max(state.clockMs, now));
          state = result.state;
        }
        expect(total).toBeLessThanOrEqual(latest - T0 + openingAllowanceMs());
        expect(Math.round(state.playedSec * 1000)).toBe(total);
      }),
    );
  });
});
