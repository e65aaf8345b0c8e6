import { describe, expect, it } from '@jest/globals';
import {
  examCreditMs,
  hoursProgress,
  periodElapsedShare,
  planProgress,
  type ExamProgress,
  type LectureProgress,
  type PlanProgress,
  type PlanRules,
  type ReflectionProgress,
  reflectionCounts,
} from './plan-progress.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const END = START + 100 * DAY;

const hours = (h: number) => h * 3600;

function lecture(lectureId: string, creditedSec: number, completed = false): LectureProgress {
  return { lectureId, creditedSec, completed };
}

const watchTime: PlanRules = { requiredHours: 10, periodStartMs: START, periodEndMs: END };

describe('periodElapsedShare', () => {
  it.each<[string, number, number]>([
    ['before the period', START - DAY, 0],
    ['at the start', START, 0],
    ['a quarter in', START + 25 * DAY, 0.25],
    ['at the end', END, 1],
    ['after the end', END + DAY, 1],
  ])('%s', (_name, now, expected) => {
    expect(periodElapsedShare(START, END, now)).toBe(expected);
  });
});

describe('planProgress', () => {
  it.each<[string, PlanRules, LectureProgress[], number, Partial<PlanProgress>]>([
    [
      'nothing watched',
      watchTime,
      [],
      START + 50 * DAY,
      {
        earnedHours: 0,
        requiredHours: 10,
        remainingHours: 10,
        percent: 0,
        compulsoryMissing: [],
        status: 'not_started',
      },
    ],
    [
      'watch time sums credited seconds',
      watchTime,
      [lecture('a', hours(2)), lecture('b', hours(1.5))],
      START + 30 * DAY,
      { earnedHours: 3.5, remainingHours: 6.5, percent: 35, status: 'on_track' },
    ],
    [
      'behind the pro-rata requirement',
      watchTime,
      [lecture('a', hours(2))],
      START + 50 * DAY,
      { earnedHours: 2, percent: 20, status: 'behind' },
    ],
    ['exactly on the pro-rata line is on track', watchTime, [lecture('a', hours(5))], START + 50 * DAY, { status: 'on_track' }],
    [
      'met before the period ends',
      watchTime,
      [lecture('a', hours(6)), lecture('b', hours(4))],
      START + 10 * DAY,
      { earnedHours: 10, remainingHours: 0, percent: 100, status: 'met' },
    ],
    [
      'more than required caps percent at 100',
      watchTime,
      [lecture('a', hours(25))],
      START + 10 * DAY,
      { earnedHours: 25, remainingHours: 0, percent: 100, status: 'met' },
    ],
    [
      'percent rounds down so 99.99 % does not show 100',
      watchTime,
      [lecture('a', hours(10) - 1)],
      START + 10 * DAY,
      { percent: 99.9, status: 'on_track' },
    ],
    ['period over and short is behind', watchTime, [lecture('a', hours(9))], END, { status: 'behind' }],
    ['period over with nothing watched is still not started', watchTime, [lecture('a', 0)], END + DAY, { status: 'not_started' }],
    ['before the period starts, any progress is on track', watchTime, [lecture('a', 60)], START - DAY, { status: 'on_track' }],
    [
      'duplicate rows for one lecture count once',
      watchTime,
      [lecture('a', hours(2)), lecture('a', hours(3))],
      START + 10 * DAY,
      { earnedHours: 3 },
    ],
    [
      'negative or non-finite credit counts as nothing',
      watchTime,
      [lecture('a', -50), lecture('b', NaN), lecture('c', hours(1))],
      START + 5 * DAY,
      { earnedHours: 1 },
    ],
    [
      'per lecture grants fixed hours per completed lecture, ignoring seconds',
      { ...watchTime, mode: 'per_lecture', creditHoursPerLecture: 2 },
      [lecture('a', 10, true), lecture('b', hours(5)), lecture('c', 600, true)],
      START + 30 * DAY,
      { earnedHours: 4, remainingHours: 6, percent: 40, status: 'on_track' },
    ],
    [
      'per lecture with fractional hours meets despite float error (3 × 0.7 = 2.1)',
      { ...watchTime, requiredHours: 2.1, mode: 'per_lecture', creditHoursPerLecture: 0.7 },
      [lecture('a', 1, true), lecture('b', 1, true), lecture('c', 1, true)],
      START + 30 * DAY,
      { earnedHours: 2.1, remainingHours: 0, status: 'met' },
    ],
    [
      'per lecture: partly watched but nothing completed has started',
      { ...watchTime, mode: 'per_lecture', creditHoursPerLecture: 1 },
      [lecture('a', 300)],
      START + 50 * DAY,
      { earnedHours: 0, status: 'behind' },
    ],
    [
      'hours met but a compulsory lecture missing is not met',
      { ...watchTime, compulsoryLectureIds: ['safety', 'ethics'] },
      [lecture('a', hours(12)), lecture('safety', hours(1), true), lecture('ethics', 600)],
      START + 50 * DAY,
      { compulsoryMissing: ['ethics'], percent: 100, status: 'on_track' },
    ],
    [
      'compulsory lecture still missing when the period is over is behind',
      { ...watchTime, compulsoryLectureIds: ['ethics'] },
      [lecture('a', hours(12))],
      END,
      { compulsoryMissing: ['ethics'], status: 'behind' },
    ],
    [
      'compulsory lectures completed and hours met',
      { ...watchTime, compulsoryLectureIds: ['ethics', 'ethics'] },
      [lecture('a', hours(9)), lecture('ethics', hours(1), true)],
      END,
      { compulsoryMissing: [], status: 'met' },
    ],
    [
      'no hours required and no compulsory lectures is met',
      { ...watchTime, requiredHours: 0 },
      [],
      START,
      { percent: 100, remainingHours: 0, status: 'met' },
    ],
    [
      'no hours required but a compulsory lecture left',
      { ...watchTime, requiredHours: 0, compulsoryLectureIds: ['x'] },
      [],
      START + DAY,
      { percent: 100, compulsoryMissing: ['x'], status: 'not_started' },
    ],
  ])('%s', (_name, plan, lectures, now, expected) => {
    expect(planProgress(plan, lectures, now)).toMatchObject(expected);
  });
});

