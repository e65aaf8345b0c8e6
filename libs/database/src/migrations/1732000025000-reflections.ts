import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (reflections): members' learning reflections, their review history and the reflections wall. */
export class Reflections1732000025000 implements MigrationInterface {
  name = 'Reflections1732000025000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
