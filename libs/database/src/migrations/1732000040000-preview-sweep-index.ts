import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Upload-owned (media sweeper): the assets that still name a growing preview set, in id order, as the
 * sweeper pages through them. Few assets have one at a time (those encoding, and those ready or failed
 * within the retention), so the partial index stays small while media_assets grows with every upload,
 * and each pass reads its page instead of scanning the table.
 */
export class PreviewSweepIndex1732000040000 implements MigrationInterface {
  name = 'PreviewSweepIndex1732000040000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX media_assets_preview_sweep ON media_assets (id) WHERE preview_prefix IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX media_assets_preview_sweep`);
  }
}