describe('planProgress with required exams', () => {
  const withExams: PlanRules = { ...watchTime, requiredExamIds: ['final', 'safety', 'final'] };
  const done = [lecture('a', hours(10))];
  it.each<[string, PlanRules, LectureProgress[], ExamProgress[], number, Partial<PlanProgress>]>([
    [
      'no exam required: exams change nothing',
      watchTime,
      done,
      [{ examId: 'final', passed: false, attempted: true }],
      START,
      { examsMissing: [], status: 'met' },
    ],
    [
      'hours met, no exam passed',
      withExams,
      done,
      [],
      START + DAY,
      { examsMissing: ['final', 'safety'], percent: 100, status: 'on_track' },
    ],
    [
      'hours met, one of two exams passed',
      withExams,
      done,
      [{ examId: 'final', passed: true }],
      START + DAY,
      { examsMissing: ['safety'], status: 'on_track' },
    ],
    [
      'a failed attempt does not pass',
      withExams,
      done,
      [
        { examId: 'final', passed: true },
        { examId: 'safety', passed: false, attempted: true },
      ],
      START + DAY,
      { examsMissing: ['safety'], status: 'on_track' },
    ],
    [
      'hours met and every exam passed is met',
      withExams,
      done,
      [
        { examId: 'safety', passed: true },
        { examId: 'final', passed: true },
      ],
      START + DAY,
      { examsMissing: [], status: 'met' },
    ],
    [
      'every exam passed but hours short is not met',
      withExams,
      [lecture('a', hours(1))],
      [
        { examId: 'safety', passed: true },
        { examId: 'final', passed: true },
      ],
      END,
      { examsMissing: [], status: 'behind' },
    ],
    [
      'exam still missing when the period is over is behind',
      withExams,
      done,
      [{ examId: 'final', passed: true }],
      END,
      { examsMissing: ['safety'], status: 'behind' },
    ],
    [
      'a passed exam the plan does not require counts for nothing',
      withExams,
      done,
      [{ examId: 'other', passed: true }],
      START + DAY,
      { examsMissing: ['final', 'safety'], status: 'on_track' },
    ],
    [
      'sitting a required exam is a start, even with nothing watched',
      { ...withExams, requiredHours: 0 },
      [],
      [{ examId: 'final', passed: false, attempted: true }],
      START + DAY,
      { examsMissing: ['final', 'safety'], status: 'on_track' },
    ],
    [
      'sitting an exam the plan does not require is not a start',
      withExams,
      [],
      [{ examId: 'other', passed: false, attempted: true }],
      START + DAY,
      { status: 'not_started' },
    ],
    [
      'no hours required: met once the exams are passed',
      { ...withExams, requiredHours: 0 },
      [],
      [
        { examId: 'safety', passed: true },
        { examId: 'final', passed: true },
      ],
      START,
      { examsMissing: [], status: 'met' },
    ],
  ])('%s', (_name, plan, lectures, exams, now, expected) => {
    expect(planProgress(plan, lectures, now, exams)).toMatchObject(expected);
  });
});

