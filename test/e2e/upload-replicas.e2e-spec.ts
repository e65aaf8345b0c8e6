import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { QUEUES } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, waitUntil } from '../support/ports.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { TEST_JWT_SECRET } from '../support/secrets.js';
import { ROOT } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

// Upload replicas share nothing but PostgreSQL, Redis and the bucket: each has an UPLOAD_DIR of its own.
const ENTRY = join(ROOT, 'dist/apps/upload/src/main.js');
const MiB = 1024 ** 2;
const editor = tokenFor('editor');
const auth = { Authorization: `Bearer ${editor.token}`, 'Tus-Resumable': '1.0.0' };

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  output: string[];
}

let s3: S3TestServer;
let db: TestDatabase;
let redis: Redis;
let bucket: S3Client;
let dir: string;
let video: Buffer;
const queuePrefix = `lectern-test-${randomBytes(4).toString('hex')}`;
const replicas: Replica[] = [];

async function startReplica(name: string): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: TEST_JWT_SECRET,
      UPLOAD_PORT: String(port),
      UPLOAD_DIR: join(dir, name, 'uploads'),
      STORAGE_DIR: join(dir, name, 'storage'),
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      // Short, so the upload of a killed replica is free again soon; a live holder renews it regardless.
      UPLOAD_LOCK_LEASE_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const replica: Replica = { name, url: `http://127.0.0.1:${port}`, child, output: [] };
  const keep = (chunk: Buffer) => replica.output.push(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  replicas.push(replica);
  await waitUntil(
    async () => (await fetch(`${replica.url}/health`).catch(() => null))?.status === 200,
    150_000,
    () => `${name} /health\n${replica.output.join('').slice(-3000)}`,
  );
  return replica;
}

async function create(replica: Replica, size: number): Promise<string> {
  const answer = await fetch(`${replica.url}/files`, {
    method: 'POST',
    headers: {
      ...auth,
      'Upload-Length': String(size),
      'Upload-Metadata': `filename ${Buffer.from('lecture.mp4').toString('base64')},filetype ${Buffer.from('video/mp4').toString('base64')}`,
    },
  });
  expect(answer.status).toBe(201);
  return answer.headers.get('location')!.split('/').pop()!;
}

const patch = (replica: Replica, id: string, offset: number, body: Buffer) =>
  fetch(`${replica.url}/files/${id}`, {
    method: 'PATCH',
    headers: { ...auth, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset) },
    body,
  });

async function offsetOf(replica: Replica, id: string): Promise<number> {
  const answer = await fetch(`${replica.url}/files/${id}`, { method: 'HEAD', headers: auth });
  expect(answer.status).toBe(200);
  return Number(answer.headers.get('upload-offset'));
}

/** A PATCH that sends `first` and then stalls with its body unfinished, holding the upload's lock. */
function stalledPatch(replica: Replica, id: string, offset: number, first: Buffer, declared: number) {
  const req = request(`${replica.url}/files/${id}`, {
    method: 'PATCH',
    headers: {
      ...auth,
      'Content-Type': 'application/offset+octet-stream',
      'Upload-Offset': String(offset),
      'Content-Length': String(declared),
    },
  });
  const ended = new Promise<string>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(`answered ${res.statusCode}`);
    });
    req.on('error', (error) => resolve(`connection ended (${error.message})`));
  });
  req.write(first);
  return { ended, destroy: () => req.destroy() };
}

const lockKey = (id: string) => `${queuePrefix}:tus-lock:${id}`;

async function assetOf(uploadId: string) {
  const [row] = (await queryDb(`SELECT id, status, sha256, source_key FROM media_assets WHERE upload_id = $1`, [uploadId])) as {
    id: string;
    status: string;
    sha256: string | null;
    source_key: string | null;
  }[];
  return row;
}

let queryDb: (sql: string, params: unknown[]) => Promise<unknown[]>;
let closeDb = async () => {};

