import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { ERRORS, type DataStore, type Locker } from '@tus/server';
import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Storage } from '#storage';

export const UPLOAD_BACKEND = Symbol('UPLOAD_BACKEND');

/** Where tus keeps uploads in the bucket: `uploads/<id>` (the file), `.info` (its metadata) and `.part` (a tail). */
export const BUCKET_UPLOAD_PREFIX = 'uploads/';

/** Where tus keeps uploads in progress, and how intake gets at a finished one. */
export interface UploadBackend {
  datastore: DataStore;
  /** Shared by every replica (S3), or undefined for tus's in-process default (local disk, one instance). */
  locker?: Locker;
  /** The first bytes of a finished upload, for the signature check before anything is downloaded or copied. */
  head(uploadId: string, bytes: number): Promise<Buffer>;
  /** A local file with the upload's bytes to hash and probe; `release` deletes it if it is a copy. */
  workFile(uploadId: string): Promise<{ path: string; release(): Promise<void> }>;
  /** Puts the finished upload into storage under `key`. */
  store(uploadId: string, localPath: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** Uploads on this machine's disk (UPLOAD_DIR): one upload instance, as before. */
export function localUploadBackend(uploadDir: string, storage: Storage, expiryHours: number): UploadBackend {
  const pathOf = (uploadId: string) => join(uploadDir, uploadId);
  return {
    datastore: new FileStore({ directory: uploadDir, expirationPeriodInMilliseconds: expiryHours * 3600_000 }),
    async head(uploadId, bytes) {
      const file = await open(pathOf(uploadId), 'r');
      try {
        const head = Buffer.alloc(bytes);
        const { bytesRead } = await file.read(head, 0, bytes, 0);
        return head.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    },
    workFile: async (uploadId) => ({ path: pathOf(uploadId), release: async () => undefined }),
    // A finished upload never changes again: linked into the store, not copied (the source is ready at once).
    store: (_uploadId, localPath, key) => storage.adoptFile(localPath, key),
    close: async () => undefined,
  };
}

/**
 * @tus/s3-store with its objects under `uploads/` in the media bucket, so a lifecycle rule or a listing
 * can tell them apart from published media. The store names objects by upload id; a client middleware
 * adds the prefix to every key it sends and takes it off the keys S3 lists back.
 */
export class BucketUploadStore extends S3Store {
  constructor(options: ConstructorParameters<typeof S3Store>[0]) {
    super({
      ...options,
      // As S3Storage: checksums only where S3 demands them. Otherwise the SDK sends aws-chunked bodies with
      // trailing checksums, which S3-compatible servers may store verbatim (a 3-byte tail became 44 bytes).
      s3ClientConfig: {
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...options.s3ClientConfig,
      },
    });
    const prefixed = (key: unknown) => (typeof key === 'string' ? BUCKET_UPLOAD_PREFIX + key : key);
    const unprefixed = (key: unknown) =>
      typeof key === 'string' && key.startsWith(BUCKET_UPLOAD_PREFIX) ? key.slice(BUCKET_UPLOAD_PREFIX.length) : key;
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; Prefix?: string; Delete?: { Objects?: { Key?: string }[] } };
        input.Key = prefixed(input.Key) as string | undefined;
        for (const object of input.Delete?.Objects ?? []) object.Key = prefixed(object.Key) as string;
        const listing = context.commandName === 'ListMultipartUploadsCommand';
        if (listing) input.Prefix = BUCKET_UPLOAD_PREFIX;
        const result = await next(args);
        if (listing) {
          const output = result.output as { Uploads?: { Key?: string }[]; NextKeyMarker?: string };
          for (const upload of output.Uploads ?? []) upload.Key = unprefixed(upload.Key) as string;
          output.NextKeyMarker = unprefixed(output.NextKeyMarker) as string | undefined;
        }
        return result;
      },
      { step: 'initialize', name: 'lecternUploadPrefix' },
    );
  }

  /** Closes the S3 client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  /**
   * S3Store.remove aborts the multipart upload first and gives up when there is none, which is the case once
   * the upload finished: the completed object and its .info would stay. Here they go in every case.
   */
  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) throw error;
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true },
    });
  }
}

export interface BucketBackendOptions {
  s3: {
    bucket: string;
    region: string;
    endpoint?: string;
    forcePathStyle: boolean;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  storage: Storage;
  locker: Locker;
  /** Scratch space for intake's work copy of a finished upload. */
  workDir: string;
  expiryHours: number;
  /** Called on close, e.g. to end the locker's Redis subscription. */
  onClose?: () => Promise<void>;
}

/** Uploads in the bucket (STORAGE_DRIVER=s3), locked through Redis: any replica continues any upload. */
export function bucketUploadBackend(options: BucketBackendOptions): UploadBackend {
  const { s3, storage } = options;
  const keyOf = (uploadId: string) => `${BUCKET_UPLOAD_PREFIX}${uploadId}`;
  const datastore = new BucketUploadStore({
    s3ClientConfig: s3,
    expirationPeriodInMilliseconds: options.expiryHours * 3600_000,
    // Expiry is swept by the service (deleteExpired), not by bucket lifecycle rules on tags.
    useTags: false,
  });
  return {
    datastore,
    locker: options.locker,
    async head(uploadId, bytes) {
      const stored = await storage.stat(keyOf(uploadId));
      if (!stored || stored.size === 0) return Buffer.alloc(0);
      return buffer(storage.read(keyOf(uploadId), { start: 0, end: Math.min(bytes, stored.size) - 1 }));
    },
    async workFile(uploadId) {
      const dir = join(options.workDir, randomUUID());
      const path = await storage.localPath(keyOf(uploadId), dir);
      return { path, release: () => rm(dir, { recursive: true, force: true }) };
    },
    // Server-side: the bytes are already in the bucket.
    store: (uploadId, _localPath, key) => storage.copy(keyOf(uploadId), key),
    async close() {
      datastore.destroy();
      await options.onClose?.();
    },
  };
}
