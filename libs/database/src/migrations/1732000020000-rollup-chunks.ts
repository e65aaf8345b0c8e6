import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (reports): the plan rollup is kept current in bounded chunks that several catalog
 * processes share, instead of one refresher draining the whole change log in one locked transaction.
 *
 * - Each change-log row records when it was logged (`logged_at`, the logging transaction's start), so
 *   chunks take the oldest rows first (`FOR UPDATE SKIP LOCKED`, by the index) and the rollup's lag is
 *   the age of the oldest row still waiting. The triggers are unchanged: the column has a default.
 * - `rollup_pending_apply` moves the sorted earned ms of a unit's pending members (started, not met)
 *   by one chunk's changes: the values members had before are taken out (one occurrence each), the
 *   values they have now put in, still sorted, so `width_bucket` keeps counting on track vs behind.
 */
export class RollupChunks1732000020000 implements MigrationInterface {
  name = 'RollupChunks1732000020000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE report_dirty_users ADD COLUMN logged_at timestamptz NOT NULL DEFAULT now()`);
    await db.query(`CREATE INDEX report_dirty_users_logged_at ON report_dirty_users (logged_at)`);
    await db.query(`ALTER TABLE report_dirty_plans ADD COLUMN logged_at timestamptz NOT NULL DEFAULT now()`);
    await db.query(`
      CREATE FUNCTION rollup_pending_apply(pending bigint[], removed bigint[], added bigint[]) RETURNS bigint[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(v ORDER BY v), '{}')
          FROM (SELECT k.v
                  FROM (SELECT v, row_number() OVER (PARTITION BY v) AS n FROM unnest(pending) v) k
                 WHERE NOT EXISTS (SELECT 1 FROM (SELECT r, row_number() OVER (PARTITION BY r) AS n FROM unnest(removed) r) g
                                    WHERE g.r = k.v AND g.n = k.n)
                UNION ALL
                SELECT unnest(added)) x(v)
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION rollup_pending_apply(bigint[], bigint[], bigint[])`);
    await db.query(`ALTER TABLE report_dirty_plans DROP COLUMN logged_at`);
    await db.query(`DROP INDEX report_dirty_users_logged_at`);
    await db.query(`ALTER TABLE report_dirty_users DROP COLUMN logged_at`);
  }
}