describe('planProgress with exam credit hours', () => {
  const oneHour: PlanRules = { ...watchTime, requiredHours: 1, requiredExamIds: ['final'] };
  const halfWatched = [lecture('a', hours(0.5))];
  it.each<[string, PlanRules, LectureProgress[], ExamProgress[], number, Partial<PlanProgress>]>([
    [
      'not passed: no credit',
      oneHour,
      halfWatched,
      [{ examId: 'final', passed: false, attempted: true, creditHours: 0.5 }],
      START + DAY,
      { earnedHours: 0.5, remainingHours: 0.5, examsMissing: ['final'], status: 'on_track' },
    ],
    [
      'a pass adds its credit and meets the plan',
      oneHour,
      halfWatched,
      [{ examId: 'final', passed: true, creditHours: 0.5 }],
      START + DAY,
      { earnedHours: 1, remainingHours: 0, percent: 100, examsMissing: [], status: 'met' },
    ],
    [
      'the same exam listed twice is credited once',
      oneHour,
      halfWatched,
      [
        { examId: 'final', passed: true, creditHours: 0.5 },
        { examId: 'final', passed: true, creditHours: 0.5 },
      ],
      START + DAY,
      { earnedHours: 1, status: 'met' },
    ],
    [
      'an exam without credit hours adds nothing',
      oneHour,
      halfWatched,
      [{ examId: 'final', passed: true, creditHours: null }],
      START + DAY,
      { earnedHours: 0.5, examsMissing: [], status: 'on_track' },
    ],
    [
      'a pass outside the days that count meets the requirement but adds no hours',
      oneHour,
      halfWatched,
      [{ examId: 'final', passed: true, creditHours: 0.5, creditCounts: false }],
      START + DAY,
      { earnedHours: 0.5, examsMissing: [], status: 'on_track' },
    ],
    [
      'a passed exam the plan does not require adds nothing',
      oneHour,
      halfWatched,
      [{ examId: 'other', passed: true, creditHours: 5 }],
      START + DAY,
      { earnedHours: 0.5, examsMissing: ['final'] },
    ],
    [
      'credit in a per-lecture plan adds to the lectures completed',
      {
        mode: 'per_lecture',
        creditHoursPerLecture: 0.7,
        requiredHours: 2.1,
        requiredExamIds: ['final'],
        periodStartMs: START,
        periodEndMs: END,
      },
      [lecture('a', 0, true), lecture('b', 0, true)],
      [{ examId: 'final', passed: true, creditHours: 0.7 }],
      START + DAY,
      { earnedHours: 2.1, remainingHours: 0, status: 'met' },
    ],
    [
      'credit alone is a start and can meet the hours',
      { ...oneHour, requiredHours: 0.5 },
      [],
      [{ examId: 'final', passed: true, creditHours: 0.5 }],
      END,
      { earnedHours: 0.5, status: 'met' },
    ],
  ])('%s', (_name, plan, lectures, exams, now, expected) => {
    expect(planProgress(plan, lectures, now, exams)).toMatchObject(expected);
  });

  it.each<[string, string[], ExamProgress[], number]>([
    [
      'sums each required exam passed once',
      ['a', 'b'],
      [
        { examId: 'a', passed: true, creditHours: 0.5 },
        { examId: 'b', passed: true, creditHours: 1.25 },
        { examId: 'a', passed: true, creditHours: 0.5 },
      ],
      6_300_000,
    ],
    [
      'skips failed, uncounted and unrequired',
      ['a', 'b'],
      [
        { examId: 'a', passed: false, creditHours: 1 },
        { examId: 'b', passed: true, creditHours: 1, creditCounts: false },
        { examId: 'c', passed: true, creditHours: 1 },
      ],
      0,
    ],
    ['bad credit counts as nothing', ['a'], [{ examId: 'a', passed: true, creditHours: Number.NaN }], 0],
  ])('examCreditMs: %s', (_name, required, exams, expected) => {
    expect(examCreditMs(required, exams)).toBe(expected);
  });
});

