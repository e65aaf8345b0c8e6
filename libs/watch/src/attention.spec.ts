import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  advanceCheckins,
  answerCheckin,
  blockedWindow,
  checkinDueAfterMs,
  checkinOutcome,
  DEFAULT_CHECKIN_RANGE,
  elapsedOutsideMs,
  isAttentionMode,
  NO_CHECKIN,
  pendingCheckin,
  strictestCheckinRange,
  type AttentionPolicy,
  type BlockedWindow,
  type CheckinRange,
  type CheckinState,
} from './attention.js';
import { creditHeartbeat, openingAllowanceMs, type CreditState } from './crediting.js';
import type { Interval } from './intervals.js';

const T0 = 1_700_000_000_000;
const UNIT_MS = 1000;
const GRACE_MS = 3000;

describe('strictestCheckinRange', () => {
  it.each<[string, Array<{ min: number | null; max: number | null }>, CheckinRange | null]>([
    ['no plan: the default 10–20', [], DEFAULT_CHECKIN_RANGE],
    ['one plan', [{ min: 5, max: 8 }], { min: 5, max: 8 }],
    [
      'the smallest of each end',
      [
        { min: 10, max: 20 },
        { min: 15, max: 15 },
      ],
      { min: 10, max: 15 },
    ],
    [
      'plans that ask nothing are left out',
      [
        { min: null, max: null },
        { min: 12, max: 30 },
      ],
      { min: 12, max: 30 },
    ],
    [
      'every plan asks nothing: never asked',
      [
        { min: null, max: null },
        { min: null, max: null },
      ],
      null,
    ],
  ])('%s', (_name, plans, expected) => {
    expect(strictestCheckinRange(plans)).toEqual(expected);
  });

  const plan = fc.oneof(
    fc.constant({ min: null, max: null }),
    fc.integer({ min: 2, max: 120 }).chain((min) => fc.integer({ min, max: 120 }).map((max) => ({ min, max }))),
  );

  it('is a valid range, no looser than any plan that asks, and null only when none does', () => {
    fc.assert(
      fc.property(fc.array(plan, { minLength: 1, maxLength: 8 }), (plans) => {
        const range = strictestCheckinRange(plans);
        const asking = plans.filter((p): p is { min: number; max: number } => p.min !== null);
        if (asking.length === 0) return range === null;
        if (range === null || range.min > range.max) return false;
        return (
          asking.every((p) => range.min <= p.min && range.max <= p.max) &&
          asking.some((p) => p.min === range.min) &&
          asking.some((p) => p.max === range.max)
        );
      }),
    );
  });
});

describe('checkinDueAfterMs', () => {
  it('stays inside the range for every draw, and reaches both ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 120 }).chain((min) => fc.tuple(fc.constant(min), fc.integer({ min, max: 120 }))),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ([min, max], unitMs, draw) => {
          const due = checkinDueAfterMs({ min, max }, unitMs, draw);
          return Number.isInteger(due) && due >= min * unitMs && due <= max * unitMs;
        },
      ),
    );
    expect(checkinDueAfterMs({ min: 10, max: 20 }, 60_000, 0)).toBe(600_000);
    expect(checkinDueAfterMs({ min: 10, max: 20 }, 60_000, 1 - 2 ** -48)).toBe(1_200_000);
  });

  it('treats a broken draw as the earliest time, never as never', () => {
    expect(checkinDueAfterMs({ min: 10, max: 20 }, 1000, Number.NaN)).toBe(10_000);
    expect(checkinDueAfterMs({ min: 10, max: 20 }, 1000, 7)).toBe(20_000);
  });
});

describe('elapsedOutsideMs', () => {
  const time = fc.integer({ min: 0, max: 100_000 });
  const window = fc.option(
    fc.tuple(time, fc.oneof(time, fc.constant(Infinity))).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as BlockedWindow),
    { nil: null },
  );

  it('is between nothing and the whole span, and adds up over consecutive spans', () => {
    fc.assert(
      fc.property(time, time, time, window, (a, b, c, w) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        const whole = elapsedOutsideMs(x, z, w);
        return whole >= 0 && whole <= z - x && elapsedOutsideMs(x, y, w) + elapsedOutsideMs(y, z, w) === whole;
      }),
    );
  });

  it('is the whole span without a window, and nothing inside it', () => {
    expect(elapsedOutsideMs(10, 50, null)).toBe(40);
    expect(elapsedOutsideMs(10, 50, [0, Infinity])).toBe(0);
    expect(elapsedOutsideMs(10, 50, [20, 30])).toBe(30);
    expect(elapsedOutsideMs(50, 10, null)).toBe(0);
  });
});

describe('checkinOutcome', () => {
  it.each<[string, number | null, number, string]>([
    ['answered before the deadline', T0 + 1000, T0 + 9000, 'answered'],
    ['answered at the deadline', T0 + 3000, T0 + 9000, 'answered'],
    ['answered after it', T0 + 4000, T0 + 9000, 'late'],
    ['unanswered, still time', null, T0 + 3000, 'pending'],
    ['unanswered past the deadline', null, T0 + 3001, 'missed'],
  ])('%s', (_name, answeredAtMs, nowMs, outcome) => {
    expect(checkinOutcome({ answerByMs: T0 + 3000, answeredAtMs }, nowMs)).toBe(outcome);
  });
});

