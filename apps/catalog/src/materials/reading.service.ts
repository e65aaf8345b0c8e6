import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type { MaterialReadView, MyMaterialReading, ReadingReportAnswer } from '#contracts';
import { visibleToMember } from '../courses/courses.repository.js';
import { countsTowardPlan, planMembers } from '../study/plan-scope.sql.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { creditReading } from './reading-rules.js';
import type { ReadingReportBody } from './reading.schemas.js';

interface ReadingRow {
  seconds_read: number;
  spare_ms: number;
  previous_ms: number;
  first_opened_at: Date;
  last_read_at: Date | null;
}

/**
 * Reading time of course materials (tables of migration 1732000033000): the reader's reports, bounded by the
 * server's clock (`creditReading`), kept per member and material and per study-calendar day, and the moment a
 * material first counts as read for each open plan that counts reading (`material_read_minutes`).
 */
@Injectable()
export class MaterialReadingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
  ) {}

  private get zone() {
    return this.options.timeZone.replace(/'/g, '');
  }

  /** One report of the reader. Refused (404) for a material the member cannot see or that was archived. */
  async report(principal: Principal, materialId: string, body: ReadingReportBody): Promise<ReadingReportAnswer> {
    if (principal.role !== 'member') throw new ForbiddenException('Reading time is kept for members only.');
    return this.db.transaction('READ COMMITTED', async (m) => {
      const courseId = await this.readableCourse(m, principal.userId, materialId);
      const page = body.page ?? null;
      const opened: ReadingRow[] = await m.query(
        `INSERT INTO material_reading (user_id, material_id, last_page, first_opened_at, last_report_at)
         VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp())
         ON CONFLICT (user_id, material_id) DO NOTHING
         RETURNING seconds_read, first_opened_at, last_read_at`,
        [principal.userId, materialId, page],
      );
      if (opened[0]) return answer(materialId, opened[0], 0);

      const [row]: ReadingRow[] = await m.query(
        `SELECT seconds_read, spare_ms, first_opened_at, last_read_at,
                (extract(epoch FROM last_report_at) * 1000)::float8 AS previous_ms
           FROM material_reading WHERE user_id = $1 AND material_id = $2 FOR UPDATE`,
        [principal.userId, materialId],
      );
      // The clock is read once the row is locked, so a report that waited for another is bounded from its end.
      const [clock]: Array<{ now_ms: number }> = await m.query(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms`);
      const nowMs = clock!.now_ms;
      const credit = creditReading({ claimedSec: body.seconds, previousMs: row!.previous_ms, nowMs, spareMs: row!.spare_ms });
      // UPDATE … RETURNING answers [rows, count] through TypeORM.
      const [updatedRows]: [ReadingRow[], number] = await m.query(
        `UPDATE material_reading
            SET seconds_read = seconds_read + $3, spare_ms = $4, reports = reports + 1,
                last_page = coalesce($5, last_page),
                last_report_at = to_timestamp($6::float8 / 1000),
                last_read_at = CASE WHEN $3 > 0 THEN to_timestamp($6::float8 / 1000) ELSE last_read_at END
          WHERE user_id = $1 AND material_id = $2
          RETURNING seconds_read, first_opened_at, last_read_at`,
        [principal.userId, materialId, credit.creditSec, credit.spareMs, page, nowMs],
      );
      if (credit.creditSec > 0) {
        await m.query(
          `INSERT INTO material_reading_daily (user_id, material_id, day, seconds)
           VALUES ($1, $2, (to_timestamp($4::float8 / 1000) AT TIME ZONE '${this.zone}')::date, $3)
           ON CONFLICT (user_id, material_id, day) DO UPDATE SET seconds = material_reading_daily.seconds + EXCLUDED.seconds`,
          [principal.userId, materialId, credit.creditSec, nowMs],
        );
        await this.countRead(m, principal.userId, materialId, courseId);
      }
      return answer(materialId, updatedRows[0]!, credit.creditSec);
    });
  }

  /**
   * Records, once per plan, that the material now counts as read: each open plan that counts reading, covers
   * the material's course and applies to the member, whose days hold at least its minutes of this reading.
   */
  private async countRead(m: EntityManager, userId: string, materialId: string, courseId: string): Promise<void> {
    await m.query(
      `INSERT INTO material_reading_counted (plan_id, user_id, material_id, counted_at, read_minutes)
       SELECT p.id, $1, $2, clock_timestamp(), p.material_read_minutes
         FROM study_plans p
        WHERE p.material_read_minutes IS NOT NULL AND p.closed_at IS NULL
          AND (p.all_courses OR EXISTS (SELECT 1 FROM study_plan_courses pc WHERE pc.plan_id = p.id AND pc.course_id = $3))
          AND EXISTS (SELECT 1 FROM (${planMembers('p.id')}) pm WHERE pm.user_id = $1)
          AND (SELECT coalesce(sum(d.seconds), 0) FROM material_reading_daily d
                WHERE d.user_id = $1 AND d.material_id = $2 AND ${countsTowardPlan('p.id', 'd.day', 'd.user_id')})
              >= p.material_read_minutes * 60
       ON CONFLICT (plan_id, user_id, material_id) DO NOTHING`,
      [userId, materialId, courseId],
    );
  }

  /** The material's course, if the member may read it now: not archived, in a published course shown to their unit. */
  private async readableCourse(m: EntityManager, userId: string, materialId: string): Promise<string> {
    const rows: Array<{ course_id: string }> = await m.query(
      `SELECT cm.course_id
         FROM course_materials cm
         JOIN courses c ON c.id = cm.course_id
         JOIN users u ON u.id = $2 AND u.active
         JOIN org_units o ON o.id = u.org_unit_id
         LEFT JOIN lectures l ON l.id = cm.lecture_id
        WHERE cm.id = $1 AND cm.archived_at IS NULL AND l.archived_at IS NULL
          AND c.status = 'published' AND ${visibleToMember('o.path')}`,
      [materialId, userId],
    );
    if (!rows[0]) {
      throw new NotFoundException(
        'No such material to read: it may have been archived, or its course is not shown to you. Go back to the course page.',
      );
    }
    return rows[0].course_id;
  }

  /** For My study: per open plan that counts reading and applies to the member, the materials opened and which count as read. */
  async mine(principal: Principal): Promise<MyMaterialReading> {
    const plans: Array<{ id: string; name: string; material_read_minutes: number }> = await this.db.query(
      `SELECT p.id, p.name, p.material_read_minutes
         FROM study_plans p
        WHERE p.material_read_minutes IS NOT NULL AND p.closed_at IS NULL
          AND EXISTS (SELECT 1 FROM (${planMembers('p.id')}) pm WHERE pm.user_id = $1)
        ORDER BY p.period_end, p.name`,
      [principal.userId],
    );
    const result: MyMaterialReading = { plans: [] };
    for (const plan of plans) {
      const rows: Array<{ id: string; title: string; course_id: string; course_title: string; secs: string; read_on: string | null }> =
        await this.db.query(
          `SELECT cm.id, cm.title, c.id AS course_id, c.title AS course_title,
                  coalesce((SELECT sum(d.seconds) FROM material_reading_daily d
                             WHERE d.user_id = r.user_id AND d.material_id = cm.id
                               AND ${countsTowardPlan('$2', 'd.day', 'd.user_id')}), 0) AS secs,
                  (SELECT to_char((k.counted_at AT TIME ZONE '${this.zone}')::date, 'YYYY-MM-DD')
                     FROM material_reading_counted k
                    WHERE k.plan_id = $2 AND k.user_id = r.user_id AND k.material_id = cm.id) AS read_on
             FROM material_reading r
             JOIN course_materials cm ON cm.id = r.material_id
             JOIN courses c ON c.id = cm.course_id
             JOIN study_plans p ON p.id = $2
            WHERE r.user_id = $1
              AND (p.all_courses OR cm.course_id IN (SELECT course_id FROM study_plan_courses WHERE plan_id = $2))
            ORDER BY read_on NULLS LAST, c.title, cm.title`,
          [principal.userId, plan.id],
        );
      const materials: MaterialReadView[] = rows.map((r) => ({
        materialId: r.id,
        title: r.title,
        courseId: r.course_id,
        courseTitle: r.course_title,
        secondsRead: Number(r.secs),
        read: r.read_on !== null,
        readOn: r.read_on,
      }));
      result.plans.push({
        planId: plan.id,
        planName: plan.name,
        readMinutes: plan.material_read_minutes,
        materials,
        readCount: materials.filter((x) => x.read).length,
      });
    }
    return result;
  }
}

function answer(
  materialId: string,
  row: Pick<ReadingRow, 'seconds_read' | 'first_opened_at' | 'last_read_at'>,
  creditedSec: number,
): ReadingReportAnswer {
  return {
    materialId,
    secondsRead: row.seconds_read,
    creditedSec,
    firstOpenedAt: new Date(row.first_opened_at).toISOString(),
    lastReadAt: new Date(row.last_read_at ?? row.first_opened_at).toISOString(),
  };
}
