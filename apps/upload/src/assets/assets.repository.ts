import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { MediaKind } from '#contracts';
import type { MediaProbe } from '#media';
import { MediaAsset, type AssetStatus } from './media-asset.entity.js';

/** Every write to media_assets from the upload side; each move between states is conditional on the current state. */
@Injectable()
export class AssetsRepository {
  constructor(@InjectRepository(MediaAsset) private readonly assets: Repository<MediaAsset>) {}

  findById(id: string): Promise<MediaAsset | null> {
    return this.assets.findOneBy({ id });
  }

  findByUploadId(uploadId: string): Promise<MediaAsset | null> {
    return this.assets.findOneBy({ uploadId });
  }

  listByOwner(ownerId: string, limit: number): Promise<MediaAsset[]> {
    return this.assets.find({ where: { ownerId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async createUploading(input: {
    ownerId: string;
    uploadId: string;
    originalName: string;
    declaredType: string | null;
    sizeBytes: number;
  }) {
    return this.assets.save(this.assets.create({ ...input, status: 'uploading', receivedBytes: 0, progressPercent: 0 }));
  }

  /** Moves the asset from one state to the next only if it is still in `from`; false when someone else moved it. */
  async transition(id: string, from: AssetStatus[], changes: Partial<MediaAsset> & { status: AssetStatus }): Promise<boolean> {
    const result = await this.assets
      .createQueryBuilder()
      .update(MediaAsset)
      .set(changes)
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  markProbed(id: string, fields: { kind: MediaKind; probe: MediaProbe; durationSec: number; sourceKey: string; sha256: string }) {
    return this.transition(id, ['uploaded'], { status: 'pending', ...fields });
  }

  fail(id: string, code: string, reason: string) {
    return this.transition(id, ['uploading', 'uploaded', 'pending'], { status: 'failed', failureCode: code, failureReason: reason });
  }

  /** Claims an asset stuck in `uploaded` (its intake died with a process), so one instance redoes it. */
  async claimStaleUploaded(staleSeconds: number, limit: number): Promise<string[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
    const [rows]: [Array<{ id: string }>, number] = await this.assets.query(
      `UPDATE media_assets SET updated_at = now()
        WHERE id IN (SELECT id FROM media_assets WHERE status = 'uploaded' AND updated_at < now() - make_interval(secs => $1)
                      ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [staleSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  async failUnfinishedOlderThan(hours: number, reason: string): Promise<void> {
    await this.assets.query(
      `UPDATE media_assets SET status = 'failed', failure_code = 'expired', failure_reason = $2, updated_at = now()
        WHERE status = 'uploading' AND created_at < now() - make_interval(hours => $1)`,
      [hours, reason],
    );
  }

  findPending(limit: number): Promise<MediaAsset[]> {
    return this.assets.find({ where: { status: 'pending' }, order: { updatedAt: 'ASC' }, take: limit });
  }
}
