import type { ExamOutcome } from '#contracts';
import { countsTowardPlan } from '../../study/plan-scope.sql.js';

/**
 * A member's result in an exam, as every place that reports it reads it (plan standings, My study, the
 * plan rollup, the frozen results of a closed plan, the exam reports):
 *
 * - voided attempts count for nothing, anywhere;
 * - the best attempt is the graded one with the highest share of its paper (the earliest of equals);
 * - the outcome is `passed` if any graded attempt passed, else `grading` while an attempt waits for a
 *   grader, else `failed` if one was graded, else `not_taken` (nothing submitted: an attempt in progress
 *   is not a result yet).
 */

/**
 * Whether a member's pass earns the exam's credit hours toward a plan: a graded, passing attempt (not voided)
 * handed in on a day that counts toward the plan, as a day of study does (`countsTowardPlan`: in the period,
 * or in the make-up window for members granted it). The day is the study calendar's (`timeZone`).
 */
export interface ExamCreditOf {
  /** SQL parameter or expression holding the plan id. */
  plan: string;
  timeZone: string;
}

/**
 * One row per (exam, member) with a non-voided attempt: `attempts` (non-voided, in progress included),
 * `passed`, `grading`, `graded`, `attempted` (submitted), the best graded attempt's `best_score`,
 * `best_max` and `best_percent` (0..100, unrounded), `last_submitted_at`, the `outcome`, and with `credit`,
 * `credit_counts` (a pass that earns the exam's credit hours toward that plan; see `ExamCreditOf`).
 * `where` narrows the attempts (alias `a`), e.g. `a.exam_id = ANY($1::uuid[])`.
 */
export const examResults = (where: string, credit?: ExamCreditOf) => `
  SELECT r.*,
         CASE WHEN r.passed THEN 'passed' WHEN r.grading THEN 'grading' WHEN r.graded THEN 'failed' ELSE 'not_taken' END AS outcome
    FROM (SELECT a.exam_id, a.user_id, count(*)::int AS attempts,
                 coalesce(bool_or(a.status = 'graded' AND a.passed), false) AS passed,
                 bool_or(a.status = 'grading') AS grading,
                 bool_or(a.status = 'graded') AS graded,
                 bool_or(a.status IN ('graded', 'grading')) AS attempted,
                 (array_agg(a.score ORDER BY a.score / a.max_score DESC, a.submitted_at, a.number) FILTER (WHERE a.status = 'graded'))[1]::float8 AS best_score,
                 (array_agg(a.max_score ORDER BY a.score / a.max_score DESC, a.submitted_at, a.number) FILTER (WHERE a.status = 'graded'))[1]::float8 AS best_max,
                 (max(a.score / a.max_score) FILTER (WHERE a.status = 'graded') * 100)::float8 AS best_percent,
                 max(a.submitted_at) AS last_submitted_at,
                 ${
                   credit
                     ? `coalesce(bool_or(a.status = 'graded' AND a.passed AND ${countsTowardPlan(
                         credit.plan,
                         `(a.submitted_at AT TIME ZONE '${credit.timeZone.replace(/'/g, '')}')::date`,
                         'a.user_id',
                       )}), false)`
                     : 'false'
                 } AS credit_counts
            FROM exam_attempts a
           WHERE a.status <> 'voided' AND ${where}
           GROUP BY a.exam_id, a.user_id) r`;

export interface ExamResultRow {
  exam_id: string;
  user_id: string;
  attempts: number;
  passed: boolean;
  grading: boolean;
  graded: boolean;
  attempted: boolean;
  best_score: number | null;
  best_max: number | null;
  best_percent: number | null;
  last_submitted_at: Date | null;
  outcome: ExamOutcome;
  credit_counts: boolean;
}

/** The exams a plan requires, earliest window first: `plan` is the SQL parameter or expression holding its id. */
export const planExams = (plan: string) => `
  SELECT e.id, e.title, e.opens_at, e.closes_at, e.max_attempts, e.credit_hours, e.pass_percent
    FROM study_plan_exams pe JOIN exams e ON e.id = pe.exam_id
   WHERE pe.plan_id = ${plan}
   ORDER BY e.opens_at, e.title, e.id`;

export interface PlanExamRow {
  id: string;
  title: string;
  opens_at: Date;
  closes_at: Date;
  max_attempts: number;
  credit_hours: string | null;
  pass_percent: string;
}

/** A percent rounded to 0.01 (as `round2` of #exams), as the reports show it; null stays null. */
export const percent2 = (value: number | null | undefined) =>
  value === null || value === undefined ? null : Math.round(value * 100) / 100;

/** A score rounded to 0.01 (scores are numeric(8, 2)); null stays null. */
export const score2 = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value * 100) / 100);

/** A member's result in one exam of a plan, as standings carry it and a closed plan freezes it. */
export interface MemberExamResult {
  examId: string;
  title: string;
  outcome: ExamOutcome;
  passed: boolean;
  attempted: boolean;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  /** The exam's stated credit hours (null: none). */
  creditHours: number | null;
  /** Whether the pass earns `creditHours` toward the plan (see `ExamCreditOf`). */
  creditCounts: boolean;
}

/** The member's result from the result row (none: not taken). */
export function memberExamResult(
  exam: { id: string; title: string; credit_hours?: string | null },
  row: ExamResultRow | undefined,
): MemberExamResult {
  return {
    examId: exam.id,
    title: exam.title,
    outcome: row?.outcome ?? 'not_taken',
    passed: row?.passed ?? false,
    attempted: row?.attempted ?? false,
    score: score2(row?.best_score),
    maxScore: score2(row?.best_max),
    percent: percent2(row?.best_percent),
    creditHours: exam.credit_hours === null || exam.credit_hours === undefined ? null : Number(exam.credit_hours),
    creditCounts: row?.credit_counts ?? false,
  };
}
