import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  creditHeartbeat,
  DEFAULT_CREDIT_POLICY,
  openingAllowanceMs,
  sessionStanding,
  type CreditableHeartbeat,
  type CreditPolicy,
  type CreditResult,
  type CreditState,
} from './crediting.js';
import { measure, type Interval } from './intervals.js';

const T0 = 1_700_000_000_000;

function state(patch: Partial<CreditState> = {}): CreditState {
  // Mid-session: nothing carried, so a heartbeat's allowance is exactly the time since the previous one.
  return {
    coverage: [],
    lectureDurationSec: 3600,
    creditedSec: 0,
    position: 0,
    clockMs: T0,
    carryMs: 0,
    lastSeq: null,
    seenMask: 0,
    ...patch,
  };
}

function beat(patch: Partial<CreditableHeartbeat> = {}): CreditableHeartbeat {
  return { seq: 1, intervals: [], position: 0, visible: true, muted: false, ...patch };
}

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
      name: 'claiming 600 s in 10 s earns only the wall clock and is flagged',
      beat: { intervals: [[0, 600]] },
      afterMs: 10_000,
      expected: { creditedSec: 10, totalCreditedSec: 10, coverage: [[0, 10]], suspicious: true, claimedSec: 600 },
    },
    {
      name: '2× speed earns real time, not media time, and is not suspicious',
      beat: { intervals: [[0, 20]] },
      afterMs: 10_000,
      expected: { creditedSec: 10, coverage: [[0, 10]], suspicious: false },
    },
    {
      name: '4× speed plus 2 s is the most a real player claims without a flag',
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
      expected: { creditedSec: 5, coverage: [[0, 5]], suspicious: false },
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
      name: 'first heartbeat in a session is timed from the session opening, plus the opening allowance',
      state: { lastSeq: null, carryMs: openingAllowanceMs() },
      beat: { seq: 0, intervals: [[0, 9]] },
      afterMs: 3_000,
      expected: { creditedSec: 5, replay: false },
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
      options: { maxCarrySec: undefined, completionThreshold: undefined },
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

  it('advances the session clock and seq, and carries the unspent time, even when nothing is earned', () => {
    const result = creditHeartbeat(state({ lastSeq: 3 }), beat({ seq: 4, visible: false }), T0 + 10_000);
    expect(result.state).toEqual(state({ lastSeq: 4, seenMask: 1, clockMs: T0 + 10_000, carryMs: 10_000 }));
  });

  it('carries at most maxCarrySec of unspent time to the next heartbeat', () => {
    const result = creditHeartbeat(state({ lastSeq: 3 }), beat({ seq: 4 }), T0 + 500_000);
    expect(result.state.carryMs).toBe(DEFAULT_CREDIT_POLICY.maxCarrySec * 1000);
  });

  it('never moves the session clock backwards', () => {
    const result = creditHeartbeat(state(), beat(), T0 - 5_000);
    expect(result.state.clockMs).toBe(T0);
  });

  it('ignores a NaN server clock', () => {
    const result = creditHeartbeat(state(), beat({ intervals: [[0, 10]] }), NaN);
    expect(result).toMatchObject({ creditedSec: 0, state: { clockMs: T0 } });
  });

  it.each<[string, number, number]>([
    ['same seq', 5, 0],
    ['an older seq already answered', 2, 0b100],
    ['a seq behind the window', 5 - 1 - 32, 0],
  ])('a duplicate (%s) changes nothing and is flagged', (_name, seq, seenMask) => {
    const before = state({ lastSeq: 5, seenMask, coverage: [[0, 10]], creditedSec: 10 });
    const result = creditHeartbeat(before, beat({ seq, intervals: [[10, 20]] }), T0 + 10_000);
    expect(result).toMatchObject({ replay: true, standing: 'duplicate', creditedSec: 0, totalCreditedSec: 10, coverage: [[0, 10]] });
    expect(result.state).toBe(before);
  });

  it('credits a late heartbeat once, from what the newer one left unspent, without moving the position', () => {
    // seq 1 at 10 s; seq 3 (a pause after 1.3 s) overtakes seq 2 (a 10 s tick delayed 3 s by the network).
    const first = creditHeartbeat(
      state({ carryMs: openingAllowanceMs() }),
      beat({ seq: 1, intervals: [[0, 10]], position: 10 }),
      T0 + 10_000,
    );
    const third = creditHeartbeat(first.state, beat({ seq: 3, intervals: [[20, 21.3]], position: 21.3 }), T0 + 21_400);
    const second = creditHeartbeat(third.state, beat({ seq: 2, intervals: [[10, 20]], position: 20 }), T0 + 23_000);
    expect(second).toMatchObject({ standing: 'late', creditedSec: 10, totalCreditedSec: 21.3, position: 21.3 });
    const again = creditHeartbeat(second.state, beat({ seq: 2, intervals: [[10, 20]], position: 20 }), T0 + 24_000);
    expect(again).toMatchObject({ replay: true, creditedSec: 0, totalCreditedSec: 21.3 });
  });

  it('moves the saved position only by playback', () => {
    const saved = state({ lastSeq: 1, position: 24 });
    expect(creditHeartbeat(saved, beat({ seq: 2, position: 0 }), T0 + 10_000)).toMatchObject({ position: 24, state: { position: 24 } });
    expect(creditHeartbeat(saved, beat({ seq: 2, intervals: [[24, 30]], position: 30 }), T0 + 10_000).position).toBe(30);
    // Hidden playback earns nothing, but it is still playback.
    expect(creditHeartbeat(saved, beat({ seq: 2, intervals: [[24, 30]], position: 30, visible: false }), T0 + 10_000).position).toBe(30);
  });

  it('seconds cut off by the wall clock can still be earned later', () => {
    const first = creditHeartbeat(state(), beat({ seq: 1, intervals: [[0, 60]] }), T0 + 10_000);
    expect(first.coverage).toEqual([[0, 10]]);
    const second = creditHeartbeat(first.state, beat({ seq: 2, intervals: [[10, 20]] }), T0 + 20_000);
    expect(second).toMatchObject({ creditedSec: 10, totalCreditedSec: 20, coverage: [[0, 20]] });
  });

  it('2× speed earns real time over a whole session, not 1.1×', () => {
    let current = state({ carryMs: openingAllowanceMs() });
    for (let seq = 1; seq <= 60; seq++) {
      current = creditHeartbeat(current, beat({ seq, intervals: [[(seq - 1) * 20, seq * 20]] }), T0 + seq * 10_000).state;
    }
    // 600 s of wall time, plus the opening allowance.
    expect(current.creditedSec).toBe(602);
  });
});

