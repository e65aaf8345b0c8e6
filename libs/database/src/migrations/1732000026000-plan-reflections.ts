import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (study plans and reports): a plan may require a number of accepted learning reflections
 * (`study_plans.required_reflections`, 0 for none). A reflection written, reviewed, revised or withdrawn marks
 * its member for the rollup's refresh (`report_log_users`), as exam attempts do; changing a plan's
 * requirement rebuilds it through the existing `study_plans` triggers. Closing a plan freezes how many of
 * each member's reflections counted (`study_plan_results.reflections_accepted`) beside the number required.
 */
export class PlanReflections1732000026000 implements MigrationInterface {
  name = 'PlanReflections1732000026000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE study_plans ADD COLUMN required_reflections integer NOT NULL DEFAULT 0
        CONSTRAINT study_plans_required_reflections_range CHECK (required_reflections BETWEEN 0 AND 50)`);
    await db.query(`ALTER TABLE study_plan_results ADD COLUMN reflections_required integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE study_plan_results ADD COLUMN reflections_accepted integer NOT NULL DEFAULT 0`);
    // Reflections are never deleted (a trigger refuses it), so no delete trigger is needed; the rollup reads an
    // author's accepted ones through `reflections_accepted` (user_id, accepted_at).
    for (const event of ['INSERT', 'UPDATE']) {
      await db.query(`
        CREATE TRIGGER reflections_report_${event.toLowerCase()} AFTER ${event} ON reflections
          REFERENCING NEW TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION report_log_users('user_id')`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update']) await db.query(`DROP TRIGGER reflections_report_${event} ON reflections`);
    await db.query(`ALTER TABLE study_plan_results DROP COLUMN reflections_accepted`);
    await db.query(`ALTER TABLE study_plan_results DROP COLUMN reflections_required`);
    await db.query(`ALTER TABLE study_plans DROP COLUMN required_reflections`);
  }
}