/**
 * A session as the heartbeat batch runs it: heartbeats credited against the check-in's blocked window,
 * then counted toward the next check-in; answers in between.
 */
type Step = { kind: 'beat'; gapMs: number; visible: boolean; audio: boolean; playedMs: number } | { kind: 'answer'; gapMs: number };

interface Run {
  credits: Array<{ atMs: number; fromMs: number; creditMs: number; attention: boolean }>;
  /** Every blocked window as it stood at the end, one per check-in. */
  windows: BlockedWindow[];
  asked: Array<{ atMs: number; listenedMs: number; dueMs: number }>;
  pendingTwice: boolean;
  finalMs: number;
}

const draw = (n: number) => ((n * 7919) % 1000) / 1000;

function simulate(steps: Step[], range: CheckinRange | null, durationSec = 100_000): Run {
  const policy: AttentionPolicy = { range, unitMs: UNIT_MS, graceMs: GRACE_MS };
  let credit: CreditState = {
    coverage: [],
    lectureDurationSec: durationSec,
    creditedSec: 0,
    position: 0,
    clockMs: T0,
    carryMs: openingAllowanceMs(),
    lastSeq: null,
    seenMask: 0,
  };
  let checkins: CheckinState = NO_CHECKIN;
  let nowMs = T0;
  let seq = 0;
  let ids = 0;
  let mediaSec = 0;
  const windowsById = new Map<string, BlockedWindow>();
  const run: Run = { credits: [], windows: [], asked: [], pendingTwice: false, finalMs: T0 };
  const remember = () => {
    const current = checkins.current;
    if (current) windowsById.set(current.id, [current.answerByMs, current.answeredAtMs ?? Infinity]);
  };
  for (const step of steps) {
    nowMs += step.gapMs;
    if (step.kind === 'answer') {
      const waiting = pendingCheckin(checkins);
      if (waiting) checkins = answerCheckin(checkins, waiting.id, nowMs);
      remember();
      continue;
    }
    const played: Interval[] = step.playedMs > 0 ? [[mediaSec, mediaSec + step.playedMs / 1000]] : [];
    mediaSec += step.playedMs / 1000;
    const heartbeat = { seq: ++seq, intervals: played, position: mediaSec, visible: step.visible, muted: false, audio: step.audio };
    const fromMs = credit.clockMs;
    const result = creditHeartbeat(credit, heartbeat, nowMs, {}, blockedWindow(checkins));
    const creditMs = Math.round(result.creditedSec * 1000);
    run.credits.push({ atMs: nowMs, fromMs, creditMs, attention: result.attention });
    credit = result.state;
    const before = checkins;
    checkins = advanceCheckins(checkins, heartbeat, creditMs, nowMs, policy, draw, () => `c${++ids}`);
    if (checkins.current !== before.current && checkins.current) {
      if (pendingCheckin(before)) run.pendingTwice = true;
      run.asked.push({ atMs: nowMs, listenedMs: checkins.listenedMs, dueMs: checkinDueAfterMs(range!, UNIT_MS, draw(before.count)) });
    }
    remember();
  }
  run.windows = [...windowsById.values()];
  run.finalMs = nowMs;
  return run;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('beat' as const),
      gapMs: fc.integer({ min: 0, max: 15_000 }),
      visible: fc.boolean(),
      audio: fc.boolean(),
      playedMs: fc.integer({ min: 0, max: 40_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('answer' as const), gapMs: fc.integer({ min: 0, max: 20_000 }) }) },
);
const range = fc.integer({ min: 2, max: 30 }).chain((min) => fc.integer({ min, max: 40 }).map((max) => ({ min, max })));

