import { periodElapsedShare, type PlanRules, type PlanStatus } from '#watch';

/**
 * A member's standing split into what the rollup can store (earned ms, started, compulsory missing)
 * and what depends on the clock (the pro-rata line), so the overview can count statuses at read time
 * exactly as `planProgress` decides them. `plan-status.spec.ts` checks the two agree.
 */

const MS_PER_HOUR = 3_600_000;
const MS_PER_CENTI_HOUR = 36_000;

function hoursToMs(hours: number): number {
  return Number.isFinite(hours) && hours > 0 ? Math.round(hours * MS_PER_HOUR) : 0;
}

export interface PlanThresholds {
  requiredMs: number;
  /** per_lecture plans: ms granted per completed lecture; 0 for watch_time. */
  perLectureMs: number;
  compulsoryCount: number;
  /** The pro-rata requirement at `nowMs`: a started member with at least this much is on track. */
  expectedMs: number;
  periodOver: boolean;
}

export function planThresholds(rules: PlanRules, nowMs: number): PlanThresholds {
  const requiredMs = hoursToMs(rules.requiredHours);
  return {
    requiredMs,
    perLectureMs: rules.mode === 'per_lecture' ? hoursToMs(rules.creditHoursPerLecture) : 0,
    compulsoryCount: new Set(rules.compulsoryLectureIds ?? []).size,
    expectedMs: Math.floor(requiredMs * periodElapsedShare(rules.periodStartMs, rules.periodEndMs, nowMs)),
    periodOver: nowMs >= rules.periodEndMs,
  };
}

export interface MemberTotals {
  earnedMs: number;
  started: boolean;
  compulsoryMissing: number;
  /** Required exams not passed and required reflections not accepted yet (absent: none); the rollup stores them in `met`. */
  examsMissing?: number;
  reflectionsMissing?: number;
}

/** `planProgress`'s status from stored totals. */
export function statusOf(member: MemberTotals, plan: PlanThresholds): PlanStatus {
  const requirementsDone = member.compulsoryMissing === 0 && !member.examsMissing && !member.reflectionsMissing;
  if (member.earnedMs >= plan.requiredMs && requirementsDone) return 'met';
  if (!member.started) return 'not_started';
  if (!plan.periodOver && member.earnedMs >= plan.expectedMs) return 'on_track';
  return 'behind';
}

/** Whole milliseconds to hundredths of an hour, rounded half up in integers (no floating-point ties). */
export function centiHours(ms: number): number {
  return Math.floor((Math.max(0, Math.round(ms)) + MS_PER_CENTI_HOUR / 2) / MS_PER_CENTI_HOUR);
}

/** Hours that came from whole milliseconds (as every earned or remaining figure does), rounded half up to 0.01. */
export function roundHours(hours: number): number {
  return centiHours(Math.round(hours * MS_PER_HOUR)) / 100;
}

/** Average of `members` values summing to `centi` hundredths, rounded half up to 0.01 h. */
export function averageHours(centi: number, members: number): number {
  return members > 0 ? Math.floor((2 * centi + members) / (2 * members)) / 100 : 0;
}
