import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  allowedCreditMs,
  creditHeartbeat,
  type CreditableHeartbeat,
  type CreditPolicy,
  type CreditResult,
  type CreditState,
} from './crediting.js';
import { measure, type Interval } from './intervals.js';

const T0 = 1_700_000_000_000;

function state(patch: Partial<CreditState> = {}): CreditState {
  return { coverage: [], lectureDurationSec: 3600, creditedSec: 0, lastAcceptedAtMs: T0, lastSeq: null, ...patch };
}

function beat(patch: Partial<CreditableHeartbeat> = {}): CreditableHeartbeat {
  return { seq: 1, intervals: [], position: 0, visible: true, muted: false, ...patch };
}

describe('allowedCreditMs', () => {
  it.each<[string, number, number]>([
    ['no time passed', 0, 0],
    ['1 s gap: 10 % grace', 1_000, 1_100],
    ['10 s gap: 1 s grace', 10_000, 11_000],
    ['20 s gap: full 2 s grace', 20_000, 22_000],
    ['10 min gap: grace stays 2 s', 600_000, 602_000],
    ['rounds down', 1_234, 1_357],
  ])('%s', (_name, elapsedMs, expected) => {
    expect(allowedCreditMs(elapsedMs)).toBe(expected);
  });
});

interface Case {
  name: string;
  state?: Partial<CreditState>;
  beat: Partial<CreditableHeartbeat>;
  afterMs: number;
  options?: Partial<CreditPolicy>;
  expected: Partial<CreditResult>;
}

