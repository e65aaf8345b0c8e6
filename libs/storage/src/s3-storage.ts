import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, type Storage, type StoredObject } from './storage.js';

/**
 * The AWS SDK takes a noticeable part of a process's start-up to load, and only S3 storage needs it: it is
 * loaded when the first S3Storage is made (the client is made at once, hence `require`; the SDK is CommonJS,
 * the same module an `import` of it gets), and lib-storage when the first multipart upload starts.
 */
const require = createRequire(import.meta.url);
let s3Sdk: typeof S3Sdk | undefined;
const loadS3Sdk = () => (s3Sdk ??= require('@aws-sdk/client-s3') as typeof S3Sdk);
let libStorage: Promise<typeof LibStorage> | undefined;
const loadLibStorage = () => (libStorage ??= import('@aws-sdk/lib-storage'));

/** The largest object one PutObject or CopyObject may carry (S3 rejects anything bigger); larger ones go in parts. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;
/** S3's bounds on a multipart upload: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000 of them. */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
const MAX_PARTS = 10_000;
/**
 * Defaults: objects above 64 MiB go in 16 MiB parts, 4 in flight (about 64 MiB of memory per upload); a 20 GiB
 * upload is 1,280 parts, well within S3's 10,000, and a failed part costs little to send again.
 */
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 64 * 1024 ** 2;
export const DEFAULT_PART_BYTES = 16 * 1024 ** 2;

/** The object whose presence makes a published set visible; it is written after every file of the set. */
export const PUBLISHED_MARKER = '.published';

/**
 * The published set a key belongs to, by convention: published sets live at `media/<asset>/<token>`,
 * so for `media/<asset>/<token>/<file…>` it is the first three segments. Other keys (`sources/…`,
 * `covers/…`, written by putFile as one object) belong to no set and need no marker.
 */
export function publishedSetOf(key: string): string | null {
  const parts = key.split('/');
  return parts[0] === 'media' && parts.length >= 4 ? parts.slice(0, 3).join('/') : null;
}

const markerOf = (set: string) => `${set}/${PUBLISHED_MARKER}`;
const isMarker = (key: string) => {
  const set = publishedSetOf(key);
  return set !== null && key === markerOf(set);
};

export interface S3StorageOptions {
  bucket: string;
  /** Defaults to us-east-1. */
  region?: string;
  /** For S3-compatible servers (MinIO, Ceph, s3rver…); AWS itself needs none. */
  endpoint?: string;
  /** Bucket in the path instead of the host name; most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  /** Static keys; without them the SDK's default chain (environment, profile, instance role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** How long a marker lookup is trusted, in ms: found (sets never change once published) and not found. */
  markerCacheMs?: { published: number; unpublished: number };
  /** Keys per ListObjectsV2 / DeleteObjects request (S3's maximum, 1000, by default). */
  pageSize?: number;
  /** Files uploaded at once by publishDirectory. */
  uploadConcurrency?: number;
  /** Objects larger than this are uploaded or copied in parts (never above 5 GiB, S3's single-request limit). */
  multipartThresholdBytes?: number;
  /** The preferred part size (at least 5 MiB); grown when an object would need more than 10,000 parts. */
  partSizeBytes?: number;
}

/** Files up to this size are uploaded from memory, so the SDK can retry the request on its own. */
const BUFFERED_UPLOAD_BYTES = 16 * 1024 ** 2;
const MARKER_CACHE_LIMIT = 10_000;

class StorageNotFoundError extends Error {
  readonly code = 'ENOENT';
  constructor(key: string) {
    super(`Not in storage: ${key}`);
    this.name = 'StorageNotFoundError';
  }
}

