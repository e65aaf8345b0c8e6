import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (group study reports): attendance reports by unit and member. */
export class GroupSessionReports1732000031000 implements MigrationInterface {
  name = 'GroupSessionReports1732000031000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
