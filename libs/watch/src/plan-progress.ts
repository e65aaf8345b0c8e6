import {
  countStudy,
  DEFAULT_STUDY_RULES,
  lectureLongEnough,
  type InPersonRow,
  type StudyCount,
  type StudyDayRow,
  type StudyRules,
} from './study-rules.js';

export {
  convertMs,
  countStudy,
  DEFAULT_STUDY_RULES,
  hoursToSec,
  isDefaultStudyRules,
  lectureLongEnough,
  rowCountedSec,
  type CountedDay,
  type InPersonRow,
  type StudyCount,
  type StudyDayRow,
  type StudyRules,
} from './study-rules.js';

/**
 * Progress of a member against a study plan: hours earned against hours required in a period,
 * plus the compulsory lectures still to complete. Hours are compared in whole milliseconds so
 * that e.g. 3 lectures × 0.7 h meets a 2.1 h requirement despite floating-point error.
 */

export type PlanMode = 'watch_time' | 'per_lecture';
export type PlanStatus = 'met' | 'on_track' | 'behind' | 'not_started';

export interface LectureProgress {
  lectureId: string;
  /** Seconds credited for this lecture (see `creditHeartbeat`). */
  creditedSec: number;
  completed: boolean;
  /** The lecture's length (per-lecture plans with a minimum length); unknown: long enough. */
  durationSec?: number;
}

interface PlanBase {
  requiredHours: number;
  /** Lectures that must be completed for the plan to be met, whatever the hours. */
  compulsoryLectureIds?: readonly string[];
  /** Exams that must be passed for the plan to be met, whatever the hours (in the plan's order). */
  requiredExamIds?: readonly string[];
  /** The plan's id: a reflection written for it counts toward it (see `reflectionCounts`). */
  planId?: string;
  /** Accepted learning reflections a member must have for the plan to be met (0: none). */
  requiredReflections?: number;
  /** How study time counts (kinds, daily limit, conversion, in person); absent: the defaults. */
  study?: StudyRules;
  /** Period as server epoch ms, `[periodStartMs, periodEndMs)`. */
  periodStartMs: number;
  periodEndMs: number;
}

/**
 * A member's result in one exam a plan requires: `passed` when their best graded attempt that was not voided
 * passed; `attempted` when they submitted an attempt that was not voided (graded or waiting for a grader).
 * `creditHours` is the exam's stated credit: a pass adds it to the earned hours, once per exam, when the pass
 * counts toward the plan (`creditCounts`, default `passed`: a passing attempt handed in on a day that counts,
 * as study days do, i.e. in the period or, for members granted it, the make-up window).
 */
export interface ExamProgress {
  examId: string;
  passed: boolean;
  attempted?: boolean;
  creditHours?: number | null;
  creditCounts?: boolean;
}

/** Review states of a learning reflection; 'read' and 'excellent' are accepted. */
export type ReflectionStatus = 'draft' | 'submitted' | 'returned' | 'read' | 'excellent' | 'withdrawn';

/**
 * One of a member's learning reflections, as a plan weighs it: its review state, the plan it was written
 * for (null: none), and whether it was written (`created_at`, on the study calendar) on a day that counts
 * toward the plan, as study days do: in the period or, for members granted it, the make-up window.
 */
export interface ReflectionProgress {
  reflectionId: string;
  status: ReflectionStatus | string;
  planId: string | null;
  writtenOnCountingDay: boolean;
}

/** 'watch_time' (default) counts credited seconds; 'per_lecture' grants fixed hours per completed lecture. */
export type PlanRules = (PlanBase & { mode?: 'watch_time' }) | (PlanBase & { mode: 'per_lecture'; creditHoursPerLecture: number });

export interface PlanProgress {
  /** Lecture hours plus the credit of the required exams passed. */
  earnedHours: number;
  requiredHours: number;
  remainingHours: number;
  /** Earned share of the required hours, 0..100, rounded down to 0.1 so it shows 100 only when the hours are met. */
  percent: number;
  /** Compulsory lecture ids not completed yet, in the plan's order. */
  compulsoryMissing: string[];
  /** Required exam ids not passed yet, in the plan's order. */
  examsMissing: string[];
  /** Accepted reflections the plan requires, those of the member that count toward it, and how many are still missing. */
  reflectionsRequired: number;
  reflectionsAccepted: number;
  reflectionsMissing: number;
  status: PlanStatus;
  /** How the member's study time was counted (see `countStudy`). */
  count?: StudyCount;
}

