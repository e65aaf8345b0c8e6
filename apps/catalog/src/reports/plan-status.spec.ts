import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { planProgress, type LectureProgress, type PlanRules } from '#watch';
import { averageHours, centiHours, planThresholds, roundHours, statusOf } from './plan-status.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** What the rollup stores for a member, computed from lectures the way its SQL does. */
function totalsOf(rules: PlanRules, lectures: LectureProgress[], nowMs: number) {
  const plan = planThresholds(rules, nowMs);
  const completed = lectures.filter((l) => l.completed);
  const earnedMs =
    rules.mode === 'per_lecture'
      ? completed.length * plan.perLectureMs
      : lectures.reduce((sum, l) => sum + Math.round(Math.max(0, l.creditedSec) * 1000), 0);
  const compulsory = new Set(rules.compulsoryLectureIds ?? []);
  return {
    plan,
    member: {
      earnedMs,
      started: lectures.some((l) => l.completed || l.creditedSec > 0),
      compulsoryMissing: plan.compulsoryCount - completed.filter((l) => compulsory.has(l.lectureId)).length,
    },
  };
}

const rulesArb = fc
  .record({
    requiredCenti: fc.integer({ min: 1, max: 20_000 }),
    perLectureCenti: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    days: fc.integer({ min: 1, max: 400 }),
    compulsory: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }),
  })
  .map(({ requiredCenti, perLectureCenti, days, compulsory }): PlanRules => {
    const base = {
      requiredHours: requiredCenti / 100,
      periodStartMs: START,
      periodEndMs: START + days * DAY,
      compulsoryLectureIds: compulsory.map((n) => `l${n}`),
    };
    return perLectureCenti ? { ...base, mode: 'per_lecture', creditHoursPerLecture: perLectureCenti / 100 } : base;
  });

const lecturesArb = fc.uniqueArray(
  fc.record({
    lectureId: fc.integer({ min: 0, max: 9 }).map((n) => `l${n}`),
    creditedSec: fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 40_000, noNaN: true }),
      fc.integer({ min: 0, max: 4000 }).map((n) => n * 10),
    ),
    completed: fc.boolean(),
  }),
  { selector: (l) => l.lectureId, maxLength: 10 },
);

describe('statusOf', () => {
  it('agrees with planProgress for any plan, study and moment', () => {
    fc.assert(
      fc.property(
        rulesArb,
        lecturesArb,
        fc.integer({ min: -10, max: 420 }),
        fc.integer({ min: 0, max: DAY }),
        (rules, lectures, day, ms) => {
          const nowMs = START + day * DAY + ms;
          const progress = planProgress(rules, lectures, nowMs);
          const { plan, member } = totalsOf(rules, lectures, nowMs);
          expect(statusOf(member, plan)).toBe(progress.status);
          expect(member.earnedMs).toBe(Math.round(progress.earnedHours * 3_600_000));
          expect(member.compulsoryMissing).toBe(progress.compulsoryMissing.length);
          expect(plan.requiredMs).toBe(Math.round(progress.requiredHours * 3_600_000));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is on track exactly from the pro-rata line and behind below it', () => {
    const rules: PlanRules = { requiredHours: 10, periodStartMs: START, periodEndMs: START + 100 * DAY };
    const now = START + 25 * DAY;
    const plan = planThresholds(rules, now);
    expect(plan.expectedMs).toBe(2.5 * 3_600_000);
    expect(statusOf({ earnedMs: plan.expectedMs, started: true, compulsoryMissing: 0 }, plan)).toBe('on_track');
    expect(statusOf({ earnedMs: plan.expectedMs - 1, started: true, compulsoryMissing: 0 }, plan)).toBe('behind');
    expect(statusOf({ earnedMs: 0, started: false, compulsoryMissing: 0 }, plan)).toBe('not_started');
  });

  it('is met only with the required exams passed and reflections accepted, as planProgress decides', () => {
    const rules: PlanRules = {
      requiredHours: 1,
      periodStartMs: START,
      periodEndMs: START + 100 * DAY,
      planId: 'p',
      requiredReflections: 2,
    };
    const now = START + 50 * DAY;
    const plan = planThresholds(rules, now);
    const lectures = [{ lectureId: 'a', creditedSec: 3600, completed: true }];
    const reflection = (id: string) => ({ reflectionId: id, status: 'read', planId: null, writtenOnCountingDay: true });
    for (const accepted of [[reflection('r1')], [reflection('r1'), reflection('r2')]]) {
      const progress = planProgress(rules, lectures, now, [], accepted);
      const member = { earnedMs: 3_600_000, started: true, compulsoryMissing: 0, reflectionsMissing: progress.reflectionsMissing };
      expect(statusOf(member, plan)).toBe(progress.status);
    }
    expect(statusOf({ earnedMs: 3_600_000, started: true, compulsoryMissing: 0, examsMissing: 1 }, plan)).toBe('on_track');
  });
});

describe('hours rounding', () => {
  it.each([
    [0, 0],
    [17_999, 0],
    [18_000, 1],
    [54_000, 2],
    [90_000, 3],
    [3_600_000, 100],
  ])('%d ms → %d hundredths, ties up', (ms, centi) => expect(centiHours(ms)).toBe(centi));

  it('rounds hours that came from whole ms like the ms themselves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 * 3_600_000 }), (ms) => expect(roundHours(ms / 3_600_000)).toBe(centiHours(ms) / 100)),
    );
  });

  it.each([
    [3, 2, 0.02],
    [1, 3, 0],
    [5, 3, 0.02],
    [100, 1, 1],
    [0, 0, 0],
  ])('averages %d hundredths over %d members to %d', (centi, members, average) => expect(averageHours(centi, members)).toBe(average));
});
