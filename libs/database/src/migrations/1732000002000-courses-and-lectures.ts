import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned: course categories, courses, their visibility, lectures, the media they play and playback sessions. */
export class CoursesAndLectures1732000002000 implements MigrationInterface {
  name = 'CoursesAndLectures1732000002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE course_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      INSERT INTO course_categories (code, name_zh, name_en, builtin) VALUES
        ('party-constitution', '党章党规', 'Party constitution and rules', true),
        ('political-theory', '政治理论', 'Political theory', true),
        ('current-affairs', '时事政策', 'Current affairs', true),
        ('market-economy', '市场经济', 'Market economy', true),
        ('agri-science', '现代农业科技', 'Modern agricultural science and technology', true),
        ('practical-skills', '实用技能', 'Practical skills', true)`);

    await db.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        category_id uuid NOT NULL REFERENCES course_categories(id),
        compulsory boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
        cover_key text,
        created_by uuid NOT NULL REFERENCES users(id),
        play_count bigint NOT NULL DEFAULT 0,
        -- CJK bigrams and lower-cased words of the course and its lectures (see search-terms.ts)
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX courses_search ON courses USING gin (search_vector)`);
    await db.query(`CREATE INDEX courses_listing ON courses (status, published_at DESC)`);

    await db.query(`
      CREATE TABLE course_visibility (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE CASCADE,
        PRIMARY KEY (course_id, org_unit_id)
      )`);

    await db.query(`
      CREATE TABLE lecture_media (
        asset_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('ready', 'failed')),
        kind text CHECK (kind IN ('video', 'audio')),
        duration_sec double precision,
        outputs jsonb,
        failure_code text,
        failure_reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE lectures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        speaker text NOT NULL DEFAULT '' CHECK (length(speaker) <= 200),
        -- media_assets belongs to the upload service: its id is kept, its row is never joined
        asset_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX lectures_course ON lectures (course_id, position)`);
    await db.query(`CREATE INDEX lectures_asset ON lectures (asset_id)`);

    await db.query(`
      CREATE TABLE playback_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        lecture_id uuid NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
        asset_id uuid NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        superseded_at timestamptz
      )`);
    // At most one live session per member: opening a new one supersedes the old.
    await db.query(`CREATE UNIQUE INDEX playback_sessions_one_live ON playback_sessions (user_id) WHERE superseded_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['playback_sessions', 'lectures', 'lecture_media', 'course_visibility', 'courses', 'course_categories']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
