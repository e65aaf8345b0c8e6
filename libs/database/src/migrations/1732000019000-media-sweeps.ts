import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Upload-owned: the media whose stored files are to be removed because no lecture plays them any more (a
 * lecture's media was replaced, or the lecture was deleted). A trigger on lectures records them in the same
 * transaction as the change, so no restart forgets one; the upload service's sweeper removes the files after a
 * grace period and then the row. Only files go: lectures, assets, sessions and study records stay. A lecture
 * that takes an asset again (an undone replacement) takes it off the list. Archived lectures keep their asset,
 * so their media is never swept.
 */
export class MediaSweeps1732000019000 implements MigrationInterface {
  name = 'MediaSweeps1732000019000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE media_sweeps (
        asset_id uuid PRIMARY KEY,
        reason text NOT NULL CHECK (reason IN ('replaced', 'deleted')),
        queued_at timestamptz NOT NULL DEFAULT now(),
        -- A sweeper working on the row until then; after a failure, when to try again.
        claimed_until timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await db.query(`CREATE INDEX media_sweeps_due ON media_sweeps (queued_at)`);
    await db.query(`
      CREATE FUNCTION media_sweep_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'DELETE' AND NEW.asset_id IS NOT NULL THEN
          DELETE FROM media_sweeps WHERE asset_id = NEW.asset_id;
        END IF;
        IF TG_OP <> 'INSERT' AND OLD.asset_id IS NOT NULL
           AND (TG_OP = 'DELETE' OR NEW.asset_id IS DISTINCT FROM OLD.asset_id)
           AND NOT EXISTS (SELECT 1 FROM lectures WHERE asset_id = OLD.asset_id) THEN
          INSERT INTO media_sweeps (asset_id, reason)
          VALUES (OLD.asset_id, CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'replaced' END)
          ON CONFLICT (asset_id) DO UPDATE SET reason = EXCLUDED.reason, queued_at = now(), claimed_until = NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER lectures_media_sweep AFTER INSERT OR DELETE OR UPDATE OF asset_id ON lectures
        FOR EACH ROW EXECUTE FUNCTION media_sweep_log()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER lectures_media_sweep ON lectures`);
    await db.query(`DROP FUNCTION media_sweep_log()`);
    await db.query(`DROP TABLE media_sweeps`);
  }
}