const isNotFound = (error: unknown) =>
  error instanceof loadS3Sdk().S3ServiceException &&
  (error.$metadata?.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey');

/**
 * Storage in an S3 bucket. S3 has no atomic rename, so publishDirectory uploads every file and then
 * writes `<prefix>/.published`; stat, read, localPath and list ignore sets without that marker, so
 * readers never see half a set. removePrefix deletes markers first for the same reason.
 */
export class S3Storage implements Storage {
  readonly client: S3Sdk.S3Client;
  readonly bucket: string;
  private readonly aws: typeof S3Sdk;
  private readonly markerCacheMs: { published: number; unpublished: number };
  private readonly pageSize: number;
  private readonly uploadConcurrency: number;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private readonly markers = new Map<string, { published: Promise<boolean>; until: number }>();

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.markerCacheMs = options.markerCacheMs ?? { published: 10_000, unpublished: 1000 };
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    this.uploadConcurrency = Math.max(1, options.uploadConcurrency ?? 8);
    this.multipartThreshold = Math.min(MAX_SINGLE_PUT_BYTES, options.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES);
    this.partSize = Math.min(MAX_SINGLE_PUT_BYTES, Math.max(MIN_PART_BYTES, options.partSizeBytes ?? DEFAULT_PART_BYTES));
    this.aws = loadS3Sdk();
    this.client = new this.aws.S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // Checksums only where S3 demands them: many S3-compatible servers store the newer default
      // (aws-chunked bodies with trailing checksums) verbatim or reject it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async putFile(localPath: string, key: string): Promise<void> {
    assertSafeKey(key);
    if (isMarker(key)) throw new Error(`Refusing to write the publication marker ${key} as a file`);
    const { size } = await stat(localPath);
    await this.upload(localPath, key, size);
  }

  /** Objects have no links: the same upload as `putFile`. */
  adoptFile(localPath: string, key: string): Promise<void> {
    return this.putFile(localPath, key);
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    assertSafeKey(fromKey);
    assertSafeKey(toKey);
    if (isMarker(toKey)) throw new Error(`Refusing to write the publication marker ${toKey} as a copy`);
    const head = await this.client.send(new this.aws.HeadObjectCommand({ Bucket: this.bucket, Key: fromKey })).catch((error: unknown) => {
      throw isNotFound(error) ? new StorageNotFoundError(fromKey) : error;
    });
    const size = head.ContentLength ?? 0;
    const source = `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
    if (size <= this.multipartThreshold) {
      await this.client.send(new this.aws.CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: source }));
      return;
    }
    // Above 5 GiB CopyObject is refused: the copy is made of server-side ranges (UploadPartCopy), no byte passes here.
    const { UploadId } = await this.client.send(
      new this.aws.CreateMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, ContentType: head.ContentType }),
    );
    try {
      const partSize = this.partSizeFor(size);
      const ranges = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({
        PartNumber: i + 1,
        start: i * partSize,
        end: Math.min(size, (i + 1) * partSize) - 1,
      }));
      const parts: { PartNumber: number; ETag: string }[] = [];
      await eachLimit(ranges, this.uploadConcurrency, async ({ PartNumber, start, end }) => {
        const result = await this.client.send(
          new this.aws.UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: toKey,
            UploadId,
            PartNumber,
            CopySource: source,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ PartNumber, ETag: result.CopyPartResult!.ETag! });
      });
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      await this.client.send(
        new this.aws.CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, UploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (error) {
      await this.client
        .send(new this.aws.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  async publishDirectory(localDir: string, prefix: string): Promise<void> {
    assertSafeKey(prefix);
    if (publishedSetOf(`${prefix}/x`) !== prefix) {
      throw new Error(`S3Storage publishes only at media/<asset>/<token>, where readers look for the marker; got ${prefix}`);
    }
    const entries = await readdir(localDir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        const key = `${prefix}/${relative(localDir, path).split('\\').join('/')}`;
        assertSafeKey(key);
        if (isMarker(key)) throw new Error(`${localDir} contains ${PUBLISHED_MARKER}, the name of the publication marker`);
        return { path, key };
      });
    // Leftovers of an earlier attempt at this prefix that crashed before its marker.
    await this.removePrefix(prefix);
    try {
      await eachLimit(files, this.uploadConcurrency, async ({ path, key }) => {
        const { size } = await stat(path);
        await this.upload(path, key, size);
      });
      // Last: from here on readers see the whole set.
      await this.client.send(
        new this.aws.PutObjectCommand({
          Bucket: this.bucket,
          Key: markerOf(prefix),
          Body: JSON.stringify({ files: files.length, publishedAt: new Date().toISOString() }),
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      await this.removePrefix(prefix).catch(() => undefined);
      throw error;
    } finally {
      this.markers.delete(prefix);
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertSafeKey(key);
    if (isMarker(key)) return null;
    const set = publishedSetOf(key);
    const [published, head] = await Promise.all([
      set ? this.isPublished(set) : true,
      this.client.send(new this.aws.HeadObjectCommand({ Bucket: this.bucket, Key: key })).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      }),
    ]);
    if (!published || !head) return null;
    return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    assertSafeKey(key);
    const out = new PassThrough();
    const abort = new AbortController();
    // A reader that gives up early (a closed HTTP connection) should not leave the download running.
    out.once('close', () => {
      if (!out.writableFinished) abort.abort();
    });
    this.open(key, range, abort.signal)
      .then((body) => pipeline(body, out))
      .catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  async localPath(key: string, scratchDir: string): Promise<string> {
    assertSafeKey(key);
    await mkdir(scratchDir, { recursive: true });
    const target = join(scratchDir, basename(key));
    const partial = `${target}.${randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(await this.open(key), createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return target;
  }

  async removePrefix(prefix: string): Promise<void> {
    assertSafeKey(prefix);
    const keys = await this.listAll(`${prefix}/`);
    // Markers first: a set disappears for readers at once rather than file by file.
    const markers = keys.filter(isMarker);
    const rest = [prefix, ...keys.filter((key) => !isMarker(key))];
    for (const batch of [...chunk(markers, this.pageSize), ...chunk(rest, this.pageSize)]) {
      const result = await this.client.send(
        new this.aws.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = (result.Errors ?? []).filter((error) => error.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        throw new Error(
          `Could not delete ${failed.length} objects under ${prefix}: ${failed[0].Key} (${failed[0].Code} ${failed[0].Message})`,
        );
      }
    }
    for (const set of this.markers.keys()) {
      if (set === prefix || set.startsWith(`${prefix}/`)) this.markers.delete(set);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertSafeKey(prefix);
    const keys = await this.listAll(`${prefix}/`);
    const markersListed = new Set(keys.filter(isMarker).map((key) => publishedSetOf(key)));
    const visible: string[] = [];
    for (const key of keys) {
      const set = publishedSetOf(key);
      if (set === null) visible.push(key);
      else if (isMarker(key)) continue;
      else if (markersListed.has(set)) visible.push(key);
      // The listing covers the whole set, so its marker would have been in it.
      else if (set === prefix || set.startsWith(`${prefix}/`)) continue;
      else if (await this.isPublished(set)) visible.push(key);
    }
    return visible.sort();
  }

  /** Sets under `prefix` with files but no marker: publishes that crashed midway, for a sweeper to remove. */
  async unpublishedSets(prefix: string): Promise<string[]> {
    assertSafeKey(prefix);
    const keys = await this.listAll(`${prefix}/`);
    const published = new Set(keys.filter(isMarker).map((key) => publishedSetOf(key)));
    const sets = new Set(keys.map(publishedSetOf).filter((set): set is string => set !== null && !published.has(set)));
    return [...sets].sort();
  }

  /** Closes the SDK's connections. */
  destroy(): void {
    this.client.destroy();
  }

  /** The object's body, once its set (if any) is known to be published. */
  private async open(key: string, range?: { start: number; end: number }, signal?: AbortSignal): Promise<Readable> {
    const set = publishedSetOf(key);
    if (isMarker(key) || (set && !(await this.isPublished(set)))) throw new StorageNotFoundError(key);
    try {
      const result = await this.client.send(
        new this.aws.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        { abortSignal: signal },
      );
      if (!result.Body) throw new Error(`S3 returned no body for ${key}`);
      return result.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new StorageNotFoundError(key);
      throw error;
    }
  }

  private async upload(path: string, key: string, size: number): Promise<void> {
    if (size > this.multipartThreshold) {
      // lib-storage sends the parts (a few at a time, each retried on its own) and aborts the upload on failure,
      // so no orphaned parts are left to be billed.
      const { Upload } = await loadLibStorage();
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: createReadStream(path) },
        partSize: this.partSizeFor(size),
        queueSize: 4,
        leavePartsOnError: false,
      }).done();
      return;
    }
    const body = size <= BUFFERED_UPLOAD_BYTES ? await readFile(path) : createReadStream(path);
    await this.client.send(new this.aws.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: size }));
  }

  /** The configured part size, or the smallest that keeps `size` within S3's 10,000 parts. */
  private partSizeFor(size: number): number {
    return Math.max(this.partSize, Math.ceil(size / MAX_PARTS));
  }

  /** Whether `<set>/.published` exists; cached briefly, as players ask for a segment every few seconds. */
  private isPublished(set: string): Promise<boolean> {
    const cached = this.markers.get(set);
    if (cached && cached.until > Date.now()) return cached.published;
    const published = this.client.send(new this.aws.HeadObjectCommand({ Bucket: this.bucket, Key: markerOf(set) })).then(
      () => true,
      (error: unknown) => {
        if (isNotFound(error)) return false;
        this.markers.delete(set);
        throw error;
      },
    );
    if (this.markers.size >= MARKER_CACHE_LIMIT) this.markers.clear();
    // Until the answer arrives, concurrent lookups share it; then it is trusted for its time.
    const entry = { published, until: Infinity };
    this.markers.set(set, entry);
    published.then(
      (found) => {
        entry.until = Date.now() + (found ? this.markerCacheMs.published : this.markerCacheMs.unpublished);
      },
      () => undefined,
    );
    return published;
  }

  /** Every key under `prefix`, markers and unpublished sets included. */
  private async listAll(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new this.aws.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.pageSize }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs `fn` over `items`, at most `limit` at a time. The first failure stops new work and is thrown
 * once the calls in flight have settled, so a clean-up afterwards does not race them.
 */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
