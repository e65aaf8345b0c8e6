import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (study plans and reports): how plans count study kinds, daily limits and conversions. */
export class PlanStudyRules1732000030000 implements MigrationInterface {
  name = 'PlanStudyRules1732000030000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
