import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courses): whether a course may publish lectures that are previewable but not yet ready. */
export class EarlyPublish1732000038000 implements MigrationInterface {
  name = 'EarlyPublish1732000038000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
