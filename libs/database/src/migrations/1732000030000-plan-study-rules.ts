import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (study plans and reports): how plans count study kinds, daily limits and conversions.
 *
 * The plan rollup counts in-person attendance on the day its session was held (`group_sessions.starts_at`) and
 * only for sessions not cancelled; attendance rows already log their members (1732000028000). A session moved
 * to another day, cancelled or reinstated changes what its attendees earn without touching their rows, so it
 * logs them too. The plan's own rule columns (1732000027000) are set when a plan is created and never change.
 */
export class PlanStudyRules1732000030000 implements MigrationInterface {
  name = 'PlanStudyRules1732000030000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION group_sessions_report_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_users (user_id)
        SELECT DISTINCT a.user_id
          FROM changed_rows n JOIN previous_rows o ON o.id = n.id
          JOIN group_session_attendance a ON a.session_id = n.id
         WHERE o.starts_at IS DISTINCT FROM n.starts_at OR o.status IS DISTINCT FROM n.status OR o.kind IS DISTINCT FROM n.kind;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER group_sessions_report_update AFTER UPDATE ON group_sessions
        REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION group_sessions_report_log()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER group_sessions_report_update ON group_sessions`);
    await db.query(`DROP FUNCTION group_sessions_report_log()`);
  }
}
