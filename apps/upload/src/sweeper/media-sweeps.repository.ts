import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DueSweep {
  assetId: string;
  /** When the row was queued (PostgreSQL's text, to the microsecond); the row goes only if nobody queued it again since. */
  queuedAt: string;
}

const IN_FLIGHT = ['uploading', 'uploaded', 'pending', 'queued', 'transcoding'];

/** An asset whose stored growing (preview) sets may hold some no player needs any more, as read at one moment. */
export interface PreviewCandidate {
  assetId: string;
  /**
   * `settled`: ready past the retention since ready, or failed: none of its growing sets is needed. `in-flight`:
   * still being encoded, its current preview older than the retention: only the sets it replaced are not needed.
   */
  state: 'settled' | 'in-flight';
  previewPrefix: string;
  attemptToken: string | null;
}

/** Which assets' growing sets may go ($1: the retention in seconds, $2: the in-flight statuses). */
const PREVIEW_CANDIDATE = `a.preview_prefix IS NOT NULL
   AND (a.status = 'failed'
        OR (a.status = 'ready' AND coalesce(a.ready_at, a.updated_at) <= now() - make_interval(secs => $1))
        OR (a.status = ANY($2) AND a.previewable_at <= now() - make_interval(secs => $1)))`;

const previewCandidate = (row: { id: string; status: string; preview_prefix: string; attempt_token: string | null }): PreviewCandidate => ({
  assetId: row.id,
  state: row.status === 'ready' || row.status === 'failed' ? 'settled' : 'in-flight',
  previewPrefix: row.preview_prefix,
  attemptToken: row.attempt_token,
});

/** media_sweeps: what the lectures trigger recorded as no longer played, and the sweepers' claims on it. */
@Injectable()
export class MediaSweepsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims up to `limit` rows older than the grace period whose asset no lecture (archived ones included) plays
   * and no transcode is still writing, for `claimMinutes`; other sweepers skip them meanwhile.
   */
  async claimDue(graceMinutes: number, claimMinutes: number, limit: number): Promise<DueSweep[]> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, count].
    const [rows]: [Array<{ asset_id: string; queued_at: string }>, number] = await this.db.query(
      `UPDATE media_sweeps s SET claimed_until = now() + make_interval(mins => $2), attempts = s.attempts + 1
        WHERE s.asset_id IN (
          SELECT d.asset_id FROM media_sweeps d
           WHERE d.queued_at <= now() - make_interval(mins => $1)
             AND (d.claimed_until IS NULL OR d.claimed_until < now())
             AND NOT EXISTS (SELECT 1 FROM lectures l WHERE l.asset_id = d.asset_id)
             AND NOT EXISTS (SELECT 1 FROM media_assets a WHERE a.id = d.asset_id AND a.status = ANY($4))
           ORDER BY d.queued_at
           LIMIT $3
             FOR UPDATE SKIP LOCKED)
        RETURNING s.asset_id, s.queued_at::text`,
      [graceMinutes, claimMinutes, limit, IN_FLIGHT],
    );
    return rows.map((row) => ({ assetId: row.asset_id, queuedAt: row.queued_at }));
  }

  /** Done: the row goes, unless the asset was queued again (its files may have come back) since the claim. */
  async finish(sweep: DueSweep): Promise<void> {
    await this.db.query(`DELETE FROM media_sweeps WHERE asset_id = $1 AND queued_at = $2::timestamptz`, [sweep.assetId, sweep.queuedAt]);
  }

  /** Failed: kept, with the reason, and tried again after a pause that grows with the attempts (at most an hour). */
  async failed(sweep: DueSweep, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE media_sweeps SET last_error = left($2, 1000), claimed_until = now() + make_interval(mins => least(60, attempts * 5))
        WHERE asset_id = $1`,
      [sweep.assetId, reason],
    );
  }

  /**
   * Up to `limit` assets, in id order after `after`, that name a growing set (media_assets.preview_prefix) and may
   * have some no player needs: failed, ready for longer than `retentionSec`, or still encoding with a current
   * preview older than that (the sets it replaced go).
   */
  async previewCandidates(retentionSec: number, after: string | null, limit: number): Promise<PreviewCandidate[]> {
    const rows: Array<{ id: string; status: string; preview_prefix: string; attempt_token: string | null }> = await this.db.query(
      `SELECT a.id, a.status, a.preview_prefix, a.attempt_token FROM media_assets a
        WHERE ${PREVIEW_CANDIDATE} AND ($3::uuid IS NULL OR a.id > $3::uuid)
        ORDER BY a.id LIMIT $4`,
      [retentionSec, IN_FLIGHT, after, limit],
    );
    return rows.map(previewCandidate);
  }

  /** The asset as a candidate now, or null when it is not one any more. */
  async previewCandidate(assetId: string, retentionSec: number): Promise<PreviewCandidate | null> {
    const rows: Array<{ id: string; status: string; preview_prefix: string; attempt_token: string | null }> = await this.db.query(
      `SELECT a.id, a.status, a.preview_prefix, a.attempt_token FROM media_assets a WHERE a.id = $3 AND ${PREVIEW_CANDIDATE}`,
      [retentionSec, IN_FLIGHT, assetId],
    );
    return rows[0] ? previewCandidate(rows[0]) : null;
  }

  /**
   * A settled asset's growing sets are removed: it names none any more. Only while it still names `prefix` and is
   * ready or failed (the transcoder clears the same columns after its own removal; either may go first).
   */
  async clearPreview(assetId: string, prefix: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE media_assets SET preview_prefix = NULL, preview_outputs = NULL, previewable_at = NULL
        WHERE id = $1 AND preview_prefix = $2 AND status IN ('ready', 'failed')
        RETURNING id`,
      [assetId, prefix],
    );
    return rows.length > 0;
  }
}
