import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courseware): time spent reading materials, and the plan rule that may count it. */
export class MaterialReading1732000033000 implements MigrationInterface {
  name = 'MaterialReading1732000033000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