describe('creditHeartbeat', () => {
  it.each<Case>([
    {
      name: 'honest 10 s tick earns 10 s',
      beat: { intervals: [[0, 10]], position: 10 },
      afterMs: 10_000,
      expected: { creditedSec: 10, totalCreditedSec: 10, coverage: [[0, 10]], suspicious: false, replay: false },
    },
    {
      name: 'claiming 600 s in 10 s earns only the wall clock (+1 s grace) and is flagged',
      beat: { intervals: [[0, 600]] },
      afterMs: 10_000,
      expected: { creditedSec: 11, totalCreditedSec: 11, coverage: [[0, 11]], suspicious: true, claimedSec: 600 },
    },
    {
      name: '2× speed earns real time, not media time, and is not suspicious',
      beat: { intervals: [[0, 20]] },
      afterMs: 10_000,
      expected: { creditedSec: 11, coverage: [[0, 11]], suspicious: false },
    },
    {
      name: '4× speed plus grace is the most a real player claims without a flag',
      beat: { intervals: [[0, 42]] },
      afterMs: 10_000,
      expected: { suspicious: false },
    },
    {
      name: 'hidden page earns nothing',
      beat: { intervals: [[0, 10]], visible: false },
      afterMs: 10_000,
      expected: { creditedSec: 0, coverage: [], suspicious: false },
    },
    {
      name: 'muted and hidden earns nothing',
      beat: { intervals: [[0, 10]], visible: false, muted: true },
      afterMs: 10_000,
      expected: { creditedSec: 0, coverage: [] },
    },
    {
      name: 'muted but visible still earns',
      beat: { intervals: [[0, 10]], muted: true },
      afterMs: 10_000,
      expected: { creditedSec: 10 },
    },
    {
      name: 'paused (no intervals) earns nothing',
      beat: { intervals: [] },
      afterMs: 60_000,
      expected: { creditedSec: 0, coverage: [], completed: false },
    },
    {
      name: 'rewatching covered media earns nothing',
      state: { coverage: [[0, 30]], creditedSec: 30 },
      beat: { intervals: [[5, 15]] },
      afterMs: 10_000,
      expected: { creditedSec: 0, totalCreditedSec: 30, coverage: [[0, 30]] },
    },
    {
      name: 'only the new part of a partly rewatched span earns',
      state: { coverage: [[0, 10]], creditedSec: 10 },
      beat: { intervals: [[5, 15]] },
      afterMs: 10_000,
      expected: { creditedSec: 5, totalCreditedSec: 15, coverage: [[0, 15]] },
    },
    {
      name: 'overlapping pieces in one heartbeat count once',
      beat: {
        intervals: [
          [0, 6],
          [4, 10],
        ],
      },
      afterMs: 10_000,
      expected: { creditedSec: 10, coverage: [[0, 10]] },
    },
    {
      name: 'truncated credit covers the earliest media first',
      beat: {
        intervals: [
          [100, 110],
          [0, 10],
        ],
      },
      afterMs: 5_000,
      expected: { creditedSec: 5.5, coverage: [[0, 5.5]], suspicious: false },
    },
    {
      name: 'claims past the end are clamped; the last seconds complete the lecture',
      state: { lectureDurationSec: 300, coverage: [[0, 295]], creditedSec: 295 },
      beat: { intervals: [[295, 320]], position: 320 },
      afterMs: 30_000,
      expected: {
        creditedSec: 5,
        totalCreditedSec: 300,
        coverage: [[0, 300]],
        coverageRatio: 1,
        completed: true,
        position: 300,
      },
    },
    {
      name: 'total never exceeds the duration even if the stored total drifted',
      state: { lectureDurationSec: 300, creditedSec: 299 },
      beat: { intervals: [[0, 10]] },
      afterMs: 10_000,
      expected: { creditedSec: 1, totalCreditedSec: 300, coverage: [[0, 1]] },
    },
    {
      name: 'fractional seconds',
      beat: { intervals: [[0, 2.5]] },
      afterMs: 2_500,
      expected: { creditedSec: 2.5, coverage: [[0, 2.5]] },
    },
    {
      name: 'server clock going backwards grants nothing',
      beat: { intervals: [[0, 10]] },
      afterMs: -5_000,
      expected: { creditedSec: 0, suspicious: true },
    },
    {
      name: 'first heartbeat in a session is timed from the session opening',
      state: { lastSeq: null },
      beat: { seq: 0, intervals: [[0, 3]] },
      afterMs: 3_000,
      expected: { creditedSec: 3, replay: false },
    },
    {
      name: 'completion at the default 95 % threshold',
      state: { lectureDurationSec: 100, coverage: [[0, 90]], creditedSec: 90 },
      beat: { intervals: [[90, 95]] },
      afterMs: 5_000,
      expected: { totalCreditedSec: 95, coverageRatio: 0.95, completed: true },
    },
    {
      name: 'completion threshold is a parameter',
      state: { lectureDurationSec: 100, coverage: [[0, 90]], creditedSec: 90 },
      beat: { intervals: [[90, 95]] },
      afterMs: 5_000,
      options: { completionThreshold: 0.99 },
      expected: { coverageRatio: 0.95, completed: false },
    },
    {
      name: 'undefined options fall back to the defaults',
      beat: { intervals: [[0, 10]] },
      afterMs: 10_000,
      options: { rateTolerance: undefined, completionThreshold: undefined },
      expected: { creditedSec: 10, completed: false },
    },
    {
      name: 'lecture of unknown length earns nothing',
      state: { lectureDurationSec: 0 },
      beat: { intervals: [[0, 10]] },
      afterMs: 10_000,
      expected: { creditedSec: 0, coverageRatio: 0, completed: false, position: 0 },
    },
  ])('$name', ({ state: statePatch, beat: beatPatch, afterMs, options, expected }) => {
    expect(creditHeartbeat(state(statePatch), beat(beatPatch), T0 + afterMs, options)).toMatchObject(expected);
  });

  it('advances the session clock and seq even when nothing is earned', () => {
    const result = creditHeartbeat(state({ lastSeq: 3 }), beat({ seq: 4, visible: false }), T0 + 10_000);
    expect(result.state).toEqual(state({ lastSeq: 4, lastAcceptedAtMs: T0 + 10_000 }));
  });

  it('never moves the session clock backwards', () => {
    const result = creditHeartbeat(state(), beat(), T0 - 5_000);
    expect(result.state.lastAcceptedAtMs).toBe(T0);
  });

  it('ignores a NaN server clock', () => {
    const result = creditHeartbeat(state(), beat({ intervals: [[0, 10]] }), NaN);
    expect(result).toMatchObject({ creditedSec: 0, state: { lastAcceptedAtMs: T0 } });
  });

  it.each<[string, number]>([
    ['same seq', 5],
    ['older seq', 2],
  ])('a replay (%s) changes nothing and is flagged', (_name, seq) => {
    const before = state({ lastSeq: 5, coverage: [[0, 10]], creditedSec: 10 });
    const result = creditHeartbeat(before, beat({ seq, intervals: [[10, 20]] }), T0 + 10_000);
    expect(result).toMatchObject({ replay: true, creditedSec: 0, totalCreditedSec: 10, coverage: [[0, 10]] });
    expect(result.state).toBe(before);
  });

  it('seconds cut off by the wall clock can still be earned later', () => {
    const first = creditHeartbeat(state(), beat({ seq: 1, intervals: [[0, 60]] }), T0 + 10_000);
    expect(first.coverage).toEqual([[0, 11]]);
    const second = creditHeartbeat(first.state, beat({ seq: 2, intervals: [[11, 21]] }), T0 + 20_000);
    expect(second).toMatchObject({ creditedSec: 10, totalCreditedSec: 21, coverage: [[0, 21]] });
  });
});

