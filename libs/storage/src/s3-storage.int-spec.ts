import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { startS3Server, type S3TestServer } from '../../../test/support/s3-server.js';
import { createStorage, storageEnvSchema } from './create-storage.js';
import { S3Storage, type S3StorageOptions } from './s3-storage.js';

let server: S3TestServer;
let dir: string;
let storage: S3Storage;
let buckets = 0;
const opened: S3Storage[] = [];

/** A driver on a fresh, empty bucket of the shared server. */
async function s3Storage(options: Partial<S3StorageOptions> = {}): Promise<S3Storage> {
  const made = new S3Storage({
    bucket: `test-${++buckets}`,
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    forcePathStyle: true,
    ...options,
  });
  opened.push(made);
  await made.client.send(new CreateBucketCommand({ Bucket: made.bucket }));
  return made;
}

/** Every object in the bucket, markers and unpublished sets included. */
async function rawKeys(of: S3Storage): Promise<string[]> {
  const page = await of.client.send(new ListObjectsV2Command({ Bucket: of.bucket }));
  return (page.Contents ?? []).map((object) => object.Key!).sort();
}

/** The names of the commands the driver sends from now on, in order. */
function sentCommands(of: S3Storage): string[] {
  const names: string[] = [];
  of.client.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize' },
  );
  return names;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The transcoder's output folder: a playlist and one segment. */
async function outputFolder(name = 'out'): Promise<string> {
  const out = join(dir, name);
  await mkdir(join(out, '720p'), { recursive: true });
  await writeFile(join(out, 'master.m3u8'), '#EXTM3U\n');
  await writeFile(join(out, '720p', 'seg.m4s'), '0123456789');
  return out;
}

/** What a publish that crashed before its marker leaves behind: the files, no marker. */
async function crashedPublish(of: S3Storage, prefix: string, files: Record<string, string>): Promise<void> {
  for (const [name, body] of Object.entries(files)) {
    await of.client.send(new PutObjectCommand({ Bucket: of.bucket, Key: `${prefix}/${name}`, Body: body }));
  }
}