/**
 * The member's study time as `countStudy` takes it: the `study_daily` rows that count toward the plan, with
 * their kinds, and the in-person seconds attended on days that count. Absent: one row per lecture with its
 * credited seconds, and no in-person study.
 */
export interface StudyTime {
  rows: readonly StudyDayRow[];
  inPerson: readonly InPersonRow[];
}

const MS_PER_HOUR = 3_600_000;

function hoursToMs(hours: number): number {
  return Number.isFinite(hours) && hours > 0 ? Math.round(hours * MS_PER_HOUR) : 0;
}

/** One entry per lecture: duplicates (e.g. from a join) keep the best credit and any completion. */
function byLecture(lectures: readonly LectureProgress[]): Map<string, LectureProgress> {
  const merged = new Map<string, LectureProgress>();
  for (const lecture of lectures) {
    const creditedSec = Number.isFinite(lecture.creditedSec) ? Math.max(0, lecture.creditedSec) : 0;
    const seen = merged.get(lecture.lectureId);
    merged.set(lecture.lectureId, {
      lectureId: lecture.lectureId,
      creditedSec: Math.max(creditedSec, seen?.creditedSec ?? 0),
      completed: lecture.completed || (seen?.completed ?? false),
      durationSec: lecture.durationSec ?? seen?.durationSec,
    });
  }
  return merged;
}

/** Share of the period elapsed at `nowMs`, 0..1; used for the pro-rata requirement. */
export function periodElapsedShare(periodStartMs: number, periodEndMs: number, nowMs: number): number {
  if (nowMs >= periodEndMs) return 1;
  if (nowMs <= periodStartMs) return 0;
  return (nowMs - periodStartMs) / (periodEndMs - periodStartMs);
}

/** Hours against a requirement, with the same rounding as `planProgress`: for a result frozen when a plan closed. */
export function hoursProgress(
  earnedHours: number,
  requiredHours: number,
): Pick<PlanProgress, 'earnedHours' | 'requiredHours' | 'remainingHours' | 'percent'> {
  const earnedMs = hoursToMs(earnedHours);
  const requiredMs = hoursToMs(requiredHours);
  return {
    earnedHours: earnedMs / MS_PER_HOUR,
    requiredHours: requiredMs / MS_PER_HOUR,
    remainingHours: Math.max(0, requiredMs - earnedMs) / MS_PER_HOUR,
    percent: percentOf(earnedMs, requiredMs),
  };
}

const percentOf = (earnedMs: number, requiredMs: number) =>
  requiredMs === 0 ? 100 : Math.min(100, Math.floor((earnedMs * 1000) / requiredMs) / 10);

/**
 * Whole milliseconds a member's passed required exams add to the plan: each required exam's stated credit,
 * once, if a pass of it counts toward the plan. Exams the plan does not require add nothing.
 */
export function examCreditMs(requiredExamIds: readonly string[], exams: readonly ExamProgress[]): number {
  const required = new Set(requiredExamIds);
  const credited = new Map<string, number>();
  for (const exam of exams) {
    if (!required.has(exam.examId) || !exam.passed || !(exam.creditCounts ?? true)) continue;
    credited.set(exam.examId, Math.max(credited.get(exam.examId) ?? 0, hoursToMs(exam.creditHours ?? 0)));
  }
  return [...credited.values()].reduce((sum, ms) => sum + ms, 0);
}

export const isAccepted = (status: string) => status === 'read' || status === 'excellent';

/**
 * Whether a reflection counts toward the plan `planId`: it is accepted (read or excellent) and either was
 * written for that plan, whenever, or was written for no plan on a day that counts toward it. A reflection
 * written for another plan counts only there.
 */
export function reflectionCounts(planId: string | undefined, reflection: ReflectionProgress): boolean {
  if (!isAccepted(reflection.status)) return false;
  return reflection.planId === null ? reflection.writtenOnCountingDay : reflection.planId === planId;
}