describe('check-ins over a session', () => {
  it('credit never exceeds the wall time outside the deadlines missed while listening with the screen off', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.option(range, { nil: null }), (steps, r) => {
        const run = simulate(steps, r);
        // What each heartbeat's gap could earn: the whole gap, less the blocked windows for hidden or audio listening.
        let bound = openingAllowanceMs();
        for (const c of run.credits) {
          let earning = Math.max(0, c.atMs - c.fromMs);
          if (c.attention) for (const w of run.windows) earning -= Math.max(0, Math.min(c.atMs, w[1]) - Math.max(c.fromMs, w[0]));
          bound += Math.max(0, earning);
        }
        const total = run.credits.reduce((sum, c) => sum + c.creditMs, 0);
        return total <= bound + run.credits.length; // ≤ 1 ms of rounding per heartbeat
      }),
    );
  });

  it('after a missed deadline, listening with the screen off earns nothing until the answer, and nothing banked before it', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), range, (steps, r) => {
        const run = simulate(steps, r);
        return run.credits.every((c) => !c.attention || !run.windows.some((w) => c.fromMs >= w[0] && c.atMs <= w[1]) || c.creditMs === 0);
      }),
    );
  });

  it('after a late answer, listening with the screen off earns at most the time since the answer', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), range, (steps, r) => {
        const run = simulate(steps, r);
        return run.credits.every(
          (c) =>
            !c.attention ||
            !run.windows.some((w) => c.fromMs >= w[0] && c.fromMs < w[1] && c.atMs > w[1]) ||
            run.windows.some((w) => c.fromMs >= w[0] && c.fromMs < w[1] && c.atMs > w[1] && c.creditMs <= c.atMs - w[1]),
        );
      }),
    );
  });

  it('asks only once enough hidden or audio listening has been credited, never twice at once, and never when no plan asks', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.option(range, { nil: null }), (steps, r) => {
        const run = simulate(steps, r);
        if (r === null) return run.asked.length === 0;
        return (
          !run.pendingTwice && run.asked.every((a) => a.listenedMs >= a.dueMs && a.dueMs >= r.min * UNIT_MS && a.dueMs <= r.max * UNIT_MS)
        );
      }),
    );
  });

  it('visible video is never asked and earns exactly as without check-ins', () => {
    const visibleVideo = step.map((s): Step => (s.kind === 'beat' ? { ...s, visible: true, audio: false } : s));
    fc.assert(
      fc.property(fc.array(visibleVideo, { maxLength: 60 }), range, (steps, r) => {
        const asked = simulate(steps, r);
        const never = simulate(steps, null);
        return asked.asked.length === 0 && asked.credits.every((c, i) => c.creditMs === never.credits[i]!.creditMs);
      }),
    );
  });

  it('asks after steady hidden audio listening, and a missed deadline stops credit until the answer', () => {
    const beats = (n: number, visible = false): Step[] =>
      Array.from({ length: n }, () => ({ kind: 'beat', gapMs: 1000, visible, audio: true, playedMs: 1000 }));
    const run = simulate([...beats(40), { kind: 'answer', gapMs: 5000 }, ...beats(5)], { min: 10, max: 10 });
    // Asked at 10 s of listening; 3 s to answer; the next 27 s earn nothing beyond the first 3 s.
    expect(run.asked[0]).toMatchObject({ atMs: T0 + 10_000, dueMs: 10_000 });
    const creditedBetween = (from: number, to: number) =>
      run.credits.filter((c) => c.atMs > from && c.atMs <= to).reduce((sum, c) => sum + c.creditMs, 0);
    expect(creditedBetween(T0 + 10_000, T0 + 13_000)).toBe(3000);
    expect(creditedBetween(T0 + 13_000, T0 + 40_000)).toBe(0);
    // Answered at 45 s: the next beat (46 s) earns one second, not the five since the last heartbeat.
    expect(run.credits.at(-5)!.creditMs).toBe(1000);
  });

  it('hidden audio earns like visible playback, hidden video earns nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 60_000 }), (gapMs, playedMs) => {
        const state: CreditState = {
          coverage: [],
          lectureDurationSec: 3600,
          creditedSec: 0,
          position: 0,
          clockMs: T0,
          carryMs: 0,
          lastSeq: null,
          seenMask: 0,
        };
        const intervals: Interval[] = [[0, playedMs / 1000]];
        const beat = { seq: 1, intervals, position: playedMs / 1000, muted: false };
        const watched = creditHeartbeat(state, { ...beat, visible: true }, T0 + gapMs);
        const listened = creditHeartbeat(state, { ...beat, visible: false, audio: true }, T0 + gapMs);
        const hiddenVideo = creditHeartbeat(state, { ...beat, visible: false, audio: false }, T0 + gapMs);
        return listened.creditedSec === watched.creditedSec && hiddenVideo.creditedSec === 0 && listened.attention && !watched.attention;
      }),
    );
  });
});

describe('isAttentionMode', () => {
  it.each([
    [{ visible: true }, false],
    [{ visible: true, audio: false }, false],
    [{ visible: true, audio: true }, true],
    [{ visible: false }, true],
  ])('%j → %s', (heartbeat, expected) => {
    expect(isAttentionMode(heartbeat)).toBe(expected);
  });
});

describe('answerCheckin', () => {
  const asked: CheckinState = {
    count: 1,
    current: { id: 'c1', askedAtMs: T0, answerByMs: T0 + GRACE_MS, answeredAtMs: null },
    listenedMs: 12_000,
  };

  it('records the answer once and counts the next check-in from it', () => {
    const answered = answerCheckin(asked, 'c1', T0 + 5000);
    expect(answered).toEqual({ count: 1, current: { ...asked.current, answeredAtMs: T0 + 5000 }, listenedMs: 0 });
    expect(answerCheckin(answered, 'c1', T0 + 9000)).toBe(answered);
    expect(blockedWindow(answered)).toEqual([T0 + GRACE_MS, T0 + 5000]);
  });

  it('ignores an answer to another check-in', () => {
    expect(answerCheckin(asked, 'c0', T0 + 1000)).toBe(asked);
  });

  it('leaves nothing blocked when answered in time', () => {
    expect(blockedWindow(answerCheckin(asked, 'c1', T0 + 1000))).toBeNull();
    expect(blockedWindow(asked)).toEqual([T0 + GRACE_MS, Infinity]);
  });
});
