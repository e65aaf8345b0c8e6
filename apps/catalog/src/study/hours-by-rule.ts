import type { HoursByRule, HoursRule } from '#contracts';

const MS_PER_HOUR = 3_600_000;

/** One lecture's study that counts toward a plan, split by when it was done (from `hoursByRuleSql`). */
export interface CountedLecture {
  lectureId: string;
  compulsory: boolean;
  /** Seconds credited in the period and in the make-up window (watch-time plans). */
  periodSec: number;
  makeupSec: number;
  /** Where the lecture was completed, if it was completed on a day that counts (per-lecture plans). */
  completedIn: 'period' | 'makeup' | null;
  /** Per-lecture plans with a minimum lecture length: whether the lecture is long enough to earn (absent: yes). */
  earns?: boolean;
}

/** A required exam's result as it counts toward a plan's hours (a `MemberExamResult` of the standing). */
export interface CreditedExam {
  examId: string;
  passed: boolean;
  /** The exam's stated credit hours (null: none). */
  creditHours: number | null;
  /** Whether the pass earns the credit toward the plan (handed in on a day that counts). */
  creditCounts: boolean;
}

export interface PlanRule {
  mode: 'watch_time' | 'per_lecture';
  creditHoursPerLecture: number | null;
  /** Watch-time plans: minutes of study that make one study hour (absent: 60). */
  minutesPerStudyHour?: number;
}

/** round(ms × 60 / minutes per study hour), as `convertMs` of libs/watch (hundredths of a minute). */
const convert = (ms: number, minutesPerStudyHour: number) => {
  const perHour = Math.round(minutesPerStudyHour * 100);
  return ms > 0 && perHour > 0 ? Math.round((ms * 6000) / perHour) : 0;
};

const hoursToMs = (hours: number | null) => (hours !== null && Number.isFinite(hours) && hours > 0 ? Math.round(hours * MS_PER_HOUR) : 0);
const secToMs = (sec: number) => (Number.isFinite(sec) && sec > 0 ? Math.round(sec * 1000) : 0);

/** The rules in the order My study lists them. */
const ORDER: readonly HoursRule[] = ['watch_time', 'per_lecture', 'compulsory', 'makeup', 'exam', 'frozen'];

/**
 * Splits a plan's earned hours by the rule that counted them, with the same rounding as `planProgress`
 * (whole milliseconds per lecture), so the parts add up exactly to the earned hours. A watch-time lecture
 * studied both in the period and in the make-up window is split between the two; the plan's own rule
 * (watch time or per lecture) is always listed, even at 0, so the member sees how the plan counts.
 * A plan's kinds it does not count are already taken out of the lectures' seconds; a watch-time plan's
 * conversion ("45 minutes make a study hour") applies to each part. In-person study and what a daily limit cut
 * are not lectures: My study explains them apart (`StudyCounting`), so with either the parts add up to the
 * earned hours less in-person hours plus the cut.
 * The credit of the required exams passed (`exams`, as `planProgress` counts it: each exam once) is the
 * `exam` part; its `lectures` stays 0, as exams are not lectures.
 */
export function hoursByRule(plan: PlanRule, lectures: readonly CountedLecture[], exams: readonly CreditedExam[] = []): HoursByRule[] {
  const ms = new Map<HoursRule, number>();
  const count = new Map<HoursRule, number>();
  const add = (rule: HoursRule, value: number) => {
    if (value <= 0) return;
    ms.set(rule, (ms.get(rule) ?? 0) + value);
    count.set(rule, (count.get(rule) ?? 0) + 1);
  };
  const main: HoursRule = plan.mode;
  const perLecture = hoursToMs(plan.creditHoursPerLecture);
  // Watch-time parts are converted to study hours telescopically (each part: the conversion of the running total
  // less that of the total before it), so the parts add up exactly to the conversion of the whole.
  let rawTotal = 0;
  const converted = (ms: number) => {
    const before = convert(rawTotal, plan.minutesPerStudyHour ?? 60);
    rawTotal += ms;
    return convert(rawTotal, plan.minutesPerStudyHour ?? 60) - before;
  };
  for (const lecture of lectures) {
    const inPeriod: HoursRule = lecture.compulsory ? 'compulsory' : main;
    if (plan.mode === 'per_lecture') {
      if (lecture.completedIn && lecture.earns !== false) add(lecture.completedIn === 'makeup' ? 'makeup' : inPeriod, perLecture);
      continue;
    }
    const totalMs = secToMs(lecture.periodSec + lecture.makeupSec);
    const makeupMs = Math.min(totalMs, secToMs(lecture.makeupSec));
    add(inPeriod, converted(totalMs - makeupMs));
    add('makeup', converted(makeupMs));
  }
  const examMs = new Map<string, number>();
  for (const exam of exams) {
    if (!exam.passed || !exam.creditCounts) continue;
    examMs.set(exam.examId, Math.max(examMs.get(exam.examId) ?? 0, hoursToMs(exam.creditHours)));
  }
  const creditMs = [...examMs.values()].reduce((sum, value) => sum + value, 0);
  if (creditMs > 0) ms.set('exam', creditMs);
  return ORDER.filter((rule) => rule === main || ms.has(rule)).map((rule) => ({
    rule,
    hours: (ms.get(rule) ?? 0) / MS_PER_HOUR,
    lectures: rule === 'exam' ? 0 : (count.get(rule) ?? 0),
  }));
}

/** A closed plan's hours are its frozen result: one part, whatever was studied since. */
export function frozenHours(earnedHours: number): HoursByRule[] {
  return [{ rule: 'frozen', hours: earnedHours, lectures: 0 }];
}

/** One line per part, as "按观看时长计 12.5 小时 · 补学期内 1 小时": for logs and plain-text views. */
export function describeHoursByRule(
  parts: readonly HoursByRule[],
  labels: Record<HoursRule, string>,
  hours: (h: number) => string,
): string {
  return parts.map((part) => `${labels[part.rule]} ${hours(part.hours)}`).join(' · ');
}
