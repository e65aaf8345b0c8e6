import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProbeError, probeMedia } from '#media';
import type { Storage } from '#storage';
import { AssetsRepository } from '../assets/assets.repository.js';
import type { MediaAsset } from '../assets/media-asset.entity.js';
import { TranscodeQueue } from '../assets/transcode-queue.js';
import { ALLOWED_EXTENSIONS, extensionOf, sniffContainer } from './file-signature.js';

export const STORAGE = Symbol('STORAGE');
export const UPLOAD_DIR = Symbol('UPLOAD_DIR');

const NOT_MEDIA =
  'This file is not a video or audio file. Please upload a video (MP4, MOV, MKV, WebM, AVI, FLV, TS) or audio file (MP3, M4A, AAC, WAV, FLAC, OGG).';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function headOf(path: string, bytes = 4096): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
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
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(UPLOAD_DIR) private readonly uploadDir: string,
  ) {}

  uploadedFilePath(uploadId: string): string {
    return join(resolve(this.uploadDir), uploadId);
  }

  /** Checks and records a finished upload; returns the asset's state afterwards. Never throws for bad media. */
  async intake(asset: MediaAsset, declaredSha256: string | null): Promise<void> {
    const path = this.uploadedFilePath(asset.uploadId);
    const extension = extensionOf(asset.originalName);
    if (!extension || !ALLOWED_EXTENSIONS.includes(extension)) {
      await this.assets.fail(asset.id, 'format_not_allowed', NOT_MEDIA);
      return;
    }
    if (sniffContainer(await headOf(path)) === null) {
      await this.assets.fail(asset.id, 'not_media', NOT_MEDIA);
      return;
    }
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
    await this.storage.putFile(path, sourceKey);
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
