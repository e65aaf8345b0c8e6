import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (reports): per-unit rollups that the trend, course and lecture reports read. */
export class ActivityRollups1732000022000 implements MigrationInterface {
  name = 'ActivityRollups1732000022000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
