import { countsTowardPlan } from './plan-scope.sql.js';

/**
 * Which learning reflections count toward a plan, as every place that reports it reads them (My study, the
 * plan standings, the rollup, the frozen results of a closed plan). The rule itself is `reflectionCounts`
 * (libs/watch `plan-progress.ts`); these are its SQL forms, which the rollup tests compare with it:
 *
 * - accepted: reviewed as 'read' or 'excellent', `accepted_at` set (drafts, submissions waiting for review,
 *   returned and withdrawn ones do not);
 * - written for the plan (`plan_id`), whenever; or written for no plan on a day that counts toward it, by
 *   the day it was begun (`created_at` on the study calendar): in the period, or in the make-up window for
 *   members granted it (`countsTowardPlan`), as a day of study. Not the day it was accepted: a member who
 *   wrote in time is not let down by a late reviewer, nor by revising a returned reflection after the period.
 * - a reflection written for another plan counts only there.
 */

/** Whether the reflection `r` (an alias) was written on a day that counts toward the plan `plan` (SQL). */
export const writtenOnCountingDay = (plan: string, timeZone: string, r = 'r') =>
  countsTowardPlan(plan, `(${r}.created_at AT TIME ZONE '${timeZone.replace(/'/g, '')}')::date`, `${r}.user_id`);

/** The SQL form of `reflectionCounts` for the reflection `r` and the plan `plan`. */
export const reflectionCountsSql = (plan: string, timeZone: string, r = 'r') => `
  (${r}.accepted_at IS NOT NULL AND ${r}.status IN ('read', 'excellent')
   AND (${r}.plan_id = ${plan} OR (${r}.plan_id IS NULL AND ${writtenOnCountingDay(plan, timeZone, r)})))`;

/**
 * Per member whose id `users` (SQL: a set of user ids) holds, how many reflections count toward `plan`:
 * one row per member with at least one (`user_id`, `accepted`).
 */
export const acceptedReflections = (plan: string, timeZone: string, users: string) => `
  SELECT r.user_id, count(*)::int AS accepted
    FROM reflections r
   WHERE r.user_id IN (${users}) AND ${reflectionCountsSql(plan, timeZone)}
   GROUP BY r.user_id`;

/** A member's reflection as `planProgress` weighs it. */
export interface ReflectionRow {
  id: string;
  user_id: string;
  status: string;
  plan_id: string | null;
  on_counting_day: boolean;
}

/**
 * The reflections of the members `users` (SQL) that may weigh in `plan`: those written for it or for no plan,
 * each with whether it was written on a day that counts (the pure rule decides the rest).
 */
export const memberReflections = (plan: string, timeZone: string, users: string) => `
  SELECT r.id, r.user_id, r.status, r.plan_id, ${writtenOnCountingDay(plan, timeZone)} AS on_counting_day
    FROM reflections r
   WHERE r.user_id IN (${users}) AND (r.plan_id IS NULL OR r.plan_id = ${plan})
     AND r.accepted_at IS NOT NULL AND r.status IN ('read', 'excellent')`;

/** `ReflectionRow`s as `planProgress` takes them. */
export const reflectionProgress = (rows: readonly ReflectionRow[]) =>
  rows.map((r) => ({ reflectionId: r.id, status: r.status, planId: r.plan_id, writtenOnCountingDay: r.on_counting_day }));

/** A member's reflections against a plan, beside the other figures of their standing. */
export interface PlanReflectionsFigures {
  /** Accepted reflections the plan requires (0: none). */
  reflectionsRequired?: number;
  /** The member's reflections that count toward the plan. */
  reflectionsAccepted?: number;
}
