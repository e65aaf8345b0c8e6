import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (study tracking): attention check-ins during hidden or audio-only listening. */
export class AttentionCheckins1732000029000 implements MigrationInterface {
  name = 'AttentionCheckins1732000029000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
