import { FileStore } from '@tus/file-store';
import type { DataStore, Locker } from '@tus/server';
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

/**
 * Uploads in the bucket (STORAGE_DRIVER=s3), locked through Redis: any replica continues any upload. The S3
 * store (and the AWS SDK with it) is loaded here, so a service on local disk never spends its start-up on it.
 */
export async function bucketUploadBackend(options: BucketBackendOptions): Promise<UploadBackend> {
  const { BucketUploadStore } = await import('./bucket-upload-store.js');
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
