import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog-owned (programs on demand): members' requests for programs, their votes and editors' answers. */
export class ProgramRequests1732000024000 implements MigrationInterface {
  name = 'ProgramRequests1732000024000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
