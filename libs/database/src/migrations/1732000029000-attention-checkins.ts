import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (study tracking): attention check-ins during hidden or audio-only listening.
 *
 * `playback_sessions` carries the latest check-in beside the crediting clock, so the heartbeat batch
 * reads and writes it in its one statement (and compares it, with the rest, before writing):
 * - `checkin_count`: check-ins asked in the session (numbers the server's draw for the next one);
 * - `checkin_id`, `checkin_asked_at`, `checkin_answer_by`, `checkin_answered_at`: the latest one;
 * - `attention_listened_sec`: credited hidden or audio listening since the opening or the latest answer.
 * A session that has asked and listened nothing yet goes on from the member's previous session (if active
 * within the hour), found through `playback_sessions_user_opened`.
 *
 * `attention_checkins` is the audit trail, one row per check-in asked. It is append-only: rows are
 * never deleted (a trigger refuses it, and TRUNCATE), and once written only the answer (once) and the
 * listening left uncredited (only upwards) may change.
 */
export class AttentionCheckins1732000029000 implements MigrationInterface {
  name = 'AttentionCheckins1732000029000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE playback_sessions
        ADD COLUMN checkin_count integer NOT NULL DEFAULT 0 CONSTRAINT playback_sessions_checkin_count CHECK (checkin_count >= 0),
        ADD COLUMN checkin_id uuid,
        ADD COLUMN checkin_asked_at timestamptz,
        ADD COLUMN checkin_answer_by timestamptz,
        ADD COLUMN checkin_answered_at timestamptz,
        ADD COLUMN attention_listened_sec double precision NOT NULL DEFAULT 0,
        ADD CONSTRAINT playback_sessions_checkin CHECK (
          (checkin_id IS NULL AND checkin_asked_at IS NULL AND checkin_answer_by IS NULL AND checkin_answered_at IS NULL)
          OR (checkin_id IS NOT NULL AND checkin_asked_at IS NOT NULL AND checkin_answer_by >= checkin_asked_at))`);
    // A new session goes on with the check-ins of the member's previous one: found by member and opening time
    // (neither ever changes, so heartbeat updates stay heap-only).
    await db.query(`CREATE INDEX playback_sessions_user_opened ON playback_sessions (user_id, opened_at)`);
    await db.query(`
      CREATE TABLE attention_checkins (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES playback_sessions(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE RESTRICT,
        asked_at timestamptz NOT NULL,
        answer_by timestamptz NOT NULL,
        answered_at timestamptz,
        uncredited_sec double precision NOT NULL DEFAULT 0 CHECK (uncredited_sec >= 0),
        CHECK (answer_by >= asked_at),
        CHECK (answered_at IS NULL OR answered_at >= asked_at)
      )`);
    await db.query(`CREATE INDEX attention_checkins_user_asked ON attention_checkins (user_id, asked_at)`);
    await db.query(`CREATE INDEX attention_checkins_session ON attention_checkins (session_id)`);
    await db.query(`
      CREATE FUNCTION attention_checkins_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
          RAISE EXCEPTION 'attention check-ins are an audit trail and are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.id <> OLD.id OR NEW.session_id <> OLD.session_id OR NEW.user_id <> OLD.user_id OR NEW.lecture_id <> OLD.lecture_id
           OR NEW.asked_at <> OLD.asked_at OR NEW.answer_by <> OLD.answer_by
           OR (OLD.answered_at IS NOT NULL AND NEW.answered_at IS DISTINCT FROM OLD.answered_at)
           OR NEW.uncredited_sec < OLD.uncredited_sec THEN
          RAISE EXCEPTION 'an attention check-in is only ever answered once and adds uncredited listening; nothing else changes'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER attention_checkins_no_delete BEFORE DELETE ON attention_checkins
        FOR EACH ROW EXECUTE FUNCTION attention_checkins_keep()`);
    await db.query(`
      CREATE TRIGGER attention_checkins_no_truncate BEFORE TRUNCATE ON attention_checkins
        FOR EACH STATEMENT EXECUTE FUNCTION attention_checkins_keep()`);
    await db.query(`
      CREATE TRIGGER attention_checkins_append_only BEFORE UPDATE ON attention_checkins
        FOR EACH ROW EXECUTE FUNCTION attention_checkins_keep()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE attention_checkins`);
    await db.query(`DROP FUNCTION attention_checkins_keep()`);
    await db.query(`DROP INDEX playback_sessions_user_opened`);
    await db.query(`
      ALTER TABLE playback_sessions
        DROP CONSTRAINT playback_sessions_checkin,
        DROP COLUMN attention_listened_sec, DROP COLUMN checkin_answered_at, DROP COLUMN checkin_answer_by,
        DROP COLUMN checkin_asked_at, DROP COLUMN checkin_id, DROP COLUMN checkin_count`);
  }
}
