import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned: new members open their first unit period in one statement per INSERT, not one
 * trigger call per row. An import of 10,000 members spent about three quarters of its INSERT in the
 * row trigger (`npm run bench:organisation`); a statement trigger with a transition table writes the
 * same periods in one set-based insert. A change of unit stays a row trigger: it is one member at a time
 * (a transfer) and needs each member's open period.
 */
export class UnitPeriodsByStatement1732000014000 implements MigrationInterface {
  name = 'UnitPeriodsByStatement1732000014000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_unit_period ON users`);
    await db.query(`
      CREATE FUNCTION member_unit_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO member_unit_periods (user_id, org_unit_id, from_day)
        SELECT id, org_unit_id,
               coalesce(nullif(current_setting('lectern.unit_change_day', true), '')::date, current_date)
          FROM new_users;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_unit_period_open AFTER INSERT ON users
        REFERENCING NEW TABLE AS new_users
        FOR EACH STATEMENT EXECUTE FUNCTION member_unit_period_open()`);
    await db.query(`
      CREATE TRIGGER users_unit_period AFTER UPDATE OF org_unit_id ON users
        FOR EACH ROW EXECUTE FUNCTION member_unit_period_track()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_unit_period ON users`);
    await db.query(`DROP TRIGGER users_unit_period_open ON users`);
    await db.query(`DROP FUNCTION member_unit_period_open()`);
    await db.query(`
      CREATE TRIGGER users_unit_period AFTER INSERT OR UPDATE OF org_unit_id ON users
        FOR EACH ROW EXECUTE FUNCTION member_unit_period_track()`);
  }
}
