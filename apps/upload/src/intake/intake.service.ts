import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ProbeError, probeMedia } from '#media';
import { AssetsRepository } from '../assets/assets.repository.js';
import type { MediaAsset } from '../assets/media-asset.entity.js';
import { TranscodeQueue } from '../assets/transcode-queue.js';
import { UPLOAD_BACKEND, type UploadBackend } from '../tus/upload-backend.js';
import { ALLOWED_EXTENSIONS, extensionOf, sniffContainer } from './file-signature.js';

export const STORAGE = Symbol('STORAGE');

const NOT_MEDIA =
  'This file is not a video or audio file. Please upload a video (MP4, MOV, MKV, WebM, AVI, FLV, TS) or audio file (MP3, M4A, AAC, WAV, FLAC, OGG).';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * What happens to a finished upload: signature and hash checks, hardened probe, move into storage,
 * then the transcode job. Every step is recorded first, so a crash or a Redis outage loses nothing.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly assets: AssetsRepository,
    private readonly queue: TranscodeQueue,
    @Inject(UPLOAD_BACKEND) private readonly uploads: UploadBackend,
  ) {}

  /** Checks and records a finished upload; returns the asset's state afterwards. Never throws for bad media. */
  async intake(asset: MediaAsset, declaredSha256: string | null): Promise<void> {
    const extension = extensionOf(asset.originalName);
    if (!extension || !ALLOWED_EXTENSIONS.includes(extension)) {
      await this.assets.fail(asset.id, 'format_not_allowed', NOT_MEDIA);
      return;
    }
    // Before any download: a renamed web page is refused from its first 4 KiB.
    if (sniffContainer(await this.uploads.head(asset.uploadId, 4096)) === null) {
      await this.assets.fail(asset.id, 'not_media', NOT_MEDIA);
      return;
    }
    const work = await this.uploads.workFile(asset.uploadId);
    try {
      await this.checkAndStore(asset, extension, work.path, declaredSha256);
    } finally {
      await work.release();
    }
  }

  private async checkAndStore(asset: MediaAsset, extension: string, path: string, declaredSha256: string | null): Promise<void> {
    const sha256 = await sha256Of(path);
    if (declaredSha256 && declaredSha256.toLowerCase() !== sha256) {
      await this.assets.fail(
        asset.id,
        'checksum_mismatch',
        'The file arrived damaged (its checksum does not match the one your browser computed). Please upload it again.',
      );
      return;
    }
    let probe;
    try {
      probe = await probeMedia(path);
    } catch (error) {
      if (error instanceof ProbeError) {
        await this.assets.fail(asset.id, error.code, error.message);
        return;
      }
      throw error;
    }
    const sourceKey = `sources/${asset.id}/original.${extension}`;
    await this.uploads.store(asset.uploadId, path, sourceKey);
    const kind = probe.video ? 'video' : 'audio';
    if (!(await this.assets.markProbed(asset.id, { kind, probe, durationSec: probe.durationSec, sourceKey, sha256 }))) return;
    await this.enqueue({ ...asset, kind, durationSec: probe.durationSec, sourceKey } as MediaAsset);
  }

  /** Hands a pending asset to the queue; on a Redis failure it stays pending for the reconciler. */
  async enqueue(asset: Pick<MediaAsset, 'id' | 'kind' | 'durationSec' | 'sourceKey'>): Promise<boolean> {
    try {
      await this.queue.enqueue({ assetId: asset.id, sourceKey: asset.sourceKey!, kind: asset.kind!, durationSec: asset.durationSec ?? 0 });
    } catch (error) {
      this.logger.warn(`asset ${asset.id} waits as pending: the queue is unavailable (${(error as Error).message})`);
      return false;
    }
    await this.assets.transition(asset.id, ['pending'], { status: 'queued' });
    return true;
  }
}