// ---- Property tests against a per-second bitmap model -------------------------------------------

const DURATION = 300;

interface Step {
  intervals: Interval[];
  gapMs: number;
  visible: boolean;
  muted: boolean;
  /** 0 or negative makes this heartbeat a replay of an earlier seq. */
  seqStep: number;
}

// Integer seconds, partly past the end of the lecture so clamping is exercised.
const secondsInterval = fc
  .tuple(fc.integer({ min: 0, max: DURATION + 20 }), fc.integer({ min: 0, max: 60 }))
  .map(([start, length]): Interval => [start, start + length]);

function steps(gapMs: fc.Arbitrary<number>, replays: boolean): fc.Arbitrary<Step[]> {
  const step = fc.record({
    intervals: fc.array(secondsInterval, { maxLength: 4 }),
    gapMs,
    visible: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    muted: fc.boolean(),
    seqStep: replays ? fc.integer({ min: -2, max: 3 }) : fc.integer({ min: 1, max: 3 }),
  });
  return fc.array(step, { minLength: 1, maxLength: 30 });
}

interface Run {
  results: CreditResult[];
  final: CreditState;
  nowMs: number;
  accepted: number;
  /** Seconds of [0, DURATION) covered by accepted, visible heartbeats. */
  bitmap: boolean[];
  heartbeats: CreditableHeartbeat[];
}

function run(list: Step[]): Run {
  let current: CreditState = {
    coverage: [],
    lectureDurationSec: DURATION,
    creditedSec: 0,
    lastAcceptedAtMs: T0,
    lastSeq: null,
  };
  let nowMs = T0;
  let seq = 0;
  let accepted = 0;
  const bitmap = Array<boolean>(DURATION).fill(false);
  const results: CreditResult[] = [];
  const heartbeats: CreditableHeartbeat[] = [];
  for (const step of list) {
    nowMs += step.gapMs;
    seq = Math.max(0, seq + step.seqStep);
    const heartbeat = beat({ seq, intervals: step.intervals, visible: step.visible, muted: step.muted });
    const result = creditHeartbeat(current, heartbeat, nowMs);
    if (!result.replay) {
      accepted++;
      if (step.visible) {
        for (const [start, end] of step.intervals) for (let s = start; s < Math.min(end, DURATION); s++) bitmap[s] = true;
      }
    }
    results.push(result);
    heartbeats.push(heartbeat);
    current = result.state;
  }
  return { results, final: current, nowMs, accepted, bitmap, heartbeats };
}

