import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Transcoder-owned: encoding one upload in chunks on several workers. */
export class ChunkedEncoding1732000037000 implements MigrationInterface {
  name = 'ChunkedEncoding1732000037000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
