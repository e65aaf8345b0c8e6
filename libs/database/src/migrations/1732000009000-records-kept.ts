import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: study records are never erased by a user's action.
 *
 * - `lectures.archived_at`: removing a lecture that anyone has studied archives it instead of deleting
 *   it. It leaves the course outline, search and counts, while its progress, daily credit and sessions
 *   keep counting in My study, plans, rollups and reports.
 * - Foreign keys from study data and plan records to what they are about become `RESTRICT`, so no
 *   delete can cascade into them: a delete that would is refused instead.
 * - `study_plan_results` is read by the unit id frozen with it, not by the unit's path, so renaming or
 *   moving a unit keeps its closed plans' results in view; the unit id is a real key now, so a unit that
 *   holds frozen results cannot be deleted.
 */
const RESTRICTED: Array<[table: string, column: string, references: string]> = [
  ['lecture_progress', 'lecture_id', 'lectures(id)'],
  ['study_daily', 'lecture_id', 'lectures(id)'],
  ['playback_sessions', 'lecture_id', 'lectures(id)'],
  ['study_plan_compulsory', 'lecture_id', 'lectures(id)'],
  ['lectures', 'course_id', 'courses(id)'],
  ['study_plan_courses', 'course_id', 'courses(id)'],
  ['study_plan_units', 'org_unit_id', 'org_units(id)'],
  ['study_plan_results', 'plan_id', 'study_plans(id)'],
  ['study_plan_makeup', 'plan_id', 'study_plans(id)'],
];

/** The name of the single-column foreign key on `table.column` (PostgreSQL's generated names). */
async function foreignKey(db: QueryRunner, table: string, column: string): Promise<string> {
  const [row] = await db.query(
    `SELECT c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND cardinality(c.conkey) = 1 AND a.attname = $2`,
    [table, column],
  );
  if (!row) throw new Error(`No foreign key on ${table}.${column}`);
  return row.conname as string;
}

async function setOnDelete(db: QueryRunner, table: string, column: string, references: string, action: 'RESTRICT' | 'CASCADE') {
  const name = await foreignKey(db, table, column);
  await db.query(
    `ALTER TABLE ${table} DROP CONSTRAINT ${name}, ADD CONSTRAINT ${name} FOREIGN KEY (${column}) REFERENCES ${references} ON DELETE ${action}`,
  );
}

export class RecordsKept1732000009000 implements MigrationInterface {
  name = 'RecordsKept1732000009000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE lectures ADD COLUMN archived_at timestamptz`);
    for (const [table, column, references] of RESTRICTED) await setOnDelete(db, table, column, references, 'RESTRICT');

    // Results frozen for a unit deleted since keep their path; where a unit still has that path, they belong to it.
    await db.query(`
      UPDATE study_plan_results r SET org_unit_id = o.id FROM org_units o
       WHERE o.path = r.unit_path AND NOT EXISTS (SELECT 1 FROM org_units x WHERE x.id = r.org_unit_id)`);
    // NOT VALID: a result whose unit is gone under every name stays as it is; new results and unit deletes are checked.
    await db.query(`
      ALTER TABLE study_plan_results ADD CONSTRAINT study_plan_results_org_unit_id_fkey
        FOREIGN KEY (org_unit_id) REFERENCES org_units(id) ON DELETE RESTRICT NOT VALID`);
    // Reads go by plan (the primary key); this index serves the key's check when a unit is deleted.
    await db.query(`DROP INDEX study_plan_results_unit`);
    await db.query(`CREATE INDEX study_plan_results_unit ON study_plan_results (org_unit_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX study_plan_results_unit`);
    await db.query(`CREATE INDEX study_plan_results_unit ON study_plan_results (plan_id, unit_path text_pattern_ops)`);
    await db.query(`ALTER TABLE study_plan_results DROP CONSTRAINT study_plan_results_org_unit_id_fkey`);
    for (const [table, column, references] of RESTRICTED) await setOnDelete(db, table, column, references, 'CASCADE');
    // Archived lectures were kept only because someone studied them; going back, they stay as lectures.
    await db.query(`ALTER TABLE lectures DROP COLUMN archived_at`);
  }
}
