import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned: each member's result frozen when a plan is closed; later study or edits never change it. */
export class PlanResults1732000004000 implements MigrationInterface {
  name = 'PlanResults1732000004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE study_plan_results (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL,
        login text NOT NULL,
        category text,
        org_unit_id uuid NOT NULL,
        unit_path text NOT NULL,
        earned_hours double precision NOT NULL,
        required_hours double precision NOT NULL,
        status text NOT NULL,
        compulsory_missing integer NOT NULL,
        last_study_day date,
        PRIMARY KEY (plan_id, user_id)
      )`);
    await db.query(`CREATE INDEX study_plan_results_unit ON study_plan_results (plan_id, unit_path text_pattern_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE study_plan_results`);
  }
}