/** The finished upload is probed, copied to sources/ and queued for transcoding, whole. */
async function expectQueuedIntact(uploadId: string): Promise<void> {
  let status = '';
  await waitUntil(
    async () => (status = (await assetOf(uploadId))?.status ?? '') === 'queued',
    60_000,
    () => `asset queued (is ${status})`,
  );
  const asset = await assetOf(uploadId);
  const sha256 = createHash('sha256').update(video).digest('hex');
  expect(asset.sha256).toBe(sha256);
  const stored = await bucket.send(new GetObjectCommand({ Bucket: s3.bucket, Key: asset.source_key! }));
  expect(
    createHash('sha256')
      .update(await buffer(stored.Body as Readable))
      .digest('hex'),
  ).toBe(sha256);
  const queue = new Queue(QUEUES.transcode, { connection: redis, prefix: queuePrefix });
  try {
    expect((await queue.getJob(asset.id))?.data).toMatchObject({ assetId: asset.id, sourceKey: asset.source_key, kind: 'video' });
  } finally {
    await queue.close();
  }
  // tus's own objects go once intake is done with them.
  await waitUntil(
    async () => {
      const listed = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `uploads/${uploadId}` }));
      return (listed.Contents ?? []).length === 0;
    },
    30_000,
    `uploads/${uploadId}* removed`,
  );
}

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build:server" first.`);
  dir = mkdtempSync(join(tmpdir(), 'lectern-replicas-'));
  // Over 8 MiB (@tus/s3-store's part size), so the upload is real S3 parts plus a buffered tail.
  await promisify(execFile)('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2,noise=alls=40:allf=t'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0'],
    ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(dir, 'lecture.mp4')],
  ]);
  video = readFileSync(join(dir, 'lecture.mp4'));
  expect(video.length).toBeGreaterThan(12 * MiB);
  [s3, db] = await Promise.all([startS3Server(), createTestDatabase()]);
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  bucket = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
  const { DataSource } = await import('typeorm');
  const source = await new DataSource({ type: 'postgres', url: db.url }).initialize();
  queryDb = (sql, params) => source.query(sql, params);
  closeDb = () => source.destroy();
}, 180_000);

afterAll(async () => {
  for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(
    replicas.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null)),
  );
  bucket?.destroy();
  redis?.disconnect();
  await closeDb();
  await Promise.all([s3?.close(), db?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('tus uploads on S3 across replicas', () => {
  it('finishes on replica B an upload started on replica A after A is killed mid-PATCH', async () => {
    const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
    const id = await create(a, video.length);
    const first = 9 * MiB;
    expect((await patch(a, id, 0, video.subarray(0, first))).status).toBe(204);
    // A second PATCH is under way on A, holding the lock, when A dies.
    const stalled = stalledPatch(a, id, first, video.subarray(first, first + MiB), video.length - first);
    await waitUntil(async () => (await redis.exists(lockKey(id))) === 1, 30_000, 'A holds the lock');
    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    stalled.destroy();

    // B waits out the dead replica's lease, then sees what A had stored: at least its whole 8 MiB part. The tail
    // beyond it (kept as a .part object between PATCHes) is taken up by the PATCH A was in and lost with A;
    // the client sends again from the offset HEAD gives, as tus clients do after any interruption.
    const offset = await offsetOf(b, id);
    expect(offset).toBeGreaterThanOrEqual(8 * MiB);
    expect(offset).toBeLessThanOrEqual(first + MiB);
    const last = await patch(b, id, offset, video.subarray(offset));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(video.length));
    expect(last.headers.get('lectern-asset-id')).toMatch(/^[0-9a-f-]{36}$/);
    await expectQueuedIntact(id);
  }, 240_000);

  it('lets one replica write an upload at a time: a PATCH elsewhere first makes the holder let go', async () => {
    const b = replicas.find((replica) => replica.name === 'b') ?? (await startReplica('b'));
    const c = await startReplica('c');
    const id = await create(b, video.length);
    const order: string[] = [];
    const stalled = stalledPatch(b, id, 0, video.subarray(0, MiB), video.length);
    void stalled.ended.then((how) => order.push(`B's PATCH ${how.split(' ')[0]}`));
    await waitUntil(async () => (await redis.exists(lockKey(id))) === 1, 30_000, 'B holds the lock');

    // B is alive and renews its lease, so only B letting go (asked through Redis) lets C in.
    const competing = await patch(c, id, 0, video);
    order.push(`C's PATCH answered ${competing.status}`);
    await stalled.ended;
    expect(order[0]).toMatch(/^B's PATCH /);
    // Whatever B stored before it let go moved the offset (409), or nothing had been stored (204).
    expect([204, 409]).toContain(competing.status);
    if (competing.status === 409) {
      const offset = await offsetOf(c, id);
      expect((await patch(c, id, offset, video.subarray(offset))).status).toBe(204);
    }
    await expectQueuedIntact(id);
  }, 240_000);
});
