import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DueSweep {
  assetId: string;
  /** When the row was queued (PostgreSQL's text, to the microsecond); the row goes only if nobody queued it again since. */
  queuedAt: string;
}

const IN_FLIGHT = ['uploading', 'uploaded', 'pending', 'queued', 'transcoding'];

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
}