describe('planProgress with required reflections', () => {
  const twoReflections: PlanRules = { ...watchTime, planId: 'p1', requiredReflections: 2 };
  const done = [lecture('a', hours(10))];
  const reflection = (
    reflectionId: string,
    status: string,
    planId: string | null = null,
    writtenOnCountingDay = true,
  ): ReflectionProgress => ({
    reflectionId,
    status,
    planId,
    writtenOnCountingDay,
  });
  it.each<[string, PlanRules, LectureProgress[], ReflectionProgress[], number, Partial<PlanProgress>]>([
    [
      'none required: reflections change nothing',
      watchTime,
      done,
      [],
      START + DAY,
      { reflectionsRequired: 0, reflectionsAccepted: 0, reflectionsMissing: 0, status: 'met' },
    ],
    [
      'hours met, one of two accepted and one returned: not met',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'returned')],
      START + DAY,
      { reflectionsAccepted: 1, reflectionsMissing: 1, percent: 100, status: 'on_track' },
    ],
    [
      'read and excellent both count: met',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'excellent')],
      START + DAY,
      { reflectionsAccepted: 2, reflectionsMissing: 0, status: 'met' },
    ],
    [
      'more accepted than required still misses nothing',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'excellent'), reflection('r3', 'read')],
      START + DAY,
      { reflectionsAccepted: 3, reflectionsMissing: 0, status: 'met' },
    ],
    [
      'drafts, submissions waiting for review, returned and withdrawn ones do not count',
      twoReflections,
      done,
      [reflection('r1', 'draft'), reflection('r2', 'submitted'), reflection('r3', 'returned'), reflection('r4', 'withdrawn')],
      START + DAY,
      { reflectionsAccepted: 0, reflectionsMissing: 2, status: 'on_track' },
    ],
    [
      'written outside the days that count, for no plan: does not count',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'read', null, false)],
      START + DAY,
      { reflectionsAccepted: 1, reflectionsMissing: 1 },
    ],
    [
      'written for this plan counts whenever it was written',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'read', 'p1', false)],
      START + DAY,
      { reflectionsAccepted: 2, status: 'met' },
    ],
    [
      'written for another plan counts only there',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r2', 'excellent', 'p2', true)],
      START + DAY,
      { reflectionsAccepted: 1, reflectionsMissing: 1 },
    ],
    [
      'the same reflection listed twice counts once',
      twoReflections,
      done,
      [reflection('r1', 'read'), reflection('r1', 'read')],
      START + DAY,
      { reflectionsAccepted: 1, reflectionsMissing: 1 },
    ],
    [
      'reflections missing when the period is over is behind',
      twoReflections,
      done,
      [reflection('r1', 'read')],
      END,
      { reflectionsMissing: 1, status: 'behind' },
    ],
    [
      'every reflection accepted but hours short is not met',
      twoReflections,
      [lecture('a', hours(1))],
      [reflection('r1', 'read'), reflection('r2', 'read')],
      END,
      { reflectionsMissing: 0, status: 'behind' },
    ],
    [
      'an accepted reflection the plan requires is a start, even with nothing watched',
      { ...twoReflections, requiredHours: 0 },
      [],
      [reflection('r1', 'read')],
      START + DAY,
      { reflectionsMissing: 1, status: 'on_track' },
    ],
    [
      'a reflection where none is required is not a start',
      watchTime,
      [],
      [reflection('r1', 'read')],
      START + DAY,
      { reflectionsRequired: 0, status: 'not_started' },
    ],
    [
      'no hours required: met once the reflections are accepted',
      { ...twoReflections, requiredHours: 0 },
      [],
      [reflection('r1', 'read'), reflection('r2', 'excellent')],
      START,
      { status: 'met' },
    ],
    [
      'a bad requirement counts as none',
      { ...twoReflections, requiredReflections: Number.NaN },
      done,
      [],
      START + DAY,
      { reflectionsRequired: 0, status: 'met' },
    ],
  ])('%s', (_name, plan, lectures, reflections, now, expected) => {
    expect(planProgress(plan, lectures, now, [], reflections)).toMatchObject(expected);
  });

  it.each<[string, ReflectionProgress, boolean]>([
    ['accepted, for no plan, on a counting day', reflection('r', 'read'), true],
    ['accepted, for no plan, on another day', reflection('r', 'excellent', null, false), false],
    ['accepted, for this plan, on another day', reflection('r', 'read', 'p1', false), true],
    ['accepted, for another plan, on a counting day', reflection('r', 'read', 'p2', true), false],
    ['waiting for review', reflection('r', 'submitted', 'p1', true), false],
  ])('reflectionCounts: %s', (_name, r, expected) => {
    expect(reflectionCounts('p1', r)).toBe(expected);
  });
});

describe('hoursProgress (a result frozen when its plan closed)', () => {
  it.each([
    ['nothing earned', 0, 2, { earnedHours: 0, requiredHours: 2, remainingHours: 2, percent: 0 }],
    ['part earned, percent rounded down', 0.25, 2, { earnedHours: 0.25, remainingHours: 1.75, percent: 12.5 }],
    ['99.99 % never shows as 100', 1.9999, 2, { percent: 99.9 }],
    ['3 × 0.7 h meets 2.1 h despite floating point', 0.7 + 0.7 + 0.7, 2.1, { remainingHours: 0, percent: 100 }],
    ['more than required is capped at 100 %', 5, 2, { earnedHours: 5, remainingHours: 0, percent: 100 }],
    ['nothing required is met', 0, 0, { percent: 100, remainingHours: 0 }],
    ['bad figures count as nothing', Number.NaN, -1, { earnedHours: 0, requiredHours: 0, percent: 100 }],
  ])('%s', (_name, earned, required, expected) => {
    expect(hoursProgress(earned, required)).toMatchObject(expected);
  });
});
