import type { MigrationInterface, QueryRunner } from 'typeorm';

const HOT_TABLES = ['playback_sessions', 'lecture_progress', 'study_daily'];

/**
 * Catalog-owned: every heartbeat rewrites one row in each of the three tables of HOT_TABLES, so
 * those updates should stay heap-only (HOT): no indexed column changes, and pages keep room for the
 * new row version. `last_studied_at` changed on every heartbeat and was indexed; a member's
 * "continue watching" list reads their few progress rows by the primary key and sorts them instead.
 */
export class HeartbeatWritePath1732000006000 implements MigrationInterface {
  name = 'HeartbeatWritePath1732000006000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX lecture_progress_recent`);
    for (const table of HOT_TABLES) await db.query(`ALTER TABLE ${table} SET (fillfactor = 80)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of HOT_TABLES) await db.query(`ALTER TABLE ${table} RESET (fillfactor)`);
    await db.query(`CREATE INDEX lecture_progress_recent ON lecture_progress (user_id, last_studied_at DESC)`);
  }
}
