import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: why a playback session stopped counting. `superseded_at` was only ever set when
 * the member opened a newer session; it is now also set when an admin deactivates the member, and
 * `end_reason` tells the two apart so the player can be told the right thing (409 another screen,
 * 403 account deactivated).
 */
export class SessionEndReason1732000007000 implements MigrationInterface {
  name = 'SessionEndReason1732000007000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE playback_sessions ADD COLUMN end_reason text CHECK (end_reason IN ('superseded', 'deactivated'))`);
    await db.query(`UPDATE playback_sessions SET end_reason = 'superseded' WHERE superseded_at IS NOT NULL`);
    await db.query(
      `ALTER TABLE playback_sessions ADD CONSTRAINT playback_sessions_end_reason CHECK ((superseded_at IS NULL) = (end_reason IS NULL))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE playback_sessions DROP COLUMN end_reason`);
  }
}
