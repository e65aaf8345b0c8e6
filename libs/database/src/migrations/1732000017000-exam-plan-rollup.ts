import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reports): plans that require exams keep their rollup current. An exam attempt started,
 * submitted, graded or voided marks its member for the refresh, as study does (`report_log_users`); a plan
 * gaining or losing a required exam is rebuilt (`report_log_plans`). Attempts are never deleted (a trigger
 * refuses it), so no delete trigger is needed on them.
 */
export class ExamPlanRollup1732000017000 implements MigrationInterface {
  name = 'ExamPlanRollup1732000017000';

  async up(db: QueryRunner): Promise<void> {
    for (const event of ['INSERT', 'UPDATE']) {
      await db.query(`
        CREATE TRIGGER exam_attempts_report_${event.toLowerCase()} AFTER ${event} ON exam_attempts
          REFERENCING NEW TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION report_log_users('user_id')`);
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await db.query(`
        CREATE TRIGGER study_plan_exams_report_${event.toLowerCase()} AFTER ${event} ON study_plan_exams
          REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans('plan_id')`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) {
      await db.query(`DROP TRIGGER study_plan_exams_report_${event} ON study_plan_exams`);
    }
    for (const event of ['insert', 'update']) await db.query(`DROP TRIGGER exam_attempts_report_${event} ON exam_attempts`);
  }
}
