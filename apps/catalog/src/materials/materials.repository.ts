import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MaterialKind, MaterialState } from '#contracts';
import { MEMBERS_MAY_PLAY, membersMayPlay, visibleToMember } from '../courses/courses.repository.js';

/** The caller and a course, as the access rules need them (the caller's unit and role as they are now). */
export interface CourseAccessRow {
  course_id: string;
  course_status: 'draft' | 'published' | 'archived';
  owner_path: string;
  visible: boolean;
  role: string;
  unit_path: string;
  active: boolean;
}

export interface LectureAccessRow extends CourseAccessRow {
  lecture_id: string;
  lecture_archived: boolean;
  /** Whether members may play the lecture (`membersMayPlay`). */
  members_may_play: boolean;
}

export interface MaterialRow {
  id: string;
  course_id: string;
  lecture_id: string | null;
  title: string;
  file_name: string;
  kind: MaterialKind;
  mime_type: string;
  size_bytes: string;
  source_key: string;
  pdf_key: string | null;
  page_count: number | null;
  state: MaterialState;
  failure_code: string | null;
  failure_message: string | null;
  position: number;
  created_at: Date;
  archived_at: Date | null;
  /** Whether members see the material's lecture (null for a course material): not archived, members may play it. */
  lecture_open: boolean | null;
}

/** A material with what the access rules need of its course, its lecture and the caller. */
export interface MaterialAccessRow extends MaterialRow, CourseAccessRow {}

const MATERIAL_COLUMNS = `
  m.id, m.course_id, m.lecture_id, m.title, m.file_name, m.kind, m.mime_type, m.size_bytes, m.source_key, m.pdf_key,
  m.page_count, m.state, m.failure_code, m.failure_message, m.position, m.created_at, m.archived_at,
  CASE WHEN m.lecture_id IS NULL THEN NULL
       ELSE EXISTS (SELECT 1 FROM lectures l JOIN courses lc ON lc.id = l.course_id
                     WHERE l.id = m.lecture_id AND l.archived_at IS NULL AND ${membersMayPlay('l', 'lc')}) END AS lecture_open`;

const CALLER_COLUMNS = `
  c.id AS course_id, c.status AS course_status, co.path AS owner_path, ${visibleToMember('uo.path')} AS visible,
  u.role, uo.path AS unit_path, u.active`;

const CALLER_JOINS = `
  JOIN org_units co ON co.id = c.owner_unit_id
  JOIN users u ON u.id = $1
  JOIN org_units uo ON uo.id = u.org_unit_id`;

const ORDER = `ORDER BY m.archived_at IS NOT NULL, m.position, m.created_at, m.id`;

