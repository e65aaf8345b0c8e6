import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type { CourseProgress, CourseShare } from '#contracts';
import { playbackAccess } from '../courses/access-rules.js';
import { MEMBERS_MAY_PLAY, VISIBLE_TO_MEMBER, visibleToMember } from '../courses/courses.repository.js';
import { chooseContinue, courseShare, percentOf, type StudiedLecture } from './course-progress.rules.js';

interface LectureRow {
  lecture_id: string;
  course_id: string;
  title: string;
  duration_sec: number | null;
  covered_sec: number | null;
  last_position_sec: number | null;
  completed: boolean;
  last_studied_at: Date | null;
}

/**
 * The caller's lectures of the given courses that count: not archived and members may play them, in the
 * course's order, each with the caller's own progress row if there is one.
 */
const STUDIED_LECTURES = `
  SELECT l.id AS lecture_id, l.course_id, l.title, coalesce(m.duration_sec, pv.duration_sec, p.duration_sec, 0)::float8 AS duration_sec,
         p.covered_sec, p.last_position_sec, p.completed_at IS NOT NULL AS completed, p.last_studied_at
    FROM lectures l JOIN courses c ON c.id = l.course_id
    LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
    LEFT JOIN lecture_media_previews pv ON pv.asset_id = l.asset_id
    LEFT JOIN lecture_progress p ON p.lecture_id = l.id AND p.user_id = $1
   WHERE l.course_id = ANY($2::uuid[]) AND l.archived_at IS NULL AND ${MEMBERS_MAY_PLAY}
   ORDER BY l.course_id, l.position, l.created_at`;

const toStudied = (row: LectureRow): StudiedLecture => ({
  lectureId: row.lecture_id,
  title: row.title,
  durationSec: Number(row.duration_sec ?? 0),
  coveredSec: Number(row.covered_sec ?? 0),
  positionSec: Number(row.last_position_sec ?? 0),
  completed: row.completed,
  lastStudiedAt: row.last_studied_at,
});

/** Each lecture's share watched, ticks for finished ones, and the lecture to continue, for the caller only. */
@Injectable()
export class CourseProgressService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ofCourse(principal: Principal, courseId: string): Promise<CourseProgress> {
    // The caller's unit as it is now, as the course and playback endpoints read it.
    const [unit] = await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]);
    const unitPath: string = unit?.path ?? '';
    const [course]: Array<{ status: 'draft' | 'published' | 'archived'; owner_path: string; visible: boolean }> = await this.db.query(
      `SELECT c.status, o.path AS owner_path, ${VISIBLE_TO_MEMBER} AS visible
         FROM courses c JOIN org_units o ON o.id = c.owner_unit_id WHERE c.id = $2`,
      [unitPath, courseId],
    );
    // Members see published courses meant for their unit; editors also the courses they may edit.
    const access = course
      ? playbackAccess(
          { role: principal.role, unitPath },
          { status: course.status, ownerPath: course.owner_path, visibleToCaller: course.visible },
        )
      : 'none';
    const rows: LectureRow[] = access === 'none' ? [] : await this.db.query(STUDIED_LECTURES, [principal.userId, [courseId]]);
    // A course with nothing to play is not shown to members at all (see the course list).
    if (access === 'none' || (access === 'learner' && rows.length === 0)) {
      throw new NotFoundException('No such course, or it is not open to you.');
    }
    const lectures = rows.map(toStudied);
    return {
      courseId,
      lectures: lectures.map((l) => ({
        lectureId: l.lectureId,
        durationSec: l.durationSec,
        coveredSec: l.coveredSec,
        positionSec: l.positionSec,
        percent: percentOf(l.coveredSec, l.durationSec),
        completed: l.completed,
        lastStudiedAt: l.lastStudiedAt?.toISOString() ?? null,
      })),
      completedCount: lectures.filter((l) => l.completed).length,
      lectureCount: lectures.length,
      continue: chooseContinue(lectures),
    };
  }

  /**
   * The caller's share of each listed course they have started, in one query: only published courses
   * meant for their unit, as the course list shows. Courses not started are left out.
   */
  async shares(principal: Principal, courseIds: string[]): Promise<CourseShare[]> {
    if (courseIds.length === 0) return [];
    const [unit] = await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]);
    const rows: LectureRow[] = await this.db.query(
      `WITH shown AS (
         SELECT c.id FROM courses c
          WHERE c.id = ANY($2::uuid[]) AND c.status = 'published' AND ${visibleToMember('$3::text')}
            AND EXISTS (SELECT 1 FROM lecture_progress p JOIN lectures l ON l.id = p.lecture_id WHERE p.user_id = $1 AND l.course_id = c.id))
       ${STUDIED_LECTURES.replace('ANY($2::uuid[])', 'ANY(ARRAY(SELECT id FROM shown))')}`,
      [principal.userId, courseIds, unit?.path ?? ''],
    );
    const byCourse = new Map<string, StudiedLecture[]>();
    for (const row of rows) byCourse.set(row.course_id, [...(byCourse.get(row.course_id) ?? []), toStudied(row)]);
    return [...byCourse].map(([courseId, lectures]) => ({
      courseId,
      percent: courseShare(lectures),
      completedCount: lectures.filter((l) => l.completed).length,
      lectureCount: lectures.length,
    }));
  }
}
