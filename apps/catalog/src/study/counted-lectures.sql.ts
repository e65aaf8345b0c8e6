import type { DataSource, EntityManager } from 'typeorm';
import type { CountedLecture } from './hours-by-rule.js';
import { countedSecSql, countsTowardPlan, planLectures } from './plan-scope.sql.js';

/** A lecture that counts toward a plan for one member, with its names and completion day. */
export interface CountedLectureRow extends CountedLecture {
  lectureTitle: string;
  courseTitle: string;
  /** YYYY-MM-DD in the organisation's time zone, if the lecture was completed on a day that counts. */
  completedOn: string | null;
}

/**
 * Each lecture whose study counts toward `planId` for `userId`, by the same rules as the plan standings
 * (`StudyPlansService.standings`): credited days of the plan's lectures in the period, or in the make-up
 * window for a member granted it; lectures completed on such a day, the plan's compulsory ones included.
 * A lecture's seconds are those the plan counts: credited less the kinds it does not count (`countedSecSql`).
 * The credit is split at the period's end, so My study can say which rule counted each hour.
 */
export async function countedLectures(
  db: DataSource | EntityManager,
  timeZone: string,
  planId: string,
  userId: string,
): Promise<CountedLectureRow[]> {
  const zone = timeZone.replace(/'/g, '');
  const completedDay = `(lp.completed_at AT TIME ZONE '${zone}')::date`;
  const rows: Array<{
    lecture_id: string;
    compulsory: boolean;
    period_sec: number;
    makeup_sec: number;
    completed_on: string | null;
    completed_in: 'period' | 'makeup' | null;
    earns: boolean | null;
    lecture_title: string;
    course_title: string;
  }> = await db.query(
    `WITH pl AS (${planLectures('$1')}), sp AS (SELECT * FROM study_plans WHERE id = $1),
          c AS (SELECT sd.lecture_id,
                       coalesce(sum(${countedSecSql('sd', 'sp')}) FILTER (WHERE sd.day <= sp.period_end), 0) AS period_sec,
                       coalesce(sum(${countedSecSql('sd', 'sp')}) FILTER (WHERE sd.day > sp.period_end), 0) AS makeup_sec
                  FROM study_daily sd CROSS JOIN sp
                 WHERE sd.user_id = $2 AND sd.lecture_id IN (SELECT lecture_id FROM pl)
                   AND ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}
                 GROUP BY sd.lecture_id),
          d AS (SELECT lp.lecture_id, ${completedDay} AS day, lp.duration_sec
                  FROM lecture_progress lp
                 WHERE lp.user_id = $2 AND lp.completed_at IS NOT NULL
                   AND (lp.lecture_id IN (SELECT lecture_id FROM pl)
                        OR lp.lecture_id IN (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1))
                   AND ${countsTowardPlan('$1', completedDay, 'lp.user_id')})
     SELECT l.id AS lecture_id, l.title AS lecture_title, co.title AS course_title,
            EXISTS (SELECT 1 FROM study_plan_compulsory spc WHERE spc.plan_id = $1 AND spc.lecture_id = l.id) AS compulsory,
            coalesce(c.period_sec, 0)::float8 AS period_sec, coalesce(c.makeup_sec, 0)::float8 AS makeup_sec,
            to_char(d.day, 'YYYY-MM-DD') AS completed_on,
            CASE WHEN d.day IS NULL THEN NULL WHEN d.day <= (SELECT period_end FROM sp) THEN 'period' ELSE 'makeup' END AS completed_in,
            ((SELECT min_lecture_minutes FROM sp) IS NULL OR d.duration_sec >= ((SELECT min_lecture_minutes FROM sp) * 60)::float8) AS earns
       FROM c FULL JOIN d ON d.lecture_id = c.lecture_id
       JOIN lectures l ON l.id = coalesce(c.lecture_id, d.lecture_id)
       JOIN courses co ON co.id = l.course_id
      ORDER BY d.day NULLS LAST, co.title, l.position, l.id`,
    [planId, userId],
  );
  return rows.map((r) => ({
    lectureId: r.lecture_id,
    compulsory: r.compulsory,
    periodSec: Number(r.period_sec),
    makeupSec: Number(r.makeup_sec),
    completedIn: r.completed_in,
    earns: r.earns !== false,
    completedOn: r.completed_on,
    lectureTitle: r.lecture_title,
    courseTitle: r.course_title,
  }));
}
