import type { MigrationInterface, QueryRunner } from 'typeorm';

const HOT_TABLES = ['playback_sessions', 'lecture_progress', 'study_daily'];

/**
 * Catalog-owned: every heartbeat rewrites one row in each of the three tables of HOT_TABLES, so
 * those updates should stay heap-only (HOT): no indexed column changes, and pages keep room for the
 * new row version. `last_studied_at` changed on every heartbeat and was indexed; a member's
 * "continue watching" list reads their few progress rows by the primary key and sorts them instead.
 * A replayed heartbeat's answer is rebuilt from the session and progress rows, so the session keeps
 * only the last heartbeat's own credit instead of a copy of the whole answer.
 */
export class HeartbeatWritePath1732000006000 implements MigrationInterface {
  name = 'HeartbeatWritePath1732000006000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX lecture_progress_recent`);
    await db.query(`ALTER TABLE playback_sessions ADD COLUMN last_credited_sec double precision NOT NULL DEFAULT 0`);
    await db.query(
      `UPDATE playback_sessions SET last_credited_sec = (last_response ->> 'creditedSec')::float8 WHERE last_response IS NOT NULL`,
    );
    await db.query(`ALTER TABLE playback_sessions DROP COLUMN last_response`);
    for (const table of HOT_TABLES) await db.query(`ALTER TABLE ${table} SET (fillfactor = 80)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of HOT_TABLES) await db.query(`ALTER TABLE ${table} RESET (fillfactor)`);
    await db.query(`CREATE INDEX lecture_progress_recent ON lecture_progress (user_id, last_studied_at DESC)`);
    // The full answers are not kept any more; a replay after going back answers from what is left.
    await db.query(`ALTER TABLE playback_sessions ADD COLUMN last_response jsonb, DROP COLUMN last_credited_sec`);
  }
}
