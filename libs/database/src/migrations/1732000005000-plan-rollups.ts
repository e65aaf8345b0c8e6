import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reports): a per-plan rollup the plan overview reads instead of aggregating the raw
 * watch data on each request, and the change log that keeps it current.
 *
 * - `plan_member_totals`: each member of an open plan with their earned milliseconds, whether they have
 *   started, compulsory lectures missing and whether they met the plan: everything of their standing
 *   that does not depend on the clock.
 * - `plan_unit_totals`: the same summed per (plan, unit of the member), plus the sorted earned ms of the
 *   members who started but have not met the plan, so on-track vs behind is counted at read time against
 *   the pro-rata line of "now" with one binary search (`width_bucket`) per unit.
 * - `report_dirty_users` / `report_dirty_plans`: append-only logs written by statement-level triggers
 *   on every table a standing depends on; the refresh drains them in the same transaction that rewrites
 *   the rollup, so a change is either already in the rollup or still in the log, never lost.
 */
export class PlanRollups1732000005000 implements MigrationInterface {
  name = 'PlanRollups1732000005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE plan_rollups (
        plan_id uuid PRIMARY KEY REFERENCES study_plans(id) ON DELETE CASCADE,
        -- every change committed before this instant is reflected in the plan's totals
        as_of timestamptz NOT NULL,
        -- the study time zone it was built in: it decides the day a lecture was completed on
        time_zone text NOT NULL,
        built_at timestamptz NOT NULL,
        build_ms integer NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE TABLE plan_member_totals (
        plan_id uuid NOT NULL REFERENCES plan_rollups(plan_id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        earned_ms bigint NOT NULL,
        -- earned hours rounded half up to 0.01 h, as the reports show them
        centi_hours bigint NOT NULL,
        started boolean NOT NULL,
        met boolean NOT NULL,
        compulsory_missing integer NOT NULL,
        completed_lectures integer NOT NULL,
        last_study_day date,
        PRIMARY KEY (plan_id, user_id)
      )`);
    await db.query(`CREATE INDEX plan_member_totals_unit ON plan_member_totals (plan_id, org_unit_id)`);
    await db.query(`
      CREATE TABLE plan_unit_totals (
        plan_id uuid NOT NULL REFERENCES plan_rollups(plan_id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL,
        members integer NOT NULL,
        met integer NOT NULL,
        not_started integer NOT NULL,
        centi_hours bigint NOT NULL,
        compulsory_completed integer NOT NULL,
        -- ascending earned ms of members who started and have not met the plan (on track or behind)
        pending_earned_ms bigint[] NOT NULL,
        PRIMARY KEY (plan_id, org_unit_id)
      )`);

    // No keys and no indexes: concurrent writers append without ever waiting on each other.
    await db.query(`CREATE TABLE report_dirty_users (user_id uuid NOT NULL)`);
    // plan_id NULL means every open plan.
    await db.query(`CREATE TABLE report_dirty_plans (plan_id uuid)`);

    // One function per log; TG_ARGV[0] names the column holding the id in the transition table (none: every
    // plan). Static statements, not EXECUTE, so PL/pgSQL keeps their plans: these run on every ingest batch.
    await db.query(`
      CREATE FUNCTION report_log_users() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_ARGV[0] = 'id' THEN
          INSERT INTO report_dirty_users (user_id) SELECT DISTINCT id FROM changed_rows;
        ELSE
          INSERT INTO report_dirty_users (user_id) SELECT DISTINCT user_id FROM changed_rows;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION report_log_plans() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_NARGS = 0 OR TG_OP = 'TRUNCATE' THEN
          INSERT INTO report_dirty_plans (plan_id) VALUES (NULL);
        ELSIF TG_ARGV[0] = 'id' THEN
          INSERT INTO report_dirty_plans (plan_id) SELECT DISTINCT id FROM changed_rows;
        ELSE
          INSERT INTO report_dirty_plans (plan_id) SELECT DISTINCT plan_id FROM changed_rows;
        END IF;
        RETURN NULL;
      END $$`);
    // Heartbeats rewrite lecture_progress on every batch; only a change of completion matters to a plan.
    await db.query(`
      CREATE FUNCTION report_log_completions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_users (user_id)
        SELECT DISTINCT n.user_id FROM changed_rows n JOIN previous_rows o ON o.user_id = n.user_id AND o.lecture_id = n.lecture_id
         WHERE o.completed_at IS DISTINCT FROM n.completed_at;
        RETURN NULL;
      END $$`);

    const logUsers = async (table: string, column: string, events: Array<'INSERT' | 'UPDATE' | 'DELETE'>) => {
      for (const event of events) {
        await db.query(`
          CREATE TRIGGER ${table}_report_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION report_log_users('${column}')`);
      }
      await db.query(`
        CREATE TRIGGER ${table}_report_truncate AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans()`);
    };
    await logUsers('study_daily', 'user_id', ['INSERT', 'UPDATE', 'DELETE']);
    await logUsers('lecture_progress', 'user_id', ['INSERT', 'DELETE']);
    await db.query(`
      CREATE TRIGGER lecture_progress_report_update AFTER UPDATE ON lecture_progress
        REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_log_completions()`);
    // Role, activity, unit and category decide membership.
    await logUsers('users', 'id', ['INSERT', 'UPDATE', 'DELETE']);

    // Any change to a plan's definition (period, hours, units, categories, courses, compulsory lectures,
    // make-up members, closing) rebuilds that plan.
    for (const [table, column] of [
      ['study_plans', 'id'],
      ['study_plan_units', 'plan_id'],
      ['study_plan_categories', 'plan_id'],
      ['study_plan_courses', 'plan_id'],
      ['study_plan_compulsory', 'plan_id'],
      ['study_plan_makeup', 'plan_id'],
    ]) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        await db.query(`
          CREATE TRIGGER ${table}_report_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans('${column}')`);
      }
    }
    // Rare structural changes rebuild every open plan: a unit moved to another parent, a lecture moved
    // to another course or deleted.
    await db.query(`
      CREATE TRIGGER org_units_report_move AFTER UPDATE OF parent_id ON org_units
        FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans()`);
    await db.query(`
      CREATE TRIGGER lectures_report_change AFTER UPDATE OF course_id OR DELETE ON lectures
        FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans()`);
  }

  async down(db: QueryRunner): Promise<void> {
    const triggers: Array<[string, string]> = [
      ['study_daily', 'insert'],
      ['study_daily', 'update'],
      ['study_daily', 'delete'],
      ['study_daily', 'truncate'],
      ['lecture_progress', 'insert'],
      ['lecture_progress', 'update'],
      ['lecture_progress', 'delete'],
      ['lecture_progress', 'truncate'],
      ['users', 'insert'],
      ['users', 'update'],
      ['users', 'delete'],
      ['users', 'truncate'],
      ['org_units', 'move'],
      ['lectures', 'change'],
    ];
    for (const table of [
      'study_plans',
      'study_plan_units',
      'study_plan_categories',
      'study_plan_courses',
      'study_plan_compulsory',
      'study_plan_makeup',
    ]) {
      for (const event of ['insert', 'update', 'delete']) triggers.push([table, event]);
    }
    for (const [table, name] of triggers) await db.query(`DROP TRIGGER ${table}_report_${name} ON ${table}`);
    await db.query(`DROP FUNCTION report_log_completions()`);
    await db.query(`DROP FUNCTION report_log_plans()`);
    await db.query(`DROP FUNCTION report_log_users()`);
    for (const table of ['report_dirty_plans', 'report_dirty_users', 'plan_unit_totals', 'plan_member_totals', 'plan_rollups']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
