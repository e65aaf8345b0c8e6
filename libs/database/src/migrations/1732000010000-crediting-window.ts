import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: what crediting keeps per playback session besides its clock and highest seq —
 * which seqs just below the highest were accepted (so a late heartbeat is credited once, and a
 * repeated one not again) and the wall-clock allowance left unspent — and a third reason a session
 * ends: its course no longer admits the member (`withdrawn`).
 */
export class CreditingWindow1732000010000 implements MigrationInterface {
  name = 'CreditingWindow1732000010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE playback_sessions
        -- bit i set: seq last_seq - 1 - i was accepted too
        ADD COLUMN seq_window integer NOT NULL DEFAULT 0,
        -- unspent allowance at last_accepted_at, in seconds; null: the allowance a session opens with
        ADD COLUMN carry_sec double precision`);
    await db.query(`ALTER TABLE playback_sessions DROP CONSTRAINT playback_sessions_end_reason_check`);
    await db.query(
      `ALTER TABLE playback_sessions ADD CONSTRAINT playback_sessions_end_reason_check CHECK (end_reason IN ('superseded', 'deactivated', 'withdrawn'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE playback_sessions SET end_reason = 'superseded' WHERE end_reason = 'withdrawn'`);
    await db.query(`ALTER TABLE playback_sessions DROP CONSTRAINT playback_sessions_end_reason_check`);
    await db.query(
      `ALTER TABLE playback_sessions ADD CONSTRAINT playback_sessions_end_reason_check CHECK (end_reason IN ('superseded', 'deactivated'))`,
    );
    await db.query(`ALTER TABLE playback_sessions DROP COLUMN seq_window, DROP COLUMN carry_sec`);
  }
}