/** SQL over `course_materials` (catalog-owned; the upload service inserts checked originals, the documents worker converts). */
@Injectable()
export class MaterialsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async course(userId: string, courseId: string): Promise<CourseAccessRow | null> {
    const [row] = await this.db.query(`SELECT ${CALLER_COLUMNS} FROM courses c ${CALLER_JOINS} WHERE c.id = $2`, [userId, courseId]);
    return row ?? null;
  }

  async lecture(userId: string, lectureId: string): Promise<LectureAccessRow | null> {
    const [row] = await this.db.query(
      `SELECT ${CALLER_COLUMNS}, l.id AS lecture_id, l.archived_at IS NOT NULL AS lecture_archived, ${MEMBERS_MAY_PLAY} AS members_may_play
         FROM lectures l JOIN courses c ON c.id = l.course_id ${CALLER_JOINS}
        WHERE l.id = $2`,
      [userId, lectureId],
    );
    return row ?? null;
  }

  async material(userId: string, materialId: string): Promise<MaterialAccessRow | null> {
    const [row] = await this.db.query(
      // The material's columns win over the caller's where names meet (course_id is the same either way).
      `SELECT ${CALLER_COLUMNS}, ${MATERIAL_COLUMNS}
         FROM course_materials m JOIN courses c ON c.id = m.course_id ${CALLER_JOINS}
        WHERE m.id = $2`,
      [userId, materialId],
    );
    return row ?? null;
  }

  /** Materials of a course or of one lecture; archived ones only when asked. */
  async list(filter: { courseId: string } | { lectureId: string }, includeArchived: boolean): Promise<MaterialRow[]> {
    const [column, id] = 'courseId' in filter ? ['course_id', filter.courseId] : ['lecture_id', filter.lectureId];
    return this.db.query(
      `SELECT ${MATERIAL_COLUMNS} FROM course_materials m
        WHERE m.${column} = $1 ${includeArchived ? '' : 'AND m.archived_at IS NULL'} ${ORDER}`,
      [id],
    );
  }

  async byId(id: string): Promise<MaterialRow | null> {
    const [row] = await this.db.query(`SELECT ${MATERIAL_COLUMNS} FROM course_materials m WHERE m.id = $1`, [id]);
    return row ?? null;
  }

  /** A lecture of the course that is not archived, to attach a material to. */
  async lectureOfCourse(lectureId: string, courseId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT 1 FROM lectures WHERE id = $1 AND course_id = $2 AND archived_at IS NULL`, [
      lectureId,
      courseId,
    ]);
    return Boolean(row);
  }

  /**
   * Changes title and lecture, and moves the material to `position` among its course's live materials
   * (0 is first; past the end is last), numbering them 0, 1, 2… again. Concurrent moves in a course take turns.
   */
  async update(id: string, courseId: string, changes: { title?: string; lectureId?: string | null; position?: number }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM courses WHERE id = $1 FOR NO KEY UPDATE`, [courseId]);
      const [, affected]: [unknown, number] = await tx.query(
        `UPDATE course_materials
            SET title = coalesce($2, title),
                lecture_id = CASE WHEN $3::boolean THEN $4::uuid ELSE lecture_id END,
                updated_at = now()
          WHERE id = $1 AND archived_at IS NULL`,
        [id, changes.title ?? null, changes.lectureId !== undefined, changes.lectureId ?? null],
      );
      if (affected === 0) return false;
      if (changes.position !== undefined) {
        const rows: Array<{ id: string }> = await tx.query(
          `SELECT id FROM course_materials WHERE course_id = $1 AND archived_at IS NULL ORDER BY position, created_at, id`,
          [courseId],
        );
        const order = rows.map((row) => row.id).filter((other) => other !== id);
        order.splice(Math.min(changes.position, order.length), 0, id);
        await tx.query(
          `UPDATE course_materials SET position = ordered.n - 1
             FROM unnest($1::uuid[]) WITH ORDINALITY AS ordered(id, n)
            WHERE course_materials.id = ordered.id AND course_materials.position <> ordered.n - 1`,
          [order],
        );
      }
      return true;
    });
  }

  /** Archives a live material; false when it was archived already. */
  async archive(id: string, userId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.db.query(
      `UPDATE course_materials SET archived_at = now(), archived_by = $2, updated_at = now() WHERE id = $1 AND archived_at IS NULL`,
      [id, userId],
    );
    return affected > 0;
  }

  /** Restores an archived material at the end of its course's live list; false when it was not archived. */
  async restore(id: string, courseId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Positions are handed out under the same course lock as moves.
      await tx.query(`SELECT 1 FROM courses WHERE id = $1 FOR NO KEY UPDATE`, [courseId]);
      const [, affected]: [unknown, number] = await tx.query(
        `UPDATE course_materials
            SET archived_at = NULL, archived_by = NULL, updated_at = now(),
                position = (SELECT coalesce(max(position) + 1, 0) FROM course_materials WHERE course_id = $2 AND archived_at IS NULL)
          WHERE id = $1 AND course_id = $2 AND archived_at IS NOT NULL`,
        [id, courseId],
      );
      return affected > 0;
    });
  }

  /** Puts a failed conversion back to `converting`; false when the material was not failed (or is archived). */
  async retry(id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.db.query(
      `UPDATE course_materials SET state = 'converting', failure_code = NULL, failure_message = NULL, updated_at = now()
        WHERE id = $1 AND state = 'failed' AND archived_at IS NULL AND kind IN ('docx', 'pptx', 'xlsx')`,
      [id],
    );
    return affected > 0;
  }
}
