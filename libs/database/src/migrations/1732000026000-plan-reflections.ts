import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (study plans and reports): a plan may require a number of accepted learning reflections. */
export class PlanReflections1732000026000 implements MigrationInterface {
  name = 'PlanReflections1732000026000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
