import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courseware): chapters of a lecture. */
export class Chapters1732000035000 implements MigrationInterface {
  name = 'Chapters1732000035000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
