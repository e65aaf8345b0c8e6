import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courseware): course and lecture materials and their converted PDFs. */
export class Materials1732000032000 implements MigrationInterface {
  name = 'Materials1732000032000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
