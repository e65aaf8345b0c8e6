import { NotFoundException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { LectureReport, RetentionPoint } from '#contracts';
import { measure, type Interval } from '#watch';
import type { ScopeService } from '../../src/org/scope.service.js';
import type { CourseRow } from '../../src/reports/report-columns.js';
import type { ReportsService } from '../../src/reports/reports.service.js';
import { countsTowardPlan } from '../../src/study/plan-scope.sql.js';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Whether the course `c` may appear in the reports of the subtree at `root`: someone of the subtree
 * studied it (in any state: a course unpublished or archived since keeps its record), or it is
 * published or archived and shown to the subtree: no audience (everyone), or an audience naming
 * the root, a unit above it (as `VISIBLE_TO_MEMBER`) or one below it. A draft nobody there studied
 * is not theirs to see.
 */
export const reportableCourse = (root: string) => `(
  EXISTS (SELECT 1 FROM lectures rl JOIN lecture_progress rp ON rp.lecture_id = rl.id
            JOIN users ru ON ru.id = rp.user_id JOIN org_units ro ON ro.id = ru.org_unit_id
           WHERE rl.course_id = c.id AND (ro.path = ${root} OR ro.path LIKE ${root} || '/%'))
  OR (c.status <> 'draft'
      AND (NOT EXISTS (SELECT 1 FROM course_visibility rv WHERE rv.course_id = c.id)
           OR EXISTS (SELECT 1 FROM course_visibility rv JOIN org_units rvo ON rvo.id = rv.org_unit_id
                       WHERE rv.course_id = c.id
                         AND (${root} = rvo.path OR ${root} LIKE rvo.path || '/%' OR rvo.path LIKE ${root} || '/%')))))`;

/**
 * The trend, course and lecture reports aggregated live over `study_daily` and `lecture_progress` on every
 * request, as they were before the activity rollups: the reference the rollup's answers are tested against.
 */
export class LiveActivityReports {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly reports: Pick<ReportsService, 'planFor'>,
  ) {}

  private planFor(principal: Principal, planId: string) {
    return this.reports.planFor(principal, planId);
  }

  /** Study hours per day over the plan's period (and make-up window) by members of the caller's subtree. */
  async trend(principal: Principal, planId: string): Promise<Array<{ day: string; hours: number; seconds: number; members: number }>> {
    const plan = await this.planFor(principal, planId);
    const root = await this.scope.rootOf(principal);
    return this.db.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              round((coalesce(sum(sd.credited_sec), 0) / 3600)::numeric, 2)::float8 AS hours,
              round(coalesce(sum(sd.credited_sec), 0))::float8 AS seconds, count(DISTINCT sd.user_id)::int AS members
         FROM generate_series($2::date, coalesce($3::date, $4::date), interval '1 day') AS d(day)
         LEFT JOIN study_daily sd ON sd.day = d.day::date
              AND sd.user_id IN (SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path = $5 OR o.path LIKE $5 || '/%')
              AND ${countsTowardPlan('$1', 'sd.day', 'sd.user_id')}
        GROUP BY d.day ORDER BY d.day`,
      [planId, plan.period_start, plan.makeup_until, plan.period_end, root.path],
    );
  }

  /**
   * Per course the caller's subtree can see or studied (`reportableCourse`): who watched, completions,
   * coverage and hours, counting only members of the caller's subtree.
   */
  async courses(principal: Principal): Promise<CourseRow[]> {
    const root = await this.scope.rootOf(principal);
    const rows = await this.db.query(
      `WITH mine AS (SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path = $1 OR o.path LIKE $1 || '/%')
       SELECT c.id AS "courseId", c.title, c.status,
              count(DISTINCT p.user_id)::int AS viewers,
              count(*) FILTER (WHERE p.completed_at IS NOT NULL)::int AS completions,
              count(p.user_id)::int AS started,
              coalesce(avg(CASE WHEN p.duration_sec > 0 THEN least(1, p.covered_sec / p.duration_sec) END), 0)::float8 AS "averageCoverage",
              round((coalesce(sum(p.credited_sec), 0) / 3600)::numeric, 2)::float8 AS "totalHours",
              round(coalesce(sum(p.credited_sec), 0))::float8 AS "totalSec"
         FROM courses c LEFT JOIN lectures l ON l.course_id = c.id
         LEFT JOIN lecture_progress p ON p.lecture_id = l.id AND p.user_id IN (SELECT id FROM mine)
        WHERE ${reportableCourse('$1')}
        GROUP BY c.id ORDER BY "totalHours" DESC, c.title`,
      [root.path],
    );
    return rows.map((r: { started: number; completions: number; averageCoverage: number }) => ({
      ...r,
      completionRate: r.started ? round(r.completions / r.started, 3) : 0,
      averageCoverage: round(r.averageCoverage, 3),
    }));
  }

  /**
   * One lecture: the same figures plus audience retention, the share of its viewers who watched each part.
   * 404 unless its course is one the course report lists for the caller (`reportableCourse`).
   */
  async lecture(principal: Principal, lectureId: string, buckets = 50): Promise<LectureReport> {
    const root = await this.scope.rootOf(principal);
    const [lecture] = await this.db.query(
      `SELECT l.id, l.title, c.title AS course_title, coalesce(m.duration_sec, 0) AS duration_sec
         FROM lectures l JOIN courses c ON c.id = l.course_id LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
        WHERE l.id = $1 AND ${reportableCourse('$2')}`,
      [lectureId, root.path],
    );
    if (!lecture) throw new NotFoundException('No such lecture in your organisation.');
    const progress: Array<{ coverage: Interval[]; credited_sec: number; completed: boolean }> = await this.db.query(
      `SELECT p.coverage, p.credited_sec, p.completed_at IS NOT NULL AS completed
         FROM lecture_progress p JOIN users u ON u.id = p.user_id JOIN org_units o ON o.id = u.org_unit_id
        WHERE p.lecture_id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%')`,
      [lectureId, root.path],
    );
    const duration = Number(lecture.duration_sec);
    const retention: RetentionPoint[] = Array.from({ length: buckets }, (_, i) => {
      const at = ((i + 0.5) / buckets) * duration;
      const watched = progress.filter((p) => p.coverage.some(([start, end]) => start <= at && at < end)).length;
      return { position: round(at, 1), share: progress.length ? round(watched / progress.length, 3) : 0 };
    });
    const completions = progress.filter((p) => p.completed).length;
    return {
      lectureId,
      title: lecture.title,
      courseTitle: lecture.course_title,
      durationSec: duration,
      viewers: progress.length,
      completions,
      completionRate: progress.length ? round(completions / progress.length, 3) : 0,
      averageCoverage:
        progress.length && duration
          ? round(progress.reduce((s, p) => s + Math.min(1, measure(p.coverage) / duration), 0) / progress.length, 3)
          : 0,
      totalHours: round(progress.reduce((s, p) => s + p.credited_sec, 0) / 3600),
      totalSec: Math.round(progress.reduce((s, p) => s + p.credited_sec, 0)),
      retention,
    };
  }
}
