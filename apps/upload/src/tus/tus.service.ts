import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Server, EVENTS, type Upload } from '@tus/server';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '#auth';
import { describeDatabaseError } from '#platform';
import { AssetsRepository } from '../assets/assets.repository.js';
import { IntakeService } from '../intake/intake.service.js';
import { ALLOWED_EXTENSIONS, extensionOf } from '../intake/file-signature.js';
import { isMaterialUpload } from '../materials/material-metadata.js';
import { MaterialUploadsService } from '../materials/material-uploads.service.js';
import { UPLOAD_BACKEND, type UploadBackend } from './upload-backend.js';

export const UPLOAD_LIMITS = Symbol('UPLOAD_LIMITS');
export interface UploadLimits {
  maxBytes: number;
  expiryHours: number;
}

type NodeBacked = { runtime?: { node?: { req: IncomingMessage & { principal?: Principal } } } };
const principalOf = (req: unknown): Principal => {
  const principal = (req as NodeBacked).runtime?.node?.req.principal;
  if (!principal) throw { status_code: 401, body: 'Sign in first.\n' };
  return principal;
};

/** Keeps a client-supplied name printable and short; it is only ever shown, never used as a path. */
export function displayName(raw: string | null | undefined): string {
  const cleaned = (raw ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f/\\]+/g, ' ')
    .trim()
    .slice(0, 200);
  return cleaned || 'upload';
}

/** tus 1.0 resumable uploads on @tus/server, tied to media asset rows and to their owner. */
@Injectable()
export class TusService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TusService.name);
  readonly server: Server;
  private cleanup?: NodeJS.Timeout;

  constructor(
    private readonly assets: AssetsRepository,
    private readonly intake: IntakeService,
    @Inject(UPLOAD_BACKEND) private readonly backend: UploadBackend,
    @Inject(UPLOAD_LIMITS) private readonly limits: UploadLimits,
    private readonly materials: MaterialUploadsService,
  ) {
    this.server = new Server({
      path: '/files',
      datastore: backend.datastore,
      // With S3 the lock lives in Redis, so a PATCH on one replica and a HEAD or PATCH on another never overlap.
      ...(backend.locker ? { locker: backend.locker } : {}),
      maxSize: limits.maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: true,
      disableTerminationForFinishedUploads: true,
      // Storage names are ours, never the client's file name.
      namingFunction: () => randomUUID(),
      onUploadCreate: async (req, upload) => this.beforeCreate(req, upload),
      onUploadFinish: async (_req, upload) => this.afterFinish(upload),
      onResponseError: (req, error) => this.answerFor(req, error),
    });
    this.server.on(EVENTS.POST_TERMINATE, (_req, _res, id) => {
      void this.assets.findByUploadId(id).then((asset) => asset && this.assets.fail(asset.id, 'cancelled', 'The upload was cancelled.'));
    });
  }

  onModuleInit(): void {
    this.cleanup = setInterval(() => void this.purgeExpired(), 3600_000);
    this.cleanup.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.cleanup);
    await this.backend.close();
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.server.handle(req, res);
  }

  /** Expired, unfinished uploads are deleted and their assets say why. */
  async purgeExpired(): Promise<number> {
    const count = await this.server.cleanUpExpiredUploads();
    await this.assets.failUnfinishedOlderThan(
      this.limits.expiryHours,
      'The upload was not finished in time. Please upload the file again.',
    );
    return count;
  }

  /**
   * tus answers its own errors (they never reach Nest's filter): its 4xx stand, PostgreSQL's refusals of bad
   * data become 400/409 with a sentence, and anything else a 500 that names no internals, its stack logged.
   */
  private answerFor(req: Request, error: Error | { status_code: number; body: string }) {
    if ('status_code' in error && error.status_code < 500) return undefined;
    const mapped = describeDatabaseError(error);
    if (mapped) return { status_code: mapped.status, body: `${mapped.message}\n` };
    this.logger.error(
      `${req.method} ${new URL(req.url).pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : error.body}`,
    );
    return { status_code: 500, body: 'The upload service has a problem right now. Please try again later.\n' };
  }

  private async beforeCreate(req: unknown, upload: Upload) {
    const principal = principalOf(req);
    if (isMaterialUpload(upload.metadata)) return this.materials.beforeCreate(principal, upload);
    const name = displayName(upload.metadata?.filename ?? upload.metadata?.name);
    const extension = extensionOf(name);
    if (!extension || !ALLOWED_EXTENSIONS.includes(extension)) {
      throw {
        status_code: 415,
        body: `"${name}" is not a file type we accept. Upload a video (${'mp4, mov, mkv, webm, avi, flv, ts'}) or audio file (mp3, m4a, aac, wav, flac, ogg).\n`,
      };
    }
    if (upload.size === undefined) {
      throw { status_code: 400, body: 'Upload-Length is required: the size of the file must be known when the upload starts.\n' };
    }
    await this.assets.createUploading({
      ownerId: principal.userId,
      uploadId: upload.id,
      originalName: name,
      // eslint-disable-next-line no-control-regex -- a NUL or control character is no part of a media type
      declaredType: upload.metadata?.filetype?.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100) || null,
      sizeBytes: upload.size,
    });
    return { metadata: { ...upload.metadata, filename: name } };
  }

  private async afterFinish(upload: Upload) {
    if (isMaterialUpload(upload.metadata)) return this.materials.afterFinish(upload);
    const asset = await this.assets.findByUploadId(upload.id);
    if (!asset) return {};
    // Recorded before the 204, so an acknowledged upload is never lost even if intake dies.
    await this.assets.transition(asset.id, ['uploading'], { status: 'uploaded', receivedBytes: upload.size ?? upload.offset });
    const declared = upload.metadata?.sha256 ?? null;
    this.intake
      .intake({ ...asset, status: 'uploaded' }, declared)
      .then(() => this.server.datastore.remove(upload.id))
      .catch((error: unknown) => this.logger.error(`intake of asset ${asset.id} failed; the reconciler will retry: ${String(error)}`));
    return { headers: { 'Lectern-Asset-Id': asset.id } };
  }
}
