import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isWithinScope } from '#auth';
import type { MaterialKind, MaterialRefusalCode, MaterialState } from '#contracts';

export interface NewMaterial {
  id: string;
  courseId: string;
  lectureId: string | null;
  title: string;
  fileName: string;
  kind: MaterialKind;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  sourceKey: string;
  pdfKey: string | null;
  /** Counted for a PDF kept as it is; null for the rest (the documents worker counts a converted one). */
  pageCount: number | null;
  state: MaterialState;
  uploadedBy: string;
}

/** Why an editor may not attach a material to a course or lecture, as one sentence; null when they may. */
export type AttachVerdict =
  | { ok: true }
  | {
      ok: false;
      status: 403 | 404 | 409;
      code: Extract<MaterialRefusalCode, 'not_editor' | 'no_course' | 'no_lecture' | 'course_archived'>;
      message: string;
    };

/**
 * The upload service's writes to `course_materials` (a catalog-owned table: the upload service only inserts
 * checked originals) and the reads that decide whether an editor may attach to a course. Course rights follow
 * the catalog's rule: an active editor whose unit (as it is now) contains the course's owner unit.
 */
@Injectable()
export class MaterialUploadsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async mayAttach(userId: string, courseId: string, lectureId: string | undefined): Promise<AttachVerdict> {
    const [row]: Array<{ active: boolean; role: string; unit_path: string; owner_path: string | null; status: string | null }> =
      await this.db.query(
        `SELECT u.active, u.role, uo.path AS unit_path,
                (SELECT co.path FROM courses c JOIN org_units co ON co.id = c.owner_unit_id WHERE c.id = $2) AS owner_path,
                (SELECT c.status FROM courses c WHERE c.id = $2) AS status
           FROM users u JOIN org_units uo ON uo.id = u.org_unit_id
          WHERE u.id = $1`,
        [userId, courseId],
      );
    if (!row || !row.active || row.role !== 'editor') {
      return {
        ok: false,
        status: 403,
        code: 'not_editor',
        message: 'Only active editors may upload course materials. Sign in again or ask your administrator.',
      };
    }
    if (row.owner_path === null || !isWithinScope(row.owner_path, row.unit_path)) {
      // Courses of other units are not even confirmed.
      return { ok: false, status: 404, code: 'no_course', message: 'No such course: courseId must be a course you may edit.' };
    }
    if (row.status === 'archived') {
      return { ok: false, status: 409, code: 'course_archived', message: 'This course is archived, so no materials can be added to it.' };
    }
    if (lectureId) {
      const [lecture]: Array<{ course_id: string; archived_at: Date | null }> = await this.db.query(
        `SELECT course_id, archived_at FROM lectures WHERE id = $1`,
        [lectureId],
      );
      if (!lecture || lecture.course_id !== courseId || lecture.archived_at !== null) {
        return {
          ok: false,
          status: 404,
          code: 'no_lecture',
          message: 'No such lecture in this course: lectureId must be a lecture of the course, or left out for the whole course.',
        };
      }
    }
    return { ok: true };
  }

  /** Inserts a checked material at the end of its course's list. */
  async insert(material: NewMaterial): Promise<void> {
    await this.db.query(
      `INSERT INTO course_materials
         (id, course_id, lecture_id, title, file_name, kind, mime_type, size_bytes, sha256, source_key, pdf_key, page_count, state, uploaded_by, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
               (SELECT coalesce(max(position) + 1, 0) FROM course_materials WHERE course_id = $2 AND archived_at IS NULL))`,
      [
        material.id,
        material.courseId,
        material.lectureId,
        material.title,
        material.fileName,
        material.kind,
        material.mimeType,
        material.sizeBytes,
        material.sha256,
        material.sourceKey,
        material.pdfKey,
        material.pageCount,
        material.state,
        material.uploadedBy,
      ],
    );
  }

  /** Office documents still waiting for their PDF since before `olderThanSeconds` (their job may never have been queued). */
  async waitingForConversion(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM course_materials
        WHERE state = 'converting' AND archived_at IS NULL AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((row) => row.id);
  }
}