const anyGap = fc.integer({ min: 0, max: 90_000 });
const generousGap = fc.integer({ min: (DURATION + 60) * 1000, max: 3_600_000 });

describe('creditHeartbeat properties (bitmap model)', () => {
  it('(a) total credited never exceeds the duration, and coverage is exactly what was credited', () => {
    fc.assert(
      fc.property(steps(anyGap, true), (list) => {
        const { results } = run(list);
        let previous = 0;
        for (const result of results) {
          expect(result.creditedSec).toBeGreaterThanOrEqual(0);
          expect(result.totalCreditedSec).toBeLessThanOrEqual(DURATION);
          // Compared in ms: the lib's totals are exact on the ms grid, a float sum here would not be.
          expect(Math.round(result.totalCreditedSec * 1000)).toBe(Math.round((previous + result.creditedSec) * 1000));
          expect(measure(result.coverage)).toBe(result.totalCreditedSec);
          previous = result.totalCreditedSec;
        }
      }),
    );
  });

  it('(b) total credited never exceeds the wall clock plus the capped grace', () => {
    fc.assert(
      fc.property(steps(anyGap, true), (list) => {
        const { final, accepted } = run(list);
        const wallMs = final.lastAcceptedAtMs - T0;
        const creditedMs = Math.round(final.creditedSec * 1000);
        expect(creditedMs).toBeLessThanOrEqual(wallMs + 2_000 * accepted);
        expect(creditedMs).toBeLessThanOrEqual(Math.floor(wallMs * 1.1));
      }),
    );
  });

  it('(c) with a generous wall clock, total credited equals the distinct seconds watched while visible', () => {
    fc.assert(
      fc.property(steps(generousGap, false), (list) => {
        const { final, bitmap } = run(list);
        const watched = bitmap.filter(Boolean).length;
        expect(final.creditedSec).toBe(watched);
        const covered = Array.from({ length: DURATION }, (_, s) => final.coverage.some(([a, b]) => a <= s && s < b));
        expect(covered).toEqual(bitmap);
      }),
    );
  });

  it('(d) replaying any earlier heartbeat changes nothing', () => {
    fc.assert(
      fc.property(steps(anyGap, true), fc.nat(), anyGap, (list, pick, laterMs) => {
        const { final, nowMs, heartbeats } = run(list);
        fc.pre(final.lastSeq !== null);
        const replayed = heartbeats[pick % heartbeats.length]!;
        fc.pre(replayed.seq <= final.lastSeq!);
        const snapshot = structuredClone(final);
        const result = creditHeartbeat(final, replayed, nowMs + laterMs);
        expect(result).toMatchObject({ replay: true, creditedSec: 0, totalCreditedSec: final.creditedSec });
        expect(result.state).toBe(final);
        expect(final).toEqual(snapshot);
      }),
    );
  });

  it('(e) rewatching already covered media adds nothing', () => {
    const slices = fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(steps(anyGap, false), slices, generousGap, (list, picks, laterMs) => {
        const { final, nowMs } = run(list);
        fc.pre(final.coverage.length > 0);
        // Random sub-spans of covered pieces, at fractional positions.
        const rewatch = picks.map(([index, x, y]): Interval => {
          const [start, end] = final.coverage[index % final.coverage.length]!;
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          return [start + (end - start) * lo, start + (end - start) * hi];
        });
        const result = creditHeartbeat(final, beat({ seq: final.lastSeq! + 1, intervals: rewatch }), nowMs + laterMs);
        expect(result.creditedSec).toBe(0);
        expect(result.coverage).toEqual(final.coverage);
        expect(result.totalCreditedSec).toBe(final.creditedSec);
      }),
    );
  });
});
