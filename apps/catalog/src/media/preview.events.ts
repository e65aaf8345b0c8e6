import type { DataSource } from 'typeorm';
import type { AssetPreviewableEvent } from '#contracts';

/**
 * The catalog's copy of an attempt's growing set (lecture_media_previews), from `asset.previewable`.
 * Events arrive at least once and in any order: an older attempt's event never replaces a newer
 * one's, nor does a set reported without its poster replace the same set reported again with it; and a
 * row written after the asset's media became ready or failed is ignored by every reader (lecture_media decides), so no order of events ever serves a stale set in place of a finished one.
 */
export async function applyPreviewableEvent(db: DataSource, event: AssetPreviewableEvent): Promise<void> {
  await db.query(
    `INSERT INTO lecture_media_previews AS p (asset_id, kind, duration_sec, outputs, previewable_at, updated_at)
     SELECT $1, $2, $3, $4::jsonb, $5, now()
      WHERE NOT EXISTS (SELECT 1 FROM lecture_media m WHERE m.asset_id = $1)
     ON CONFLICT (asset_id) DO UPDATE SET kind = $2, duration_sec = $3, outputs = $4::jsonb, previewable_at = $5, updated_at = now()
      WHERE p.previewable_at < EXCLUDED.previewable_at
         OR (p.previewable_at = EXCLUDED.previewable_at AND (EXCLUDED.outputs ->> 'poster' IS NOT NULL OR p.outputs ->> 'poster' IS NULL))`,
    [event.assetId, event.kind, event.durationSec, JSON.stringify(event.outputs), event.previewableAt],
  );
}

/** After asset.ready or asset.failed: the growing set is no longer offered (readers ignore it already). */
export async function forgetPreview(db: DataSource, assetId: string): Promise<void> {
  await db.query(`DELETE FROM lecture_media_previews WHERE asset_id = $1`, [assetId]);
}

/**
 * SQL of the growing set that may be played for an asset (`<alias>.outputs`, `.duration_sec`, `.kind`,
 * `.previewable_at`): a preview row while lecture_media has no final state for it. Join it as
 * `LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) p ON true`.
 */
export const PREVIEW_OF = (assetIdSql: string) =>
  `SELECT p.outputs, p.duration_sec, p.kind, p.previewable_at FROM lecture_media_previews p
    WHERE p.asset_id = ${assetIdSql} AND NOT EXISTS (SELECT 1 FROM lecture_media f WHERE f.asset_id = p.asset_id)`;
