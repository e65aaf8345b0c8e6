import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (courseware): captions per lecture and language, and the words said for search. */
export class Captions1732000034000 implements MigrationInterface {
  name = 'Captions1732000034000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
