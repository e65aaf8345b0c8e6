import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AssetOutputs, MediaKind } from '#contracts';
import { queryRows, type Row } from './query-rows.js';

/** What the transcoder needs of an asset it has claimed. */
export interface ClaimedAsset {
  id: string;
  kind: MediaKind | null;
  sourceKey: string | null;
  durationSec: number | null;
}

/** An asset in a final state, enough to (re)announce it. */
export interface SettledAsset {
  id: string;
  status: 'ready' | 'failed';
  kind: MediaKind | null;
  durationSec: number | null;
  outputs: AssetOutputs | null;
  attemptToken: string | null;
  failureCode: string | null;
  failureReason: string | null;
}

const claimed = (row: Row): ClaimedAsset => ({
  id: row.id as string,
  kind: (row.kind as MediaKind | null) ?? null,
  sourceKey: (row.source_key as string | null) ?? null,
  durationSec: (row.duration_sec as number | null) ?? null,
});

/**
 * The transcoder's writes to media_assets: status, progress and outputs only. Every write after the
 * claim is fenced by the attempt token, so an attempt that lost its job to another worker changes nothing.
 */
@Injectable()
export class MediaAssetsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes the asset for this attempt: a new token replaces any earlier attempt's. `pending` too, since
   * the producer flips pending → queued only after the job is in Redis. Null when the asset is not waiting.
   */
  async claim(id: string, token: string): Promise<ClaimedAsset | null> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets
          SET status = 'transcoding', attempt_token = $2, progress_percent = 0, eta_seconds = NULL,
              failure_code = NULL, failure_reason = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'pending', 'transcoding')
        RETURNING id, kind, source_key, duration_sec`,
      [id, token],
    );
    return rows[0] ? claimed(rows[0]) : null;
  }

  async statusOf(id: string): Promise<string | null> {
    const rows: Row[] = await queryRows(this.db, `SELECT status FROM media_assets WHERE id = $1`, [id]);
    return (rows[0]?.status as string | undefined) ?? null;
  }

  /** The asset if it is ready or failed. */
  async findSettled(id: string): Promise<SettledAsset | null> {
    const rows: Row[] = await queryRows(
      this.db,
      `SELECT id, status, kind, duration_sec, outputs, attempt_token, failure_code, failure_reason
         FROM media_assets WHERE id = $1 AND status IN ('ready', 'failed')`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      status: row.status as 'ready' | 'failed',
      kind: (row.kind as MediaKind | null) ?? null,
      durationSec: (row.duration_sec as number | null) ?? null,
      outputs: (row.outputs as AssetOutputs | null) ?? null,
      attemptToken: (row.attempt_token as string | null) ?? null,
      failureCode: (row.failure_code as string | null) ?? null,
      failureReason: (row.failure_reason as string | null) ?? null,
    };
  }

  /** Mirrors progress while this attempt still holds the asset; false once another attempt took it. */
  async writeProgress(id: string, token: string, percent: number, etaSeconds: number | null): Promise<boolean> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets SET progress_percent = $3, eta_seconds = $4, updated_at = now()
        WHERE id = $1 AND attempt_token = $2 AND status = 'transcoding'
        RETURNING id`,
      [id, token, Math.min(100, Math.max(0, percent)), etaSeconds === null ? null : Math.max(0, Math.round(etaSeconds))],
    );
    return rows.length > 0;
  }

  /**
   * Makes this attempt's growing set the asset's preview (replacing an earlier, crashed attempt's);
   * false when another attempt holds the asset. Returns when it became previewable.
   */
  async markPreviewable(id: string, token: string, outputs: AssetOutputs): Promise<Date | null> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets
          SET preview_prefix = $3, preview_outputs = $4::jsonb, previewable_at = now(), updated_at = now()
        WHERE id = $1 AND attempt_token = $2 AND status = 'transcoding'
        RETURNING previewable_at`,
      [id, token, outputs.prefix, JSON.stringify(outputs)],
    );
    return rows[0] ? new Date(rows[0].previewable_at as string | Date) : null;
  }

  /**
   * The growing set's outputs again (the poster was added), keeping when it became previewable; that time, or
   * null when another attempt holds the asset or it is no longer transcoding.
   */
  async updatePreviewOutputs(id: string, token: string, outputs: AssetOutputs): Promise<Date | null> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets SET preview_outputs = $4::jsonb, updated_at = now()
        WHERE id = $1 AND attempt_token = $2 AND status = 'transcoding' AND preview_prefix = $3
        RETURNING previewable_at`,
      [id, token, outputs.prefix, JSON.stringify(outputs)],
    );
    return rows[0] ? new Date(rows[0].previewable_at as string | Date) : null;
  }

  /**
   * The one write that makes a published set live (and ends the preview); false when another attempt holds the
   * asset. The preview columns stay, naming the growing set still in storage, until clearPreview after its removal.
   */
  async markReady(id: string, token: string, fields: { outputs: AssetOutputs; durationSec: number }): Promise<boolean> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets
          SET status = 'ready', outputs = $3::jsonb, duration_sec = $4, progress_percent = 100, eta_seconds = NULL,
              ready_at = now(), updated_at = now()
        WHERE id = $1 AND attempt_token = $2 AND status = 'transcoding'
        RETURNING id`,
      [id, token, JSON.stringify(fields.outputs), fields.durationSec],
    );
    return rows.length > 0;
  }

  /**
   * Records a final failure unless the asset is already ready or failed. With a token, only while
   * that attempt still holds the asset. Returns the token of the attempt that failed, or null if nothing changed.
   * The preview columns stay until the growing sets are removed (clearPreview).
   */
  async markFailed(id: string, code: string, reason: string, token?: string): Promise<{ attemptToken: string | null } | null> {
    const rows: Row[] = await queryRows(
      this.db,
      `UPDATE media_assets
          SET status = 'failed', failure_code = $2, failure_reason = $3, eta_seconds = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'pending', 'transcoding')
          AND ($4::text IS NULL OR attempt_token = $4)
        RETURNING attempt_token`,
      [id, code, reason, token ?? null],
    );
    return rows[0] ? { attemptToken: (rows[0].attempt_token as string | null) ?? null } : null;
  }

  /**
   * After every growing set of a ready or failed asset was removed from storage: the asset names none any more.
   * Only a settled asset (no attempt publishes one); the upload service's media sweeper does the same for what a
   * stopped transcoder left behind, so either may go first.
   */
  async clearPreview(id: string): Promise<void> {
    await this.db.query(
      `UPDATE media_assets SET preview_prefix = NULL, preview_outputs = NULL, previewable_at = NULL
        WHERE id = $1 AND status IN ('ready', 'failed') AND preview_prefix IS NOT NULL`,
      [id],
    );
  }
}
