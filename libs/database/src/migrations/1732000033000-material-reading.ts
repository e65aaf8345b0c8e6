import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (courseware): time spent reading materials, and the plan rule that may count it.
 *
 * - `material_reading`: one row per member and material, written by the reader's reports (every ~30 s while
 *   the page is visible). `seconds_read` is what the server credited, each report bounded by its own clock:
 *   at most the time since the previous report (`last_report_at`) plus what earlier gaps left unspent
 *   (`spare_ms`, at most 30 s), so a member's reading of a material never exceeds the wall time since it was
 *   first opened.
 * - `material_reading_daily`: the same seconds per study-calendar day, so a plan counts only reading done on
 *   days that count toward it (its period, or its make-up window for members granted one).
 * - `material_reading_counted`: the moment a material first counted as read for a plan (its reading on the
 *   plan's days reached the plan's minutes). One row per plan, member and material: counted once.
 * - `study_plans.material_read_minutes`: NULL, reading does not count; N, a material read for N minutes counts
 *   as read. Reading earns no study hours.
 *
 * Reading records are study records: no foreign key cascades and triggers refuse DELETE and TRUNCATE.
 */
export class MaterialReading1732000033000 implements MigrationInterface {
  name = 'MaterialReading1732000033000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE study_plans ADD COLUMN material_read_minutes int
        CHECK (material_read_minutes BETWEEN 1 AND 600)`);
    await db.query(`
      CREATE TABLE material_reading (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        material_id uuid NOT NULL REFERENCES course_materials(id) ON DELETE RESTRICT,
        seconds_read int NOT NULL DEFAULT 0 CHECK (seconds_read >= 0),
        spare_ms int NOT NULL DEFAULT 0 CHECK (spare_ms BETWEEN 0 AND 30000),
        reports int NOT NULL DEFAULT 1 CHECK (reports >= 1),
        last_page int CHECK (last_page >= 1),
        first_opened_at timestamptz NOT NULL DEFAULT now(),
        last_report_at timestamptz NOT NULL DEFAULT now(),
        last_read_at timestamptz,
        PRIMARY KEY (user_id, material_id)
      ) WITH (fillfactor = 80)`);
    await db.query(`CREATE INDEX material_reading_material ON material_reading (material_id)`);
    await db.query(`
      CREATE TABLE material_reading_daily (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        material_id uuid NOT NULL REFERENCES course_materials(id) ON DELETE RESTRICT,
        day date NOT NULL,
        seconds int NOT NULL CHECK (seconds >= 0),
        PRIMARY KEY (user_id, material_id, day)
      ) WITH (fillfactor = 80)`);
    await db.query(`
      CREATE TABLE material_reading_counted (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        material_id uuid NOT NULL REFERENCES course_materials(id) ON DELETE RESTRICT,
        counted_at timestamptz NOT NULL DEFAULT now(),
        read_minutes int NOT NULL CHECK (read_minutes >= 1),
        PRIMARY KEY (plan_id, user_id, material_id)
      )`);
    await db.query(`CREATE INDEX material_reading_counted_user ON material_reading_counted (user_id, plan_id)`);
    await db.query(`
      CREATE FUNCTION material_reading_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'reading records are kept' USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['material_reading', 'material_reading_daily', 'material_reading_counted']) {
      await db.query(`
        CREATE TRIGGER ${table}_refuse_delete BEFORE DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION material_reading_refuse_delete()`);
      await db.query(`
        CREATE TRIGGER ${table}_refuse_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION material_reading_refuse_delete()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE material_reading_counted`);
    await db.query(`DROP TABLE material_reading_daily`);
    await db.query(`DROP TABLE material_reading`);
    await db.query(`DROP FUNCTION material_reading_refuse_delete()`);
    await db.query(`ALTER TABLE study_plans DROP COLUMN material_read_minutes`);
  }
}
