import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Upload- and transcoder-owned (media assets): a set previewable while it is still being encoded. */
export class ProgressivePreview1732000036000 implements MigrationInterface {
  name = 'ProgressivePreview1732000036000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
