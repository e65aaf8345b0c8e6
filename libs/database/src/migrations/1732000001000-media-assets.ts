import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Upload- and transcoder-owned: one row per uploaded lecture file and its transcoding lifecycle. */
export class MediaAssets1732000001000 implements MigrationInterface {
  name = 'MediaAssets1732000001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE media_assets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- the editor who uploaded it; users belong to catalog, so no foreign key across owners
        owner_id uuid NOT NULL,
        upload_id text NOT NULL UNIQUE,
        original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
        declared_type text,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        received_bytes bigint NOT NULL DEFAULT 0,
        sha256 text,
        source_key text,
        status text NOT NULL DEFAULT 'uploading'
          CHECK (status IN ('uploading', 'uploaded', 'pending', 'queued', 'transcoding', 'ready', 'failed')),
        kind text CHECK (kind IN ('video', 'audio')),
        probe jsonb,
        duration_sec double precision,
        progress_percent real NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
        eta_seconds integer,
        failure_code text,
        failure_reason text,
        -- fencing token of the transcoding attempt allowed to publish
        attempt_token text,
        outputs jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ready_at timestamptz
      )`);
    await db.query(`CREATE INDEX media_assets_owner ON media_assets (owner_id, created_at DESC)`);
    await db.query(`CREATE INDEX media_assets_waiting ON media_assets (status, updated_at) WHERE status IN ('uploaded', 'pending')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE media_assets`);
  }
}
