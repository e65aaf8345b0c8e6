import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned: heartbeat state of playback sessions, per-lecture progress, daily credit and study plans. */
export class StudyTracking1732000003000 implements MigrationInterface {
  name = 'StudyTracking1732000003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE playback_sessions
        ADD COLUMN last_seq integer,
        ADD COLUMN last_accepted_at timestamptz,
        -- the answer to the last accepted heartbeat, repeated verbatim to a replayed seq
        ADD COLUMN last_response jsonb,
        ADD COLUMN credited_sec double precision NOT NULL DEFAULT 0,
        ADD COLUMN suspicious_count integer NOT NULL DEFAULT 0`);

    await db.query(`
      CREATE TABLE lecture_progress (
        user_id uuid NOT NULL REFERENCES users(id),
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
        -- union of credited media intervals: [[start, end), ...] in seconds
        coverage jsonb NOT NULL DEFAULT '[]',
        covered_sec double precision NOT NULL DEFAULT 0 CHECK (covered_sec >= 0),
        credited_sec double precision NOT NULL DEFAULT 0 CHECK (credited_sec >= 0),
        duration_sec double precision NOT NULL DEFAULT 0,
        last_position_sec double precision NOT NULL DEFAULT 0,
        completed_at timestamptz,
        last_studied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, lecture_id)
      )`);
    await db.query(`CREATE INDEX lecture_progress_lecture ON lecture_progress (lecture_id)`);
    await db.query(`CREATE INDEX lecture_progress_recent ON lecture_progress (user_id, last_studied_at DESC)`);

    // Credited seconds per member, lecture and local day: the source of every period total and trend.
    await db.query(`
      CREATE TABLE study_daily (
        user_id uuid NOT NULL REFERENCES users(id),
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
        day date NOT NULL,
        credited_sec double precision NOT NULL DEFAULT 0 CHECK (credited_sec >= 0),
        PRIMARY KEY (user_id, day, lecture_id)
      )`);
    await db.query(`CREATE INDEX study_daily_lecture_day ON study_daily (lecture_id, day)`);

    await db.query(`
      CREATE TABLE study_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- the unit whose admin owns the plan; it may apply only inside this subtree
        owner_unit_id uuid NOT NULL REFERENCES org_units(id),
        period_start date NOT NULL,
        period_end date NOT NULL,
        required_hours numeric(7, 2) NOT NULL CHECK (required_hours > 0 AND required_hours <= 10000),
        mode text NOT NULL DEFAULT 'watch_time' CHECK (mode IN ('watch_time', 'per_lecture')),
        credit_hours_per_lecture numeric(6, 2) CHECK (credit_hours_per_lecture > 0),
        all_courses boolean NOT NULL DEFAULT true,
        completion_threshold real NOT NULL DEFAULT 0.95 CHECK (completion_threshold > 0 AND completion_threshold <= 1),
        makeup_until date,
        closed_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (period_end >= period_start),
        CHECK (mode = 'watch_time' OR credit_hours_per_lecture IS NOT NULL),
        CHECK (makeup_until IS NULL OR makeup_until > period_end)
      )`);
    await db.query(`
      CREATE TABLE study_plan_units (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE CASCADE,
        PRIMARY KEY (plan_id, org_unit_id)
      )`);
    await db.query(`
      CREATE TABLE study_plan_categories (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        category text NOT NULL REFERENCES member_categories(code) ON UPDATE CASCADE,
        PRIMARY KEY (plan_id, category)
      )`);
    await db.query(`
      CREATE TABLE study_plan_courses (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        PRIMARY KEY (plan_id, course_id)
      )`);
    await db.query(`
      CREATE TABLE study_plan_compulsory (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
        position int NOT NULL DEFAULT 0,
        PRIMARY KEY (plan_id, lecture_id)
      )`);
    // Members who fell short when the make-up window opened; only their make-up study counts.
    await db.query(`
      CREATE TABLE study_plan_makeup (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        PRIMARY KEY (plan_id, user_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'study_plan_makeup',
      'study_plan_compulsory',
      'study_plan_courses',
      'study_plan_categories',
      'study_plan_units',
      'study_plans',
      'study_daily',
      'lecture_progress',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(
      `ALTER TABLE playback_sessions DROP COLUMN last_seq, DROP COLUMN last_accepted_at, DROP COLUMN last_response, DROP COLUMN credited_sec, DROP COLUMN suspicious_count`,
    );
  }
}