beforeAll(async () => {
  server = await startS3Server();
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-s3-storage-'));
  storage = await s3Storage();
});
afterEach(async () => {
  for (const made of opened.splice(0)) made.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('S3Storage', () => {
  it('publishes a folder under a prefix and reads it back, whole and by range', async () => {
    await storage.publishDirectory(await outputFolder(), 'media/a1/v1');
    expect(await storage.list('media/a1')).toEqual(['media/a1/v1/720p/seg.m4s', 'media/a1/v1/master.m3u8']);
    expect(await storage.list('media/a1/v1/720p')).toEqual(['media/a1/v1/720p/seg.m4s']);
    expect(await text(storage.read('media/a1/v1/720p/seg.m4s', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(storage.read('media/a1/v1/master.m3u8'))).toBe('#EXTM3U\n');
    expect(await storage.stat('media/a1/v1/master.m3u8')).toMatchObject({ size: 8 });
    expect((await storage.stat('media/a1/v1/master.m3u8'))?.modifiedAt).toBeInstanceOf(Date);
    expect(await storage.list('.staging')).toEqual([]);
    // The marker is written, but is no file of the set.
    expect(await rawKeys(storage)).toContain('media/a1/v1/.published');
    expect(await storage.stat('media/a1/v1/.published')).toBeNull();
  });

  it('copies a file in and removes a prefix', async () => {
    await writeFile(join(dir, 'src.bin'), 'hello');
    await storage.putFile(join(dir, 'src.bin'), 'sources/a1/original.mp4');
    const local = await storage.localPath('sources/a1/original.mp4', join(dir, 'scratch'));
    expect(local).toBe(join(dir, 'scratch', 'original.mp4'));
    expect(await readFile(local, 'utf8')).toBe('hello');
    await storage.removePrefix('sources/a1');
    expect(await storage.stat('sources/a1/original.mp4')).toBeNull();
    expect(await rawKeys(storage)).toEqual([]);
  });

  it('removes a single object by its own key, as a cover is replaced', async () => {
    await writeFile(join(dir, 'cover'), 'jpeg');
    await storage.putFile(join(dir, 'cover'), 'covers/c1/abc.jpg');
    await storage.putFile(join(dir, 'cover'), 'covers/c10/def.jpg');
    await storage.removePrefix('covers/c1/abc.jpg');
    expect(await rawKeys(storage)).toEqual(['covers/c10/def.jpg']);
  });

  it.each(['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a\0b', ''])('refuses the unsafe key %j', async (key) => {
    expect(() => storage.read(key)).toThrow('Unsafe storage key');
    await expect(storage.stat(key)).rejects.toThrow('Unsafe storage key');
    await expect(storage.list(key)).rejects.toThrow('Unsafe storage key');
    await expect(storage.removePrefix(key)).rejects.toThrow('Unsafe storage key');
    await expect(storage.putFile(join(dir, 'none'), key)).rejects.toThrow('Unsafe storage key');
  });

  it('keeps a half-published set (files written, no marker) invisible to stat, read, localPath and list', async () => {
    storage = await s3Storage({ markerCacheMs: { published: 60_000, unpublished: 0 } });
    await storage.publishDirectory(await outputFolder(), 'media/a1/v1');
    await crashedPublish(storage, 'media/a1/v2', { 'master.m3u8': '#EXTM3U\n', '720p/seg.m4s': '0123456789' });

    expect(await storage.list('media/a1')).toEqual(['media/a1/v1/720p/seg.m4s', 'media/a1/v1/master.m3u8']);
    expect(await storage.list('media')).toEqual(['media/a1/v1/720p/seg.m4s', 'media/a1/v1/master.m3u8']);
    expect(await storage.list('media/a1/v2')).toEqual([]);
    expect(await storage.list('media/a1/v2/720p')).toEqual([]);
    expect(await storage.stat('media/a1/v2/master.m3u8')).toBeNull();
    await expect(text(storage.read('media/a1/v2/720p/seg.m4s', { start: 0, end: 3 }))).rejects.toThrow('Not in storage');
    await expect(storage.localPath('media/a1/v2/master.m3u8', join(dir, 'scratch'))).rejects.toThrow('Not in storage');
    expect(await storage.unpublishedSets('media')).toEqual(['media/a1/v2']);

    // Once the marker lands, the whole set appears at once.
    await storage.client.send(new PutObjectCommand({ Bucket: storage.bucket, Key: 'media/a1/v2/.published', Body: '{}' }));
    expect(await storage.list('media/a1/v2/720p')).toEqual(['media/a1/v2/720p/seg.m4s']);
    expect(await text(storage.read('media/a1/v2/720p/seg.m4s', { start: 0, end: 3 }))).toBe('0123');
    expect(await storage.unpublishedSets('media')).toEqual([]);
  });

  it('republishing a prefix clears what a crashed attempt left there', async () => {
    await crashedPublish(storage, 'media/a1/v1', { 'stale.m4s': 'old' });
    await storage.publishDirectory(await outputFolder(), 'media/a1/v1');
    expect(await storage.list('media/a1/v1')).toEqual(['media/a1/v1/720p/seg.m4s', 'media/a1/v1/master.m3u8']);
  });

  it('removes a published set marker first, and pages through listings and deletions', async () => {
    storage = await s3Storage({ pageSize: 2 });
    const out = await outputFolder();
    for (const n of [1, 2, 3]) await writeFile(join(out, '720p', `seg${n}.m4s`), `segment ${n}`);
    await storage.publishDirectory(out, 'media/a1/v1');
    await storage.publishDirectory(out, 'media/a1/v2');
    expect(await storage.list('media/a1')).toHaveLength(10);
    expect(await text(storage.read('media/a1/v2/720p/seg3.m4s'))).toBe('segment 3');

    await storage.removePrefix('media/a1/v1');
    expect(await storage.list('media/a1')).toEqual([
      'media/a1/v2/720p/seg.m4s',
      'media/a1/v2/720p/seg1.m4s',
      'media/a1/v2/720p/seg2.m4s',
      'media/a1/v2/720p/seg3.m4s',
      'media/a1/v2/master.m3u8',
    ]);
    expect(await storage.stat('media/a1/v1/master.m3u8')).toBeNull();
    await storage.removePrefix('media');
    expect(await rawKeys(storage)).toEqual([]);
  });

  it('publishes only where readers look for the marker', async () => {
    await expect(storage.publishDirectory(await outputFolder(), 'covers/c1')).rejects.toThrow('publishes only at media/<asset>/<token>');
    expect(await rawKeys(storage)).toEqual([]);
  });

  it('leaves nothing behind, marker included, when a publish fails midway', async () => {
    const out = await outputFolder();
    await writeFile(join(out, '720p', 'seg2.m4s'), 'abc');
    storage.client.middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { Key?: string }).Key?.endsWith('/seg2.m4s')) throw new Error('the store refused seg2.m4s');
        return next(args);
      },
      { step: 'initialize' },
    );
    await expect(storage.publishDirectory(out, 'media/a1/v1')).rejects.toThrow('the store refused seg2.m4s');
    expect(await rawKeys(storage)).toEqual([]);
  });

  it('uploads and copies objects above the threshold in parts, byte for byte', async () => {
    const parted = await s3Storage({ multipartThresholdBytes: 1024 ** 2, partSizeBytes: 5 * 1024 ** 2 });
    const commands = sentCommands(parted);
    const big = randomBytes(12 * 1024 ** 2 + 7);
    await writeFile(join(dir, 'big.mp4'), big);
    await parted.putFile(join(dir, 'big.mp4'), 'sources/a1/original.mp4');
    expect(commands.filter((name) => name === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');

    commands.length = 0;
    await parted.copy('sources/a1/original.mp4', 'sources/a2/original.mp4');
    expect(commands.filter((name) => name === 'UploadPartCopyCommand')).toHaveLength(3);
    expect(commands).not.toContain('CopyObjectCommand');
    const copied = await parted.localPath('sources/a2/original.mp4', join(dir, 'scratch'));
    expect(sha256(await readFile(copied))).toBe(sha256(big));
    expect(await parted.stat('sources/a2/original.mp4')).toMatchObject({ size: big.length });

    // Small objects still take one request each.
    commands.length = 0;
    await writeFile(join(dir, 'small.jpg'), 'cover');
    await parted.putFile(join(dir, 'small.jpg'), 'covers/c1.jpg');
    await parted.copy('covers/c1.jpg', 'covers/c2.jpg');
    expect(commands).toEqual(['PutObjectCommand', 'HeadObjectCommand', 'CopyObjectCommand']);
    expect(await text(parted.read('covers/c2.jpg'))).toBe('cover');
    await expect(parted.copy('covers/none.jpg', 'covers/c3.jpg')).rejects.toThrow('Not in storage: covers/none.jpg');
  });

  it('streams files too big to buffer, up and down', async () => {
    const big = Buffer.alloc(17 * 1024 ** 2, 'abcdefgh');
    await writeFile(join(dir, 'big.mp4'), big);
    await storage.putFile(join(dir, 'big.mp4'), 'sources/a1/original.mp4');
    expect(await storage.stat('sources/a1/original.mp4')).toMatchObject({ size: big.length });
    expect(await text(storage.read('sources/a1/original.mp4', { start: big.length - 4, end: big.length - 1 }))).toBe('efgh');
    const local = await storage.localPath('sources/a1/original.mp4', join(dir, 'scratch'));
    expect((await readFile(local)).equals(big)).toBe(true);
  });

  it('errors the stream for a missing object', async () => {
    await expect(text(storage.read('sources/none/original.mp4'))).rejects.toThrow('Not in storage: sources/none/original.mp4');
    expect(await storage.stat('sources/none/original.mp4')).toBeNull();
  });
});

describe('createStorage', () => {
  it('builds the local driver by default and the S3 driver from S3_* settings', async () => {
    expect(createStorage({ STORAGE_DIR: join(dir, 'store') }).constructor.name).toBe('LocalStorage');
    const bucket = (await s3Storage()).bucket;
    const s3 = createStorage({
      STORAGE_DIR: 'unused',
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: server.endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    });
    expect(s3).toBeInstanceOf(S3Storage);
    opened.push(s3 as S3Storage);
    await writeFile(join(dir, 'src.bin'), 'hello');
    await s3.putFile(join(dir, 'src.bin'), 'sources/a1/original.mp4');
    expect(await s3.stat('sources/a1/original.mp4')).toMatchObject({ size: 5 });
  });

  it('names every missing or conflicting S3 setting', () => {
    expect(() => createStorage({ STORAGE_DIR: 'x', STORAGE_DRIVER: 's3', S3_ACCESS_KEY_ID: 'k' })).toThrow(
      /S3_BUCKET: is required[\s\S]*S3_SECRET_ACCESS_KEY/,
    );
  });

  it('bounds the multipart settings by what S3 accepts', () => {
    expect(storageEnvSchema.safeParse({ S3_MULTIPART_PART_BYTES: String(1024 ** 2) }).error?.issues[0].message).toBe(
      "must be at least 5242880 (5 MiB), S3's smallest part",
    );
    expect(storageEnvSchema.safeParse({ S3_MULTIPART_THRESHOLD_BYTES: String(6 * 1024 ** 3) }).error?.issues[0].message).toContain(
      'must be at most 5368709120 (5 GiB)',
    );
    expect(storageEnvSchema.parse({})).toMatchObject({
      S3_MULTIPART_THRESHOLD_BYTES: 64 * 1024 ** 2,
      S3_MULTIPART_PART_BYTES: 16 * 1024 ** 2,
    });
  });
});
