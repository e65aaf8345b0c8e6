/**
 * SQL pieces shared by My study and the reports: which members a plan applies to, and which
 * credited study counts toward it. `$plan` is the parameter holding the plan id.
 */

/**
 * Members the plan applies to: active members under one of its units, and, for each further target the
 * plan names, matching one of them: of one of its categories, holding one of its positions now (in any
 * unit: `ended_on IS NULL`), enrolled now in one of its training classes (`withdrawn_at IS NULL`).
 * My study, the plan views, the rollup and the frozen results all read membership from here.
 */
export const planMembers = (plan: string) => `
  SELECT u.id AS user_id, u.name, u.login, u.category, u.org_unit_id, o.path AS unit_path
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE u.role = 'member' AND u.active
     AND EXISTS (SELECT 1 FROM study_plan_units pu JOIN org_units pou ON pou.id = pu.org_unit_id
                  WHERE pu.plan_id = ${plan} AND (o.path = pou.path OR o.path LIKE pou.path || '/%'))
     AND (NOT EXISTS (SELECT 1 FROM study_plan_categories pc WHERE pc.plan_id = ${plan})
          OR u.category IN (SELECT pc.category FROM study_plan_categories pc WHERE pc.plan_id = ${plan}))
     AND (NOT EXISTS (SELECT 1 FROM study_plan_positions pp WHERE pp.plan_id = ${plan})
          OR EXISTS (SELECT 1 FROM member_positions mp JOIN study_plan_positions pp ON pp.position_code = mp.position_code
                      WHERE pp.plan_id = ${plan} AND mp.user_id = u.id AND mp.ended_on IS NULL))
     AND (NOT EXISTS (SELECT 1 FROM study_plan_classes spc WHERE spc.plan_id = ${plan})
          OR EXISTS (SELECT 1 FROM training_class_members tm JOIN study_plan_classes spc ON spc.class_id = tm.class_id
                      WHERE spc.plan_id = ${plan} AND tm.user_id = u.id AND tm.withdrawn_at IS NULL))`;

/** Lectures whose study counts: all, or those of the plan's courses. */
export const planLectures = (plan: string) => `
  SELECT l.id AS lecture_id, l.course_id FROM lectures l JOIN study_plans p ON p.id = ${plan}
   WHERE p.all_courses OR l.course_id IN (SELECT course_id FROM study_plan_courses WHERE plan_id = ${plan})`;

/** Whether a day of study by a member counts: inside the period, or in the make-up window for members granted one. */
export const countsTowardPlan = (plan: string, day: string, user: string) => `(
  (${day} BETWEEN (SELECT period_start FROM study_plans WHERE id = ${plan}) AND (SELECT period_end FROM study_plans WHERE id = ${plan}))
  OR (${day} > (SELECT period_end FROM study_plans WHERE id = ${plan})
      AND ${day} <= (SELECT makeup_until FROM study_plans WHERE id = ${plan})
      AND EXISTS (SELECT 1 FROM study_plan_makeup m WHERE m.plan_id = ${plan} AND m.user_id = ${user})))`;

/**
 * The seconds of a `study_daily` row `sd` that count toward plan `p` (a `study_plans` row in scope): credited less
 * the parts of the kinds the plan does not count, added in the order audio, speed-up, collective, never below 0.
 * The SQL of `rowCountedSec` in libs/watch (same float operations in the same order).
 */
export const countedSecSql = (sd: string, p: string) => `greatest(${sd}.credited_sec - (
    CASE WHEN ${p}.counts_audio THEN 0 ELSE ${sd}.audio_sec END
    + CASE WHEN ${p}.counts_speedup THEN 0 ELSE ${sd}.speedup_sec END
    + CASE WHEN ${p}.counts_collective THEN 0 ELSE ${sd}.collective_sec END)::float8, 0::float8)`;

/**
 * In-person attendance that counts toward the plan, one row per session attended: the member, the day the
 * session was held (its start, on the study calendar) and the seconds attended. Only sessions of kind
 * `in_person` that were not cancelled, check-ins not taken back (`undone_at`), held on a day that counts for the member; none when the plan does not
 * count in-person study. `users` is SQL selecting the members (`user_id`).
 */
export const inPersonAttendance = (plan: string, timeZone: string, users: string) => {
  const day = `(g.starts_at AT TIME ZONE '${timeZone.replace(/'/g, '')}')::date`;
  return `
  SELECT a.user_id, ${day} AS day, a.credited_sec::float8 AS sec
    FROM group_session_attendance a JOIN group_sessions g ON g.id = a.session_id
   WHERE g.kind = 'in_person' AND g.status <> 'cancelled' AND g.starts_at IS NOT NULL AND a.undone_at IS NULL
     AND a.user_id IN (${users})
     AND (SELECT counts_in_person FROM study_plans WHERE id = ${plan})
     AND ${countsTowardPlan(plan, day, 'a.user_id')}`;
};