/** How many of a member's reflections count toward the plan, each once. */
export function reflectionsCounted(planId: string | undefined, reflections: readonly ReflectionProgress[]): number {
  return new Set(reflections.filter((r) => reflectionCounts(planId, r)).map((r) => r.reflectionId)).size;
}

/** A whole number of reflections from 0; anything else is none. */
const wholeCount = (n: number | undefined) => (Number.isFinite(n) && (n as number) > 0 ? Math.floor(n as number) : 0);

/**
 * A member's standing: met once the hours, every compulsory lecture, every required exam and the required
 * number of accepted reflections are done.
 * The earned hours are the lectures' plus the credit of the required exams passed (see `examCreditMs`).
 * An exam result only for an exam the plan does not require changes nothing.
 */
export function planProgress(
  plan: PlanRules,
  lectures: readonly LectureProgress[],
  nowMs: number,
  exams: readonly ExamProgress[] = [],
  reflections: readonly ReflectionProgress[] = [],
  time?: StudyTime,
): PlanProgress {
  const perLecture = byLecture(lectures);
  const all = [...perLecture.values()];
  const rules = plan.study ?? DEFAULT_STUDY_RULES;

  const rows: readonly StudyDayRow[] =
    time?.rows ?? all.map((lecture) => ({ lectureId: lecture.lectureId, day: '', creditedSec: lecture.creditedSec }));
  const count = countStudy(rules, rows, time?.inPerson ?? [], plan.mode !== 'per_lecture');
  const lectureMs =
    plan.mode === 'per_lecture'
      ? all.filter((lecture) => lecture.completed && lectureLongEnough(rules, lecture.durationSec)).length *
          hoursToMs(plan.creditHoursPerLecture) +
        count.studyMs
      : count.studyMs;
  const requiredMs = hoursToMs(plan.requiredHours);

  const compulsoryMissing = [...new Set(plan.compulsoryLectureIds ?? [])].filter((id) => !perLecture.get(id)?.completed);

  const requiredExams = [...new Set(plan.requiredExamIds ?? [])];
  const examMs = examCreditMs(requiredExams, exams);
  const earnedMs = lectureMs + examMs;
  const passed = new Set(exams.filter((exam) => exam.passed).map((exam) => exam.examId));
  const examsMissing = requiredExams.filter((id) => !passed.has(id));
  const sat = exams.some((exam) => requiredExams.includes(exam.examId) && (exam.passed || exam.attempted === true));

  const reflectionsRequired = wholeCount(plan.requiredReflections);
  const reflectionsAccepted = reflectionsCounted(plan.planId, reflections);
  const reflectionsMissing = Math.max(0, reflectionsRequired - reflectionsAccepted);

  const hoursMet = earnedMs >= requiredMs;
  // Activity, not earned hours: in per_lecture mode a member halfway through a lecture has started, and so
  // has a member who sat a required exam or had a reflection the plan requires accepted.
  const started =
    all.some((lecture) => lecture.completed || lecture.creditedSec > 0) ||
    count.inPersonCountedSec > 0 ||
    sat ||
    (reflectionsRequired > 0 && reflectionsAccepted > 0);
  const periodOver = nowMs >= plan.periodEndMs;
  const expectedMs = Math.floor(requiredMs * periodElapsedShare(plan.periodStartMs, plan.periodEndMs, nowMs));

  let status: PlanStatus;
  if (hoursMet && compulsoryMissing.length === 0 && examsMissing.length === 0 && reflectionsMissing === 0) status = 'met';
  else if (!started) status = 'not_started';
  // Missing compulsory lectures (or exams, or reflections) only make a member behind once there is no time left to watch them.
  else if (!periodOver && earnedMs >= expectedMs) status = 'on_track';
  else status = 'behind';

  return {
    earnedHours: earnedMs / MS_PER_HOUR,
    requiredHours: requiredMs / MS_PER_HOUR,
    remainingHours: Math.max(0, requiredMs - earnedMs) / MS_PER_HOUR,
    percent: percentOf(earnedMs, requiredMs),
    compulsoryMissing,
    examsMissing,
    reflectionsRequired,
    reflectionsAccepted,
    reflectionsMissing,
    status,
    count,
  };
}
