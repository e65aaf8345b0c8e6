import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A set previewable while it is still being encoded. Upload- and transcoder-owned: media_assets'
 * preview columns, written only by the attempt whose token the asset carries. Catalog-owned:
 * lecture_media_previews, the catalog's copy kept in step by `asset.previewable` media events.
 */
export class ProgressivePreview1732000036000 implements MigrationInterface {
  name = 'ProgressivePreview1732000036000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE media_assets
        ADD COLUMN preview_prefix text,
        ADD COLUMN preview_outputs jsonb,
        ADD COLUMN previewable_at timestamptz`);
    await db.query(
      `COMMENT ON COLUMN media_assets.preview_prefix IS 'Storage prefix of the growing set of the attempt that last became previewable; kept across a crashed attempt until the next one is previewable, cleared at ready or failed.'`,
    );
    await db.query(`
      CREATE TABLE lecture_media_previews (
        asset_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('video', 'audio')),
        duration_sec double precision NOT NULL,
        outputs jsonb NOT NULL,
        previewable_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `COMMENT ON TABLE lecture_media_previews IS 'Catalog copy of growing sets that can be played before their media is ready; ignored once lecture_media holds the asset as ready or failed.'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lecture_media_previews`);
    await db.query(`ALTER TABLE media_assets DROP COLUMN preview_prefix, DROP COLUMN preview_outputs, DROP COLUMN previewable_at`);
  }
}
