import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: what an organisation's own documents are built on.
 *
 * - `users.role` gains `inspector` (reads the reports of a subtree, changes nothing), and
 *   `users.must_change_password` (set by an admin's password reset: the one-time password works once,
 *   for choosing a new one).
 * - The two built-in member categories the documents name besides the first four.
 * - `position_kinds` (secretary, deputy secretary, committee member, group leader, and kinds an admin
 *   adds for their subtree) and `member_positions`: who holds which position in which unit, from when
 *   to when. Ending a position sets `ended_on`; the row stays, so who was secretary when is kept.
 * - `training_classes` and `training_class_members`: enrolments are withdrawn (`withdrawn_at`), never
 *   deleted.
 * - `member_transfers`: every move of a member to another unit, with its date, reason and, between
 *   branches, the request and its acceptance.
 * - `member_unit_periods`: which unit a member belonged to from which day to which day. A trigger on
 *   `users` keeps it: a new member opens a period, a change of unit closes the open one and opens the
 *   next, on the day in the transaction-local setting `lectern.unit_change_day` (a transfer's date) or
 *   else today. Reports for a period attribute each day's study to the unit of that day.
 * - `study_plan_positions`, `study_plan_classes`: plans can target positions and training classes.
 */
export class Organisation1732000011000 implements MigrationInterface {
  name = 'Organisation1732000011000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
    await db.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('member', 'editor', 'admin', 'inspector'))`);
    await db.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await db.query(`CREATE INDEX users_unit_role ON users (org_unit_id, role, active)`);

    await db.query(`
      INSERT INTO member_categories (code, name_zh, name_en, builtin) VALUES
        ('laid-off', '下岗失业', 'Laid off or unemployed', true),
        ('urban-non-professional', '城镇非从业', 'Urban, not in work', true)
      ON CONFLICT (code) DO NOTHING`);

    await db.query(`
      CREATE TABLE position_kinds (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        builtin boolean NOT NULL DEFAULT false,
        -- NULL for built-ins; otherwise the unit whose admin added it, and whose subtree uses it.
        owner_unit_id uuid REFERENCES org_units(id) ON DELETE RESTRICT,
        sort_order int NOT NULL DEFAULT 100,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      INSERT INTO position_kinds (code, name_zh, name_en, builtin, sort_order) VALUES
        ('secretary', '书记', 'Secretary', true, 10),
        ('deputy-secretary', '副书记', 'Deputy secretary', true, 20),
        ('committee-member', '委员', 'Committee member', true, 30),
        ('group-leader', '小组长', 'Group leader', true, 40)`);

    await db.query(`
      CREATE TABLE member_positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        position_code text NOT NULL REFERENCES position_kinds(code) ON DELETE RESTRICT,
        started_on date NOT NULL DEFAULT current_date,
        ended_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT member_positions_period CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    // One holder of the same position per person and unit at a time.
    await db.query(`
      CREATE UNIQUE INDEX member_positions_current ON member_positions (user_id, org_unit_id, position_code) WHERE ended_on IS NULL`);
    await db.query(`CREATE INDEX member_positions_unit ON member_positions (org_unit_id) WHERE ended_on IS NULL`);
    await db.query(`CREATE INDEX member_positions_user ON member_positions (user_id)`);

    await db.query(`
      CREATE TABLE training_classes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        owner_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        archived_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT training_classes_period CHECK (ends_on >= starts_on)
      )`);
    await db.query(`CREATE INDEX training_classes_owner ON training_classes (owner_unit_id)`);
    await db.query(`
      CREATE TABLE training_class_members (
        class_id uuid NOT NULL REFERENCES training_classes(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        enrolled_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        withdrawn_at timestamptz,
        PRIMARY KEY (class_id, user_id)
      )`);
    await db.query(`CREATE INDEX training_class_members_user ON training_class_members (user_id)`);

    await db.query(`
      CREATE TABLE member_transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        from_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        to_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        effective_on date NOT NULL,
        reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
        -- done: in effect; pending: sent to the receiving branch; rejected / cancelled: never took effect.
        status text NOT NULL CHECK (status IN ('done', 'pending', 'rejected', 'cancelled')),
        requested_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES users(id) ON DELETE RESTRICT,
        decided_at timestamptz,
        decision_note text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
        CONSTRAINT member_transfers_elsewhere CHECK (from_unit_id <> to_unit_id)
      )`);
    await db.query(`CREATE INDEX member_transfers_user ON member_transfers (user_id, requested_at)`);
    await db.query(`CREATE UNIQUE INDEX member_transfers_one_pending ON member_transfers (user_id) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX member_transfers_to_pending ON member_transfers (to_unit_id) WHERE status = 'pending'`);

    await db.query(`
      CREATE TABLE member_unit_periods (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        org_unit_id uuid NOT NULL REFERENCES org_units(id) ON DELETE RESTRICT,
        from_day date NOT NULL,
        -- exclusive; NULL while the member is still there
        to_day date,
        PRIMARY KEY (user_id, from_day),
        CONSTRAINT member_unit_periods_order CHECK (to_day IS NULL OR to_day >= from_day)
      )`);
    await db.query(`CREATE UNIQUE INDEX member_unit_periods_open ON member_unit_periods (user_id) WHERE to_day IS NULL`);
    await db.query(`CREATE INDEX member_unit_periods_unit ON member_unit_periods (org_unit_id)`);
    // Everyone so far has been in their unit since they were created.
    await db.query(`
      INSERT INTO member_unit_periods (user_id, org_unit_id, from_day)
      SELECT id, org_unit_id, (created_at AT TIME ZONE 'UTC')::date FROM users`);
    await db.query(`
      CREATE FUNCTION member_unit_period_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        change_day date := coalesce(nullif(current_setting('lectern.unit_change_day', true), '')::date, current_date);
        open_from date;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO member_unit_periods (user_id, org_unit_id, from_day) VALUES (NEW.id, NEW.org_unit_id, change_day);
        ELSIF NEW.org_unit_id IS DISTINCT FROM OLD.org_unit_id THEN
          SELECT from_day INTO open_from FROM member_unit_periods WHERE user_id = NEW.id AND to_day IS NULL;
          IF open_from IS NULL THEN
            INSERT INTO member_unit_periods (user_id, org_unit_id, from_day) VALUES (NEW.id, NEW.org_unit_id, change_day)
            ON CONFLICT (user_id, from_day) DO UPDATE SET org_unit_id = EXCLUDED.org_unit_id, to_day = NULL;
          ELSIF change_day <= open_from THEN
            -- A second change on the same day (or one dated before the open period began, which would
            -- reorder history) replaces the open period's unit.
            UPDATE member_unit_periods SET org_unit_id = NEW.org_unit_id WHERE user_id = NEW.id AND to_day IS NULL;
          ELSE
            UPDATE member_unit_periods SET to_day = change_day WHERE user_id = NEW.id AND to_day IS NULL;
            INSERT INTO member_unit_periods (user_id, org_unit_id, from_day) VALUES (NEW.id, NEW.org_unit_id, change_day);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_unit_period AFTER INSERT OR UPDATE OF org_unit_id ON users
        FOR EACH ROW EXECUTE FUNCTION member_unit_period_track()`);

    await db.query(`
      CREATE TABLE study_plan_positions (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        position_code text NOT NULL REFERENCES position_kinds(code) ON DELETE RESTRICT,
        PRIMARY KEY (plan_id, position_code)
      )`);
    await db.query(`
      CREATE TABLE study_plan_classes (
        plan_id uuid NOT NULL REFERENCES study_plans(id) ON DELETE CASCADE,
        class_id uuid NOT NULL REFERENCES training_classes(id) ON DELETE RESTRICT,
        PRIMARY KEY (plan_id, class_id)
      )`);

    // Positions and enrolments decide plan membership now, as units and categories do.
    for (const [table, column] of [
      ['study_plan_positions', 'plan_id'],
      ['study_plan_classes', 'plan_id'],
    ]) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        await db.query(`
          CREATE TRIGGER ${table}_report_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION report_log_plans('${column}')`);
      }
    }
    for (const table of ['member_positions', 'training_class_members']) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        await db.query(`
          CREATE TRIGGER ${table}_report_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION report_log_users('user_id')`);
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'study_plan_classes',
      'study_plan_positions',
      'member_unit_periods',
      'member_transfers',
      'training_class_members',
      'training_classes',
      'member_positions',
      'position_kinds',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS member_unit_period_track() CASCADE`);
    await db.query(`DELETE FROM member_categories WHERE code IN ('laid-off', 'urban-non-professional') AND builtin`);
    await db.query(`DROP INDEX IF EXISTS users_unit_role`);
    await db.query(`ALTER TABLE users DROP COLUMN must_change_password`);
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await db.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('member', 'editor', 'admin'))`);
  }
}
