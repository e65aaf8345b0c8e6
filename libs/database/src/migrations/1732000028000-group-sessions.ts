import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEPT = [
  'group_sessions',
  'group_session_attendance',
  'group_session_presence',
  'group_session_attendance_events',
  'group_session_plays',
  'group_session_makeups',
];

/**
 * Catalog-owned (group study): study that happens in a room.
 *
 * - `group_sessions`: a collective viewing of a lecture on a study site's screen, or an in-person study
 *   session (topic, place, speaker, start and end), held for a unit's members (the roster is the unit's
 *   subtree). `code_secret` keys the rotating check-in code; the screen's own heartbeat state (`last_seq`,
 *   `seen_mask`, `clock_at`, `carry_ms`, `position_sec`) bounds what the room is credited by the server's clock.
 * - `group_session_attendance`: one row per member who attended: how they were first checked in (ticked on the
 *   roster, QR, typed code, recorded afterwards), whether late, and what the session credited them. A check-in
 *   taken back as a mistake keeps its row with `undone_at` set (and its presence rows too): it counts for nothing.
 * - `group_session_presence`: the periods a member was checked in (`to_at` null while present); a member
 *   checked out and in again has several. Collective credit is the overlap of these with what the screen played.
 * - `group_session_attendance_events`: every check-in, check-out and correction, by whom and how; append-only.
 * - `group_session_plays`: the collective screen's accepted heartbeats: the server-time window each covers and
 *   the media intervals played in it, so each attendee's credit can be recomputed from the record.
 * - `group_session_makeups`: absentees given the lecture as make-up, by whom and when.
 *
 * These are attendance records: a trigger refuses DELETE and TRUNCATE on all of them.
 */
