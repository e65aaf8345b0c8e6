import { createRequire } from 'node:module';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * s3rver 3.7 can initiate, upload parts of and complete a multipart upload, but refuses the rest of
 * the protocol that @tus/s3-store and a multipart copy use: ListParts, AbortMultipartUpload,
 * ListMultipartUploads and UploadPartCopy. This adds them over s3rver's own part store (the parts it
 * keeps in `<bucket>/…uploads/<uploadId>/<n>`), so the real S3 code paths run against it unchanged.
 */

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  status: number;
  body: unknown;
  store: S3rverStore;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, range?: { start: number; end: number }): Promise<{ content: Readable } | null>;
}
export interface S3rverApp {
  middleware: Middleware[];
}

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: object) => Error;

const noSuchUpload = (uploadId: string | undefined) =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    {
      UploadId: uploadId,
    },
  );

async function uploadDir(ctx: KoaContext, bucket: string, uploadId: string | undefined): Promise<string> {
  if (!uploadId || !/^[0-9a-f]+$/.test(uploadId)) throw noSuchUpload(uploadId);
  const dir = join(ctx.store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  if (!(await stat(dir).catch(() => null))) throw noSuchUpload(uploadId);
  return dir;
}

async function listParts(dir: string) {
  const names = (await readdir(dir)).filter((name) => /^\d+$/.test(name));
  const parts = await Promise.all(
    names.map(async (name) => {
      const [info, md5] = await Promise.all([stat(join(dir, name)), readFile(join(dir, `${name}.md5`), 'utf8')]);
      return { PartNumber: Number(name), ETag: JSON.stringify(md5), Size: info.size, LastModified: info.mtime.toISOString() };
    }),
  );
  return parts.sort((a, b) => a.PartNumber - b.PartNumber);
}

const handle: Middleware = async (ctx, next) => {
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = rest.map(decodeURIComponent).join('/');
  const { uploadId } = ctx.query;
  if (bucket && key && uploadId !== undefined) {
    if (ctx.method === 'GET') {
      const parts = await listParts(await uploadDir(ctx, bucket, uploadId));
      ctx.body = { ListPartsResult: { Bucket: bucket, Key: key, UploadId: uploadId, IsTruncated: false, Part: parts } };
      return;
    }
    if (ctx.method === 'DELETE') {
      await rm(await uploadDir(ctx, bucket, uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'PUT' && ctx.headers['x-amz-copy-source']) {
      await uploadDir(ctx, bucket, uploadId);
      const [sourceBucket, ...sourceKey] = decodeURI(ctx.headers['x-amz-copy-source'].replace(/^\//, '')).split('/');
      const range = /^bytes=(\d+)-(\d+)$/.exec(ctx.headers['x-amz-copy-source-range'] ?? '');
      const source = await ctx.store.getObject(
        sourceBucket,
        sourceKey.join('/'),
        range ? { start: Number(range[1]), end: Number(range[2]) } : undefined,
      );
      if (!source) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: sourceKey.join('/') });
      const { md5 } = await ctx.store.putPart(bucket, uploadId, Number(ctx.query.partNumber), source.content);
      ctx.body = { CopyPartResult: { ETag: JSON.stringify(md5), LastModified: new Date().toISOString() } };
      return;
    }
  }
  if (bucket && !key && ctx.method === 'GET' && ctx.query.uploads !== undefined) {
    const root = ctx.store.getResourcePath(bucket, undefined, 'uploads');
    const prefix = ctx.query.prefix ?? '';
    const uploads = [];
    for (const id of await readdir(root).catch(() => [] as string[])) {
      const uploadKey = await readFile(join(root, id, 'key'), 'utf8').catch(() => null);
      if (uploadKey === null || !uploadKey.startsWith(prefix)) continue;
      uploads.push({ Key: uploadKey, UploadId: id, Initiated: (await stat(join(root, id))).birthtime.toISOString() });
    }
    ctx.body = { ListMultipartUploadsResult: { Bucket: bucket, Prefix: prefix, IsTruncated: false, Upload: uploads } };
    return;
  }
  await next();
};

/** Installs the handlers in front of s3rver's router (its last middleware); call before `run()`. */
export function addMultipartOperations(app: S3rverApp): void {
  app.middleware.splice(app.middleware.length - 1, 0, handle);
}
