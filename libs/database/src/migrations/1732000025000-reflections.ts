import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reflections): members' learning reflections, their review history and the reflections wall.
 *
 * - `reflections`: one per piece of writing, with what it is about (a lecture, a course or a plan, or none), its
 *   current text and status. `draft` → `submitted` → `read` | `excellent` (accepted, `accepted_at` set) or
 *   `returned` (edited and submitted again); `withdrawn` by the author before it is accepted. `org_unit_id` is
 *   the author's unit when it was last submitted: who reviews it and which unit's report counts it.
 * - `reflection_versions`: the text of every submission, numbered; a returned reflection keeps all of them.
 * - `reflection_reviews`: each verdict on a version, by whom, with a comment, and when the version was submitted
 *   (the wait for review is `reviewed_at - submitted_at`).
 * - `reflection_publications`: an excellent reflection shown on a unit's wall, with the author's consent;
 *   taking it down sets `unpublished_at`.
 *
 * None of these rows is ever deleted: a trigger refuses DELETE on all four tables.
 */
const TABLES = ['reflections', 'reflection_versions', 'reflection_reviews', 'reflection_publications'];

export class Reflections1732000025000 implements MigrationInterface {
  name = 'Reflections1732000025000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reflections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        lecture_id uuid REFERENCES lectures(id) ON DELETE RESTRICT,
        course_id uuid REFERENCES courses(id) ON DELETE RESTRICT,
        plan_id uuid REFERENCES study_plans(id) ON DELETE RESTRICT,
        title text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
        body text NOT NULL DEFAULT '' CHECK (length(body) <= 5000),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'submitted', 'returned', 'read', 'excellent', 'withdrawn')),
        -- number of the last submitted version (0 while never submitted)
        version int NOT NULL DEFAULT 0 CHECK (version >= 0),
        submitted_at timestamptz,
        accepted_at timestamptz,
        -- the author's consent to show it on a wall (excellent ones only)
        consent_at timestamptz,
        withdrawn_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reflections_accepted CHECK ((status IN ('read', 'excellent')) = (accepted_at IS NOT NULL)),
        CONSTRAINT reflections_submitted CHECK (status = 'draft' OR status = 'withdrawn' OR submitted_at IS NOT NULL),
        CONSTRAINT reflections_consent CHECK (consent_at IS NULL OR status = 'excellent')
      )`);
    await db.query(`CREATE INDEX reflections_of_user ON reflections (user_id, created_at DESC)`);
    await db.query(`CREATE INDEX reflections_pending ON reflections (org_unit_id, submitted_at) WHERE status = 'submitted'`);
    await db.query(`CREATE INDEX reflections_unit ON reflections (org_unit_id)`);
    await db.query(`CREATE INDEX reflections_accepted ON reflections (user_id, accepted_at) WHERE accepted_at IS NOT NULL`);
    await db.query(`CREATE INDEX reflections_plan ON reflections (plan_id) WHERE plan_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE reflection_versions (
        reflection_id uuid NOT NULL REFERENCES reflections(id) ON DELETE RESTRICT,
        version int NOT NULL CHECK (version >= 1),
        title text NOT NULL CHECK (length(title) <= 100),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (reflection_id, version)
      )`);

    await db.query(`
      CREATE TABLE reflection_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reflection_id uuid NOT NULL REFERENCES reflections(id) ON DELETE RESTRICT,
        version int NOT NULL,
        reviewer_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        verdict text NOT NULL CHECK (verdict IN ('read', 'excellent', 'returned')),
        comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
        submitted_at timestamptz NOT NULL,
        reviewed_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (reflection_id, version) REFERENCES reflection_versions(reflection_id, version) ON DELETE RESTRICT,
        UNIQUE (reflection_id, version)
      )`);
    await db.query(`CREATE INDEX reflection_reviews_reviewed ON reflection_reviews (reviewed_at)`);

    await db.query(`
      CREATE TABLE reflection_publications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reflection_id uuid NOT NULL REFERENCES reflections(id) ON DELETE RESTRICT,
        -- the unit whose wall shows it; members of its subtree read it
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        published_by uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        published_at timestamptz NOT NULL DEFAULT now(),
        consent_at timestamptz NOT NULL,
        unpublished_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        unpublished_at timestamptz,
        CONSTRAINT reflection_publications_unpublished CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL))
      )`);
    await db.query(`
      CREATE UNIQUE INDEX reflection_publications_current ON reflection_publications (reflection_id, org_unit_id)
        WHERE unpublished_at IS NULL`);
    await db.query(`
      CREATE INDEX reflection_publications_wall ON reflection_publications (org_unit_id, published_at DESC)
        WHERE unpublished_at IS NULL`);

    await db.query(`
      CREATE FUNCTION reflections_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'Reflections are kept: withdraw or unpublish instead of deleting (%)', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of TABLES) {
      await db.query(`
        CREATE TRIGGER ${table}_refuse_delete BEFORE DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION reflections_refuse_delete()`);
      await db.query(`
        CREATE TRIGGER ${table}_refuse_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION reflections_refuse_delete()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP FUNCTION reflections_refuse_delete()`);
  }
}
