import { describe, expect, it } from '@jest/globals';
import type { HoursByRule } from '#contracts';
import { planProgress } from '#watch';
import { describeHoursByRule, frozenHours, hoursByRule, type CountedLecture, type CreditedExam, type PlanRule } from './hours-by-rule.js';

const watch: PlanRule = { mode: 'watch_time', creditHoursPerLecture: null };
const perLecture: PlanRule = { mode: 'per_lecture', creditHoursPerLecture: 0.7 };
const lecture = (id: string, over: Partial<CountedLecture> = {}): CountedLecture => ({
  lectureId: id,
  compulsory: false,
  periodSec: 0,
  makeupSec: 0,
  completedIn: null,
  ...over,
});

describe('hoursByRule', () => {
  it.each<[string, PlanRule, CountedLecture[], HoursByRule[]]>([
    ['nothing studied still names the plan’s own rule', watch, [], [{ rule: 'watch_time', hours: 0, lectures: 0 }]],
    [
      'per-lecture plan with nothing completed',
      perLecture,
      [lecture('a', { periodSec: 900 })],
      [{ rule: 'per_lecture', hours: 0, lectures: 0 }],
    ],
    [
      'watch time in the period, compulsory apart',
      watch,
      [lecture('a', { periodSec: 5400 }), lecture('b', { periodSec: 1800, compulsory: true })],
      [
        { rule: 'watch_time', hours: 1.5, lectures: 1 },
        { rule: 'compulsory', hours: 0.5, lectures: 1 },
      ],
    ],
    [
      'a lecture studied in the period and in the make-up window is split between them',
      watch,
      [lecture('a', { periodSec: 3600, makeupSec: 1800 })],
      [
        { rule: 'watch_time', hours: 1, lectures: 1 },
        { rule: 'makeup', hours: 0.5, lectures: 1 },
      ],
    ],
    [
      'per lecture: completion day decides, seconds do not count',
      perLecture,
      [
        lecture('a', { completedIn: 'period', periodSec: 10 }),
        lecture('b', { completedIn: 'period', compulsory: true }),
        lecture('c', { completedIn: 'makeup' }),
        lecture('d', { periodSec: 7200 }),
      ],
      [
        { rule: 'per_lecture', hours: 0.7, lectures: 1 },
        { rule: 'compulsory', hours: 0.7, lectures: 1 },
        { rule: 'makeup', hours: 0.7, lectures: 1 },
      ],
    ],
  ])('%s', (_name, plan, lectures, expected) => {
    expect(hoursByRule(plan, lectures)).toEqual(expected);
  });

  it.each<[string, PlanRule, CountedLecture[]]>([
    [
      'fractional seconds',
      watch,
      [lecture('a', { periodSec: 0.4, makeupSec: 0.4 }), lecture('b', { periodSec: 1234.5678 }), lecture('c', { makeupSec: 77.0005 })],
    ],
    ['3 × 0.7 h', perLecture, ['a', 'b', 'c'].map((id) => lecture(id, { completedIn: 'period' }))],
  ])('the parts add up to the earned hours of planProgress: %s', (_name, plan, lectures) => {
    const rules =
      plan.mode === 'per_lecture'
        ? {
            mode: 'per_lecture' as const,
            creditHoursPerLecture: plan.creditHoursPerLecture!,
            requiredHours: 1,
            periodStartMs: 0,
            periodEndMs: 1,
          }
        : { requiredHours: 1, periodStartMs: 0, periodEndMs: 1 };
    const earned = planProgress(
      rules,
      lectures.map((l) => ({ lectureId: l.lectureId, creditedSec: l.periodSec + l.makeupSec, completed: l.completedIn !== null })),
      0,
    ).earnedHours;
    const sumMs = hoursByRule(plan, lectures).reduce((sum, part) => sum + Math.round(part.hours * 3_600_000), 0);
    expect(sumMs).toBe(Math.round(earned * 3_600_000));
  });

  const exam = (examId: string, over: Partial<CreditedExam> = {}): CreditedExam => ({
    examId,
    passed: true,
    creditHours: 0.5,
    creditCounts: true,
    ...over,
  });

  it.each<[string, PlanRule, CountedLecture[], CreditedExam[], HoursByRule[]]>([
    [
      'a passed exam’s credit is its own part, after the make-up window',
      watch,
      [lecture('a', { periodSec: 1800, makeupSec: 900 })],
      [exam('final')],
      [
        { rule: 'watch_time', hours: 0.5, lectures: 1 },
        { rule: 'makeup', hours: 0.25, lectures: 1 },
        { rule: 'exam', hours: 0.5, lectures: 0 },
      ],
    ],
    [
      'each exam counts once; failed, uncredited or uncounted passes add nothing',
      perLecture,
      [],
      [
        exam('final', { creditHours: 1.25 }),
        exam('final', { creditHours: 1.25 }),
        exam('safety', { passed: false }),
        exam('law', { creditHours: null }),
        exam('old', { creditCounts: false }),
      ],
      [
        { rule: 'per_lecture', hours: 0, lectures: 0 },
        { rule: 'exam', hours: 1.25, lectures: 0 },
      ],
    ],
    ['no credit: no exam part', watch, [], [exam('x', { passed: false })], [{ rule: 'watch_time', hours: 0, lectures: 0 }]],
  ])('%s', (_name, plan, lectures, exams, expected) => {
    expect(hoursByRule(plan, lectures, exams)).toEqual(expected);
  });

  it.each<[string, PlanRule, CountedLecture[], CreditedExam[]]>([
    [
      'watch time and two exams',
      watch,
      [lecture('a', { periodSec: 1234.5678, makeupSec: 0.4 })],
      [exam('e1', { creditHours: 0.29 }), exam('e2', { creditHours: 0.33 })],
    ],
    [
      'per lecture and an exam',
      perLecture,
      ['a', 'b'].map((id) => lecture(id, { completedIn: 'period' })),
      [exam('e1', { creditHours: 0.7 })],
    ],
  ])('with exam credit the parts add up to the earned hours of planProgress: %s', (_name, plan, lectures, exams) => {
    const base = { requiredHours: 1, periodStartMs: 0, periodEndMs: 1, requiredExamIds: exams.map((e) => e.examId) };
    const rules =
      plan.mode === 'per_lecture' ? { ...base, mode: 'per_lecture' as const, creditHoursPerLecture: plan.creditHoursPerLecture! } : base;
    const earned = planProgress(
      rules,
      lectures.map((l) => ({ lectureId: l.lectureId, creditedSec: l.periodSec + l.makeupSec, completed: l.completedIn !== null })),
      0,
      exams,
    ).earnedHours;
    const sumMs = hoursByRule(plan, lectures, exams).reduce((sum, part) => sum + Math.round(part.hours * 3_600_000), 0);
    expect(sumMs).toBe(Math.round(earned * 3_600_000));
  });

  it('a closed plan is its frozen result', () => {
    expect(frozenHours(2.25)).toEqual([{ rule: 'frozen', hours: 2.25, lectures: 0 }]);
  });
});

describe('describeHoursByRule', () => {
  const labels = {
    watch_time: '按观看时长计',
    per_lecture: '按讲次完成计',
    compulsory: '必修讲次',
    makeup: '补学期内',
    exam: '考试通过计入',
    frozen: '结束时确定',
  };
  it.each<[HoursByRule[], string]>([
    [[{ rule: 'watch_time', hours: 12.5, lectures: 3 }], '按观看时长计 12.5 小时'],
    [
      [
        { rule: 'watch_time', hours: 12.5, lectures: 3 },
        { rule: 'makeup', hours: 1, lectures: 1 },
      ],
      '按观看时长计 12.5 小时 · 补学期内 1 小时',
    ],
    [[], ''],
  ])('%j reads %s', (parts, expected) => {
    expect(describeHoursByRule(parts, labels, (h) => `${h} 小时`)).toBe(expected);
  });
});
