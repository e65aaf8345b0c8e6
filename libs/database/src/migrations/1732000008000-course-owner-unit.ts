import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: every course has an owning unit. Editors edit the courses owned by their unit's
 * subtree, so the owner decides who may change a course, while `course_visibility` still decides
 * who may watch it. Existing courses are owned by their creator's unit. A row inserted without an
 * owner (scripts and tools that write courses directly) gets its creator's unit from a trigger; the
 * studio always names the owner itself.
 */
export class CourseOwnerUnit1732000008000 implements MigrationInterface {
  name = 'CourseOwnerUnit1732000008000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE courses ADD COLUMN owner_unit_id uuid REFERENCES org_units(id) ON DELETE RESTRICT`);
    await db.query(`UPDATE courses c SET owner_unit_id = u.org_unit_id FROM users u WHERE u.id = c.created_by`);
    await db.query(`ALTER TABLE courses ALTER COLUMN owner_unit_id SET NOT NULL`);
    await db.query(`CREATE INDEX courses_owner_unit ON courses (owner_unit_id)`);
    await db.query(`
      CREATE FUNCTION courses_default_owner_unit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.owner_unit_id IS NULL THEN
          SELECT org_unit_id INTO NEW.owner_unit_id FROM users WHERE id = NEW.created_by;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER courses_default_owner_unit BEFORE INSERT ON courses
        FOR EACH ROW EXECUTE FUNCTION courses_default_owner_unit()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER courses_default_owner_unit ON courses`);
    await db.query(`DROP FUNCTION courses_default_owner_unit()`);
    await db.query(`ALTER TABLE courses DROP COLUMN owner_unit_id`);
  }
}
