import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../query-rows.js';

/** What the documents worker needs of a material waiting for its PDF. */
export interface ConvertingMaterial {
  id: string;
  kind: string;
  sourceKey: string;
  /** Counting this attempt. */
  attempts: number;
}

/**
 * The documents worker's writes to course_materials (catalog-owned): the conversion columns only, and every write
 * conditional on the row still being `converting`, so a late or duplicate job changes nothing once a row is settled.
 */
@Injectable()
export class CourseMaterialsRepository {
  constructor(private readonly db: DataSource) {}

  /** Counts an attempt on a material that still waits for its PDF; null when it does not (settled or missing). */
  async startAttempt(id: string): Promise<ConvertingMaterial | null> {
    const rows = await queryRows(
      this.db,
      `UPDATE course_materials SET conversion_attempts = conversion_attempts + 1, updated_at = now()
        WHERE id = $1 AND state = 'converting'
        RETURNING id, kind, source_key, conversion_attempts`,
      [id],
    );
    const row = rows[0];
    return row
      ? { id: row.id as string, kind: row.kind as string, sourceKey: row.source_key as string, attempts: row.conversion_attempts as number }
      : null;
  }

  /** The PDF is in storage: the material becomes readable. False when the row was no longer converting. */
  async markReady(id: string, pdfKey: string, pageCount: number): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE course_materials
          SET state = 'ready', pdf_key = $2, page_count = $3, converted_at = now(), updated_at = now(),
              failure_code = NULL, failure_message = NULL
        WHERE id = $1 AND state = 'converting'
        RETURNING id`,
      [id, pdfKey, pageCount],
    );
    return rows.length > 0;
  }

  /** The final failure, with a message for the editor. False when the row was no longer converting. */
  async markFailed(id: string, code: string, message: string): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE course_materials SET state = 'failed', failure_code = $2, failure_message = $3, updated_at = now()
        WHERE id = $1 AND state = 'converting'
        RETURNING id`,
      [id, code, message],
    );
    return rows.length > 0;
  }

  async stateOf(id: string): Promise<{ state: string; pdfKey: string | null } | null> {
    const rows = await queryRows(this.db, `SELECT state, pdf_key FROM course_materials WHERE id = $1`, [id]);
    return rows[0] ? { state: rows[0].state as string, pdfKey: (rows[0].pdf_key as string | null) ?? null } : null;
  }
}
