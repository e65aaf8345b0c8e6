import { Injectable, NotFoundException, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { LectureReport, RetentionPoint } from '#contracts';
import { ScopeService } from '../org/scope.service.js';
import { ActivityRollup, DEFAULT_ACTIVITY_OPTIONS, RETENTION_BUCKETS } from './activity-rollup.js';
import type { CourseRow } from './report-columns.js';
import { ReportsService } from './reports.service.js';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One day of a plan's study trend. */
export interface TrendDay {
  day: string;
  hours: number;
  seconds: number;
  members: number;
}

/** A course of the course report, with what the screen reads besides the table's columns. */
export type CourseReportRow = CourseRow & { status: string; started: number };

/** Units of the subtree at `root` (a parameter): the rollup rows of their members add up to the subtree's figure. */
const subtree = (root: string) => `(o.path = ${root} OR o.path LIKE ${root} || '/%')`;

/**
 * Whether the course `c` may appear in the reports of the subtree at `root`: someone of the subtree studied it
 * (in any state: a course unpublished or archived since keeps its record; read from the course rollup, `studied`
 * being the course ids with progress there), or it is published or archived and shown to the subtree: no
 * audience (everyone), or an audience naming the root, a unit above it or one below it. A draft nobody there
 * studied is not theirs to see.
 */
const reportable = (root: string, studied: string) => `(
  c.id IN (${studied})
  OR (c.status <> 'draft'
      AND (NOT EXISTS (SELECT 1 FROM course_visibility rv WHERE rv.course_id = c.id)
           OR EXISTS (SELECT 1 FROM course_visibility rv JOIN org_units rvo ON rvo.id = rv.org_unit_id
                       WHERE rv.course_id = c.id
                         AND (${root} = rvo.path OR ${root} LIKE rvo.path || '/%' OR rvo.path LIKE ${root} || '/%')))))`;

/** Course ids someone of the subtree at `root` has progress in. */
const studiedIn = (root: string) => `
  SELECT s.course_id FROM unit_course_stats s JOIN org_units o ON o.id = s.unit_id WHERE ${subtree(root)} AND s.started > 0`;

/**
 * The trend, course and lecture reports read from the activity rollups (`ActivityRollup`): per unit of
 * the member, summed over the units of the caller's subtree. Same figures as the live aggregation, as of
 * the oldest change still waiting in the log (drained first when little waits). Sums are exact (`numeric`)
 * and rounded through `float8` with the live queries' expressions (`round(float8)` rounds half to even).
 */
@Injectable()
export class ActivityReportsService implements OnApplicationBootstrap, OnModuleDestroy {
  /** Refreshed in the background while the app runs. */
  readonly rollup: ActivityRollup;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly reports: ReportsService,
  ) {
    this.rollup = new ActivityRollup(db, DEFAULT_ACTIVITY_OPTIONS);
  }

  onApplicationBootstrap(): void {
    this.rollup.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.rollup.stop();
  }

  /**
   * Study hours per day over the plan's period (and make-up window) by members of the caller's subtree.
   * Days of the period sum the units' daily rows; days of the make-up window count only the members
   * granted one (`countsTowardPlan`), from their own daily rows.
   */
  async trend(principal: Principal, planId: string): Promise<TrendDay[]> {
    const root = await this.scope.rootOf(principal);
    const plan = await this.reports.planFor(principal, planId, root.path);
    await this.rollup.prepare();
    return this.db.query(
      `WITH period AS (
              SELECT s.day, sum(s.credited_sec) AS sec, sum(s.members)::int AS members
                FROM unit_daily_study s JOIN org_units o ON o.id = s.unit_id
               WHERE ${subtree('$4')} AND s.day BETWEEN $2::date AND $3::date
               GROUP BY s.day),
            makeup AS (
              SELECT a.day, sum(a.credited_sec) AS sec, count(*)::int AS members
                FROM study_plan_makeup m JOIN activity_user_days a ON a.user_id = m.user_id
                JOIN org_units o ON o.id = a.unit_id
               WHERE m.plan_id = $1 AND ${subtree('$4')} AND a.day > $3::date AND a.day <= $5::date
               GROUP BY a.day),
            counted AS (SELECT * FROM period UNION ALL SELECT * FROM makeup)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              round((coalesce(c.sec, 0)::float8 / 3600)::numeric, 2)::float8 AS hours, round(coalesce(c.sec, 0)::float8)::float8 AS seconds,
              coalesce(c.members, 0) AS members
         FROM generate_series($2::date, coalesce($5::date, $3::date), interval '1 day') AS d(day)
         LEFT JOIN counted c ON c.day = d.day::date
        ORDER BY d.day`,
      [planId, plan.period_start, plan.period_end, root.path, plan.makeup_until],
    );
  }

  /**
   * Per course the caller's subtree can see or studied (`reportable`): who watched, completions,
   * coverage and hours, counting only members of the caller's subtree.
   */
  async courses(principal: Principal): Promise<CourseReportRow[]> {
    const root = await this.scope.rootOf(principal);
    await this.rollup.prepare();
    const rows: Array<CourseReportRow & { averageCoverage: number }> = await this.db.query(
      `WITH mine AS (
              SELECT s.course_id, sum(s.viewers)::int AS viewers, sum(s.started)::int AS started, sum(s.completions)::int AS completions,
                     sum(s.credited_sec) AS credited_sec, sum(s.course_ratio_sum) AS ratio_sum, sum(s.course_ratio_count) AS ratio_count
                FROM unit_course_stats s JOIN org_units o ON o.id = s.unit_id
               WHERE ${subtree('$1')}
               GROUP BY s.course_id)
       SELECT c.id AS "courseId", c.title, c.status,
              coalesce(m.viewers, 0) AS viewers, coalesce(m.completions, 0) AS completions, coalesce(m.started, 0) AS started,
              CASE WHEN m.ratio_count > 0 THEN (m.ratio_sum / m.ratio_count)::float8 ELSE 0 END AS "averageCoverage",
              round((coalesce(m.credited_sec, 0)::float8 / 3600)::numeric, 2)::float8 AS "totalHours",
              round(coalesce(m.credited_sec, 0)::float8)::float8 AS "totalSec"
         FROM courses c LEFT JOIN mine m ON m.course_id = c.id
        WHERE ${reportable('$1', 'SELECT course_id FROM mine WHERE started > 0')}
        ORDER BY "totalHours" DESC, c.title`,
      [root.path],
    );
    return rows.map((r) => ({
      ...r,
      completionRate: r.started ? round(r.completions / r.started, 3) : 0,
      averageCoverage: round(r.averageCoverage, 3),
    }));
  }

  /**
   * One lecture: the same figures plus audience retention, the share of its viewers who watched each part.
   * 404 unless its course is one the course report lists for the caller.
   */
  async lecture(principal: Principal, lectureId: string): Promise<LectureReport> {
    const root = await this.scope.rootOf(principal);
    await this.rollup.prepare();
    const [lecture]: Array<{
      title: string;
      course_title: string;
      duration_sec: number;
      viewers: number | null;
      completions: number | null;
      credited_sec: number | null;
      ratio_sum: number | null;
      retention: number[] | null;
    }> = await this.db.query(
      `SELECT l.title, c.title AS course_title, coalesce(md.duration_sec, 0) AS duration_sec, f.*
         FROM lectures l JOIN courses c ON c.id = l.course_id LEFT JOIN lecture_media md ON md.asset_id = l.asset_id
         LEFT JOIN LATERAL (
           SELECT sum(s.viewers)::int AS viewers, sum(s.completions)::int AS completions,
                  sum(s.credited_sec)::float8 AS credited_sec, sum(s.lecture_ratio_sum)::float8 AS ratio_sum,
                  (SELECT array_agg(b.n ORDER BY b.i)
                     FROM (SELECT x.i, sum(x.n)::int AS n
                             FROM unit_lecture_stats t JOIN org_units o ON o.id = t.unit_id
                            CROSS JOIN unnest(t.retention) WITH ORDINALITY AS x(n, i)
                            WHERE t.lecture_id = l.id AND ${subtree('$2')}
                            GROUP BY x.i) b) AS retention
             FROM unit_lecture_stats s JOIN org_units o ON o.id = s.unit_id
            WHERE s.lecture_id = l.id AND ${subtree('$2')}) f ON true
        WHERE l.id = $1 AND ${reportable('$2', studiedIn('$2'))}`,
      [lectureId, root.path],
    );
    if (!lecture) throw new NotFoundException('No such lecture in your organisation.');
    const duration = Number(lecture.duration_sec);
    const viewers = lecture.viewers ?? 0;
    const completions = lecture.completions ?? 0;
    const credited = lecture.credited_sec ?? 0;
    const watched = lecture.retention ?? [];
    const retention: RetentionPoint[] = Array.from({ length: RETENTION_BUCKETS }, (_, i) => {
      const at = ((i + 0.5) / RETENTION_BUCKETS) * duration;
      return { position: round(at, 1), share: viewers ? round((watched[i] ?? 0) / viewers, 3) : 0 };
    });
    return {
      lectureId,
      title: lecture.title,
      courseTitle: lecture.course_title,
      durationSec: duration,
      viewers,
      completions,
      completionRate: viewers ? round(completions / viewers, 3) : 0,
      averageCoverage: viewers && duration ? round((lecture.ratio_sum ?? 0) / viewers, 3) : 0,
      totalHours: round(credited / 3600),
      totalSec: Math.round(credited),
      retention,
    };
  }
}