export class GroupSessions1732000028000 implements MigrationInterface {
  name = 'GroupSessions1732000028000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE group_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('collective', 'in_person')),
        org_unit_id uuid NOT NULL REFERENCES org_units(id),
        lecture_id uuid REFERENCES lectures(id) ON DELETE RESTRICT,
        topic text CHECK (topic IS NULL OR length(topic) BETWEEN 1 AND 200),
        place text CHECK (place IS NULL OR length(place) <= 200),
        speaker text CHECK (speaker IS NULL OR length(speaker) <= 200),
        materials text CHECK (materials IS NULL OR length(materials) <= 4000),
        -- in person: when it was held; collective: when the screen started and ended playing
        starts_at timestamptz,
        ends_at timestamptz,
        status text NOT NULL DEFAULT 'live' CHECK (status IN ('planned', 'live', 'ended', 'cancelled')),
        recorded_afterwards boolean NOT NULL DEFAULT false,
        -- random bytes from the catalog (crypto.randomBytes(32)); keys the rotating six-digit code and QR
        code_secret bytea NOT NULL CHECK (length(code_secret) >= 16),
        last_seq integer,
        seen_mask integer NOT NULL DEFAULT 0,
        clock_at timestamptz,
        carry_ms double precision NOT NULL DEFAULT 0,
        position_sec double precision NOT NULL DEFAULT 0,
        played_sec double precision NOT NULL DEFAULT 0 CHECK (played_sec >= 0),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_by uuid REFERENCES users(id),
        CHECK ((kind = 'collective') = (lecture_id IS NOT NULL)),
        CHECK (kind = 'collective' OR topic IS NOT NULL),
        CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at)
      )`);
    await db.query(`CREATE INDEX group_sessions_unit ON group_sessions (org_unit_id, starts_at DESC)`);
    await db.query(`CREATE INDEX group_sessions_live ON group_sessions (status) WHERE status = 'live'`);
    await db.query(`CREATE INDEX group_sessions_lecture ON group_sessions (lecture_id) WHERE lecture_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE group_session_attendance (
        session_id uuid NOT NULL REFERENCES group_sessions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        method text NOT NULL CHECK (method IN ('roster', 'qr', 'code', 'afterwards')),
        late boolean NOT NULL DEFAULT false,
        first_in_at timestamptz NOT NULL,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        -- collective: the media seconds this session credited the member (overlap, less what they had already);
        -- in person: the seconds of the session the member attended
        credited_sec double precision NOT NULL DEFAULT 0 CHECK (credited_sec >= 0),
        credited_coverage jsonb NOT NULL DEFAULT '[]',
        -- a check-in taken back as a mistake: it counts for nothing (credit 0), and the row and its events stay
        undone_at timestamptz,
        PRIMARY KEY (session_id, user_id)
      )`);
    await db.query(`CREATE INDEX group_session_attendance_user ON group_session_attendance (user_id)`);

    await db.query(`
      CREATE TABLE group_session_presence (
        session_id uuid NOT NULL,
        user_id uuid NOT NULL,
        from_at timestamptz NOT NULL,
        to_at timestamptz,
        -- taken back with the attendance (undo): no longer a period of presence
        undone_at timestamptz,
        FOREIGN KEY (session_id, user_id) REFERENCES group_session_attendance (session_id, user_id),
        PRIMARY KEY (session_id, user_id, from_at),
        CHECK (to_at IS NULL OR to_at >= from_at)
      )`);
    await db.query(`CREATE UNIQUE INDEX group_session_presence_open ON group_session_presence (session_id, user_id) WHERE to_at IS NULL`);

    await db.query(`
      CREATE TABLE group_session_attendance_events (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES group_sessions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        event text NOT NULL CHECK (event IN ('checked_in', 'checked_out', 'undone')),
        method text CHECK (method IS NULL OR method IN ('roster', 'qr', 'code', 'afterwards')),
        at timestamptz NOT NULL DEFAULT now(),
        by_user_id uuid NOT NULL REFERENCES users(id),
        note text CHECK (note IS NULL OR length(note) <= 500)
      )`);
    await db.query(`CREATE INDEX group_session_attendance_events_session ON group_session_attendance_events (session_id, at)`);

    await db.query(`
      CREATE TABLE group_session_plays (
        session_id uuid NOT NULL REFERENCES group_sessions(id),
        seq integer NOT NULL CHECK (seq >= 0),
        from_at timestamptz NOT NULL,
        to_at timestamptz NOT NULL,
        intervals jsonb NOT NULL,
        played_sec double precision NOT NULL CHECK (played_sec >= 0),
        PRIMARY KEY (session_id, seq),
        CHECK (to_at >= from_at)
      )`);

    await db.query(`
      CREATE TABLE group_session_makeups (
        session_id uuid NOT NULL REFERENCES group_sessions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        lecture_id uuid NOT NULL REFERENCES lectures(id),
        plan_ids uuid[] NOT NULL DEFAULT '{}',
        granted_by uuid NOT NULL REFERENCES users(id),
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, user_id)
      )`);

    await db.query(`
      CREATE FUNCTION group_sessions_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'group study records are kept: % rows are never deleted', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of KEPT) {
      await db.query(`
        CREATE TRIGGER ${table}_refuse_delete BEFORE DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION group_sessions_refuse_delete()`);
      await db.query(`
        CREATE TRIGGER ${table}_refuse_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION group_sessions_refuse_delete()`);
    }
    await db.query(`
      CREATE FUNCTION group_session_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'attendance events are an audit trail and are never changed' USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER group_session_attendance_events_refuse_update BEFORE UPDATE ON group_session_attendance_events
        FOR EACH ROW EXECUTE FUNCTION group_session_events_refuse_update()`);

    // In-person attendance counts toward plans: a change marks its member for the plan rollup, as study_daily does.
    for (const event of ['INSERT', 'UPDATE']) {
      await db.query(`
        CREATE TRIGGER group_session_attendance_report_${event.toLowerCase()} AFTER ${event} ON group_session_attendance
          REFERENCING NEW TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION report_log_users('user_id')`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...KEPT].reverse()) await db.query(`DROP TABLE ${table} CASCADE`);
    await db.query(`DROP FUNCTION group_session_events_refuse_update()`);
    await db.query(`DROP FUNCTION group_sessions_refuse_delete()`);
  }
}
