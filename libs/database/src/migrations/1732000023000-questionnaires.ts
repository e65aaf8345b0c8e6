import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (questionnaires): questionnaires, their audience, questions, drafts and responses. */
export class Questionnaires1732000023000 implements MigrationInterface {
  name = 'Questionnaires1732000023000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