describe('sessionStanding', () => {
  const open = { reason: null, atMs: null } as const;
  it.each<[string, Parameters<typeof sessionStanding>[1], number, ReturnType<typeof sessionStanding>]>([
    ['live', open, T0 + 10_000, { live: true, creditAtMs: T0 + 10_000 }],
    ['live up to the inactivity limit', open, T0 + 600_000, { live: true, creditAtMs: T0 + 600_000 }],
    ['expired after 10 minutes without a heartbeat', open, T0 + 600_001, { live: false, reason: 'expired' }],
    [
      'superseded, within the grace: credited as of the supersession',
      { reason: 'superseded', atMs: T0 + 5_000 },
      T0 + 35_000,
      { live: true, creditAtMs: T0 + 5_000 },
    ],
    ['superseded, past the grace', { reason: 'superseded', atMs: T0 + 5_000 }, T0 + 35_001, { live: false, reason: 'superseded' }],
    ['superseded after it had expired', { reason: 'superseded', atMs: T0 + 700_000 }, T0 + 700_001, { live: false, reason: 'expired' }],
    ['deactivated', { reason: 'deactivated', atMs: T0 }, T0 + 1, { live: false, reason: 'deactivated' }],
    ['withdrawn with its course', { reason: 'withdrawn', atMs: T0 }, T0 + 1, { live: false, reason: 'withdrawn' }],
  ])('%s', (_name, end, nowMs, expected) => {
    expect(sessionStanding(T0, end, nowMs)).toEqual(expected);
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
  arrivals: number[];
}

function run(list: Step[]): Run {
  let current: CreditState = {
    coverage: [],
    lectureDurationSec: DURATION,
    creditedSec: 0,
    position: 0,
    clockMs: T0,
    carryMs: openingAllowanceMs(),
    lastSeq: null,
    seenMask: 0,
  };
  let nowMs = T0;
  let seq = 0;
  let accepted = 0;
  const bitmap = Array<boolean>(DURATION).fill(false);
  const results: CreditResult[] = [];
  const heartbeats: CreditableHeartbeat[] = [];
  const arrivals: number[] = [];
  for (const step of list) {
    nowMs += step.gapMs;
    arrivals.push(nowMs);
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
  return { results, final: current, nowMs, accepted, bitmap, heartbeats, arrivals };
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

  it('(b) credit over a session never exceeds its wall time plus the opening allowance, and no heartbeat more than its gap plus the carry', () => {
    fc.assert(
      fc.property(steps(anyGap, true), (list) => {
        const { final, results, arrivals } = run(list);
        const wallMs = final.clockMs - T0;
        expect(Math.round(final.creditedSec * 1000)).toBeLessThanOrEqual(wallMs + openingAllowanceMs());
        let previousMs = T0;
        results.forEach((result, i) => {
          if (result.replay) return;
          const gapMs = arrivals[i]! - previousMs;
          expect(Math.round(result.creditedSec * 1000)).toBeLessThanOrEqual(gapMs + DEFAULT_CREDIT_POLICY.maxCarrySec * 1000);
          previousMs = arrivals[i]!;
        });
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
        const replayed = heartbeats[pick % heartbeats.length]!;
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

// ---- An honest player's heartbeats, delayed, reordered and repeated by the network ----------------

interface Sent {
  heartbeat: CreditableHeartbeat;
  /** Server time it arrives. */
  atMs: number;
}

/** Most a heartbeat is delayed, plus the longest span one reports, stays within what is carried (30 s). */
const MAX_DELAY_MS = 15_000;

/**
 * A player at most at 1× (paused stretches included), reporting every ≤ 10 s: heartbeat k reports
 * media played between its send time and the previous one's. Each arrives up to 15 s late.
 */
const honestSession = fc
  .array(
    fc.record({
      wallMs: fc.integer({ min: 1, max: 10_000 }),
      playedShare: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      delayMs: fc.integer({ min: 0, max: MAX_DELAY_MS }),
      visible: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      skipMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((steps) => {
    let sentAtMs = T0;
    let mediaMs = 0;
    return steps.map(({ wallMs, playedShare, delayMs, visible, skipMs }, i): Sent => {
      // A seek between heartbeats jumps the media position; the played span still takes its wall time.
      mediaMs += skipMs;
      const playedMs = Math.floor(wallMs * playedShare);
      const interval: Interval = [mediaMs / 1000, (mediaMs + playedMs) / 1000];
      mediaMs += playedMs;
      sentAtMs += wallMs;
      return {
        heartbeat: beat({ seq: i + 1, intervals: playedMs > 0 ? [interval] : [], position: mediaMs / 1000, visible }),
        atMs: sentAtMs + delayMs,
      };
    });
  });

function deliver(sent: readonly Sent[], durationSec = 3600): { final: CreditState; results: CreditResult[] } {
  let current: CreditState = {
    coverage: [],
    lectureDurationSec: durationSec,
    creditedSec: 0,
    position: 0,
    clockMs: T0,
    carryMs: openingAllowanceMs(),
    lastSeq: null,
    seenMask: 0,
  };
  const results: CreditResult[] = [];
  // Stable sort: what arrives at the same millisecond is taken in the order it was sent.
  for (const { heartbeat, atMs } of [...sent].sort((a, b) => a.atMs - b.atMs)) {
    const result = creditHeartbeat(current, heartbeat, atMs);
    results.push(result);
    current = result.state;
  }
  return { final: current, results };
}

const visibleMedia = (sent: readonly Sent[], durationSec = 3600) =>
  Math.round(
    measure(
      sent
        .filter((s) => s.heartbeat.visible)
        .flatMap((s) => s.heartbeat.intervals)
        .map(([a, b]): Interval => [Math.min(a, durationSec), Math.min(b, durationSec)]),
    ) * 1000,
  );

describe('honest sessions under a real network (properties)', () => {
  it('(f) every second played while visible is credited exactly once, whatever the delays and order of arrival', () => {
    fc.assert(
      fc.property(honestSession, (sent) => {
        const { final, results } = deliver(sent);
        expect(Math.round(final.creditedSec * 1000)).toBe(visibleMedia(sent));
        expect(results.filter((r) => !r.replay)).toHaveLength(sent.length);
      }),
    );
  });

  it('(g) no replay, duplication or reordering within the window changes the total', () => {
    const copies = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: MAX_DELAY_MS })), { maxLength: 20 });
    fc.assert(
      fc.property(honestSession, copies, (sent, extra) => {
        const inOrder = deliver(sent.map((s, i) => ({ ...s, atMs: T0 + 10_000 * (i + 1) + 1_000_000 })));
        // Each copy is the same heartbeat arriving again, later.
        const repeated = extra.map(([pick, laterMs]) => {
          const original = sent[pick % sent.length]!;
          return { heartbeat: original.heartbeat, atMs: original.atMs + laterMs };
        });
        const { final } = deliver([...sent, ...repeated]);
        expect(final.creditedSec).toBe(deliver(sent).final.creditedSec);
        expect(Math.round(final.creditedSec * 1000)).toBe(Math.round(inOrder.final.creditedSec * 1000));
      }),
    );
  });

  it('(h) the saved position is only ever where playback left it: the newest heartbeat that played, unless a late one arrives after it', () => {
    fc.assert(
      fc.property(honestSession, (sent) => {
        const { final } = deliver(sent);
        const played = sent.filter((s) => s.heartbeat.intervals.length > 0);
        expect([0, ...played.map((s) => s.heartbeat.position)]).toContain(final.position);
        const inOrder = sent.every((s, i) => i === 0 || sent[i - 1]!.atMs <= s.atMs);
        if (inOrder) expect(final.position).toBe(played.length === 0 ? 0 : played.at(-1)!.heartbeat.position);
      }),
    );
  });
});

describe('a superseded session (properties)', () => {
  it('(i) credits heartbeats arriving within the grace, never beyond its wall time up to the supersession plus the allowance', () => {
    fc.assert(
      fc.property(steps(anyGap, true), fc.integer({ min: 0, max: 600_000 }), (list, supersededAfterMs) => {
        const supersededAtMs = T0 + supersededAfterMs;
        let current: CreditState = {
          coverage: [],
          lectureDurationSec: DURATION,
          creditedSec: 0,
          position: 0,
          clockMs: T0,
          carryMs: openingAllowanceMs(),
          lastSeq: null,
          seenMask: 0,
        };
        let nowMs = T0;
        let seq = 0;
        for (const step of list) {
          nowMs += step.gapMs;
          seq = Math.max(0, seq + step.seqStep);
          const end =
            nowMs > supersededAtMs ? ({ reason: 'superseded', atMs: supersededAtMs } as const) : ({ reason: null, atMs: null } as const);
          const standing = sessionStanding(current.clockMs, end, nowMs);
          if (nowMs > supersededAtMs + DEFAULT_CREDIT_POLICY.supersededGraceSec * 1000) expect(standing.live).toBe(false);
          if (!standing.live) continue;
          expect(standing.creditAtMs).toBeLessThanOrEqual(supersededAtMs > nowMs ? nowMs : supersededAtMs);
          current = creditHeartbeat(current, beat({ seq, intervals: step.intervals, visible: step.visible }), standing.creditAtMs).state;
        }
        expect(current.clockMs).toBeLessThanOrEqual(Math.max(T0, supersededAtMs));
        expect(Math.round(current.creditedSec * 1000)).toBeLessThanOrEqual(Math.max(0, supersededAtMs - T0) + openingAllowanceMs());
      }),
    );
  });
});

describe('listening with the screen off', () => {
  const played: Interval[] = [[0, 10]];

  it.each<[string, Partial<CreditableHeartbeat>, number]>([
    ['hidden audio earns like watching', { visible: false, audio: true }, 10],
    ['visible audio earns', { visible: true, audio: true }, 10],
    ['hidden video earns nothing', { visible: false, audio: false }, 0],
    ['hidden, from a player that does not say (video)', { visible: false }, 0],
  ])('%s', (_name, patch, credited) => {
    const result = creditHeartbeat(state(), beat({ intervals: played, ...patch }), T0 + 10_000);
    expect(result.creditedSec).toBe(credited);
  });

  it('credits hidden audio up to an unanswered check-in deadline, and nothing of the time after it', () => {
    const result = creditHeartbeat(state(), beat({ intervals: played, visible: false, audio: true }), T0 + 10_000, {}, [
      T0 + 4000,
      Infinity,
    ]);
    expect(result).toMatchObject({ creditedSec: 4, uncreditedSec: 6, attention: true });
  });

  it('spends nothing banked before the deadline once past it', () => {
    const held = creditHeartbeat(
      state({ clockMs: T0 + 5000, carryMs: 20_000 }),
      beat({ intervals: played, visible: false, audio: true }),
      T0 + 10_000,
      {},
      [T0 + 4000, Infinity],
    );
    expect(held.creditedSec).toBe(0);
    expect(held.state.carryMs).toBe(0);
  });

  it('resumes from the answer: only the time since it', () => {
    const resumed = creditHeartbeat(
      state({ clockMs: T0 + 5000 }),
      beat({ intervals: played, visible: false, audio: true }),
      T0 + 10_000,
      {},
      [T0 + 4000, T0 + 8000],
    );
    expect(resumed.creditedSec).toBe(2);
  });

  it('never holds up visible video', () => {
    const watched = creditHeartbeat(state({ clockMs: T0 }), beat({ intervals: played }), T0 + 10_000, {}, [T0, Infinity]);
    expect(watched).toMatchObject({ creditedSec: 10, uncreditedSec: 0, attention: false });
  });
});
