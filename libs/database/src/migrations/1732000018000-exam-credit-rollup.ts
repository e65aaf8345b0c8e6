import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reports): a change of an exam's credit hours changes the earned hours of every plan that
 * requires it, so those plans are marked for the rollup's refresh, as a change of the plan itself is.
 * (A column list and transition tables cannot be combined on one trigger, so the old and new rows are
 * compared here.)
 */
export class ExamCreditRollup1732000018000 implements MigrationInterface {
  name = 'ExamCreditRollup1732000018000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION report_log_exam_credit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_plans (plan_id)
        SELECT DISTINCT spe.plan_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          JOIN study_plan_exams spe ON spe.exam_id = n.id
         WHERE n.credit_hours IS DISTINCT FROM o.credit_hours;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER exams_credit_report AFTER UPDATE ON exams
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_log_exam_credit()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER exams_credit_report ON exams`);
    await db.query(`DROP FUNCTION report_log_exam_credit()`);
  }
}
