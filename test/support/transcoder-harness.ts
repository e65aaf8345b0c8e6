import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import pg from 'pg';
import { QUEUES, type MediaEvent } from '#contracts';
import { PinoNestLogger, createLogger } from '#logging';
import { probeMedia } from '#media';
import { LocalStorage } from '#storage';
import { TranscodeQueue } from '../../apps/upload/src/assets/transcode-queue.js';
import { installFfmpegWatchdog } from '../../apps/transcoder/src/ffmpeg-watchdog.js';
import { TranscodeWorker } from '../../apps/transcoder/src/transcode.worker.js';
import { transcoderConfigFrom, type TranscoderConfig } from '../../apps/transcoder/src/transcoder.config.js';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module.js';
import { transcoderEnvSchema, loadEnv } from '#config';
import { TEST_JWT_SECRET } from './secrets.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { waitUntil } from './ports.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Connection options (not a client) for BullMQ objects that should open and close their own connection. */
export function redisOptions(): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  maxRetriesPerRequest: null;
} {
  const url = new URL(REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}

export interface AssetRow {
  id: string;
  status: string;
  kind: string | null;
  progress_percent: number;
  eta_seconds: number | null;
  failure_code: string | null;
  failure_reason: string | null;
  attempt_token: string | null;
  outputs: import('#contracts').AssetOutputs | null;
  duration_sec: number | null;
  ready_at: Date | null;
}

export interface InProcessWorker {
  app: INestApplicationContext;
  worker: TranscodeWorker;
  close(): Promise<void>;
}

/**
 * Everything a transcoder test needs around the worker: a fresh database, its own queue prefix,
 * storage and work folders, and the producer's side (asset rows and jobs as apps/upload makes them).
 */
export class TranscoderHarness {
  readonly queuePrefix = `lectern-test-${randomBytes(4).toString('hex')}`;
  readonly storage: LocalStorage;
  readonly storageDir: string;
  readonly workDir: string;
  readonly pool: pg.Pool;
  private readonly redis: Redis;
  private readonly producer: TranscodeQueue;
  readonly events: Queue<MediaEvent>;
  private readonly workers: InProcessWorker[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly dir: string,
  ) {
    this.storageDir = join(dir, 'storage');
    this.workDir = join(dir, 'work');
    this.storage = new LocalStorage(this.storageDir);
    this.pool = new pg.Pool({ connectionString: db.url, max: 3 });
    // An idle client cut off by the server (the database dropped at close while a poll's client was still
    // being returned) is not a test failure; a query's own error still rejects that query.
    this.pool.on('error', () => undefined);
    this.redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    this.producer = new TranscodeQueue(this.redis, this.queuePrefix);
    this.events = new Queue<MediaEvent>(QUEUES.mediaEvents, { connection: this.redis, prefix: this.queuePrefix });
  }

  static async create(): Promise<TranscoderHarness> {
    const db = await createTestDatabase();
    const harness = new TranscoderHarness(db, mkdtempSync(join(tmpdir(), 'lectern-transcoder-')));
    // Counts every move into 'transcoding' (claims) and into 'ready', so tests can tell "exactly once".
    await harness.pool.query(`
      CREATE TABLE test_status_log (asset_id uuid, status text, attempt_token text, at timestamptz DEFAULT clock_timestamp());
      CREATE FUNCTION test_log_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status IS DISTINCT FROM OLD.status OR NEW.attempt_token IS DISTINCT FROM OLD.attempt_token THEN
            INSERT INTO test_status_log (asset_id, status, attempt_token) VALUES (NEW.id, NEW.status, NEW.attempt_token);
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER test_status_log AFTER UPDATE ON media_assets FOR EACH ROW EXECUTE FUNCTION test_log_status();`);
    return harness;
  }

  /** The environment the transcoder process reads, for spawned workers. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.db.url,
      REDIS_URL,
      QUEUE_PREFIX: this.queuePrefix,
      JWT_SECRET: TEST_JWT_SECRET,
      STORAGE_DIR: this.storageDir,
      WORK_DIR: this.workDir,
      LECTERN_PROCESS: 'transcoder',
      ...overrides,
    };
  }

  /** The real TranscoderModule in this process, taking jobs once this resolves. */
  async startWorker(changes: Partial<TranscoderConfig> = {}): Promise<InProcessWorker> {
    const env = loadEnv(transcoderEnvSchema, this.env({ LOG_LEVEL: 'silent' }));
    const ffmpegPath = await installFfmpegWatchdog(join(this.workDir));
    const config = { ...transcoderConfigFrom(env, ffmpegPath), ...changes };
    const app = await NestFactory.createApplicationContext(
      TranscoderModule.forRoot({ config, databaseUrl: this.db.url, storageDir: this.storageDir }),
      { logger: new PinoNestLogger(createLogger('transcoder', (process.env.TEST_TRANSCODER_LOG_LEVEL as 'silent') ?? 'silent')) },
    );
    const worker = app.get(TranscodeWorker);
    await worker.start();
    const running: InProcessWorker = { app, worker, close: () => app.close() };
    this.workers.push(running);
    return running;
  }

  /**
   * What apps/upload does with a finished, probed upload: the original in storage under
   * sources/<id>/original.<ext>, a row in `status`, and a transcode job named after the asset.
   */
  async addAsset(path: string, options: { status?: 'queued' | 'pending'; enqueue?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    const extension = extname(path).slice(1) || 'bin';
    const sourceKey = `sources/${id}/original.${extension}`;
    const probe = await probeMedia(path).catch(() => null);
    const kind = probe ? (probe.video ? 'video' : 'audio') : 'video';
    const durationSec = probe?.durationSec ?? 1;
    const { size } = await stat(path);
    await this.storage.putFile(path, sourceKey);
    await this.pool.query(
      `INSERT INTO media_assets (id, owner_id, upload_id, original_name, size_bytes, received_bytes, sha256, source_key, status, kind, duration_sec)
       VALUES ($1, $2, $3, $4, $5, $5, 'test', $6, $7, $8, $9)`,
      [id, randomUUID(), randomUUID(), `lecture.${extension}`, size, sourceKey, options.status ?? 'queued', kind, durationSec],
    );
    if (options.enqueue !== false) await this.enqueue(id);
    return id;
  }

  async enqueue(id: string): Promise<void> {
    const row = await this.asset(id);
    const { rows } = await this.pool.query(`SELECT source_key FROM media_assets WHERE id = $1`, [id]);
    await this.producer.enqueue({
      assetId: id,
      sourceKey: rows[0].source_key,
      kind: (row.kind ?? 'video') as 'video',
      durationSec: row.duration_sec ?? 0,
    });
  }

  async asset(id: string): Promise<AssetRow> {
    const { rows } = await this.pool.query(`SELECT * FROM media_assets WHERE id = $1`, [id]);
    if (!rows[0]) throw new Error(`no asset ${id}`);
    return rows[0] as AssetRow;
  }

  async waitForStatus(id: string, statuses: string[], timeoutMs = 60_000): Promise<AssetRow> {
    let last = '';
    await waitUntil(
      async () => statuses.includes((last = (await this.asset(id)).status)),
      timeoutMs,
      `asset ${id} in ${statuses} (last ${last})`,
    );
    return this.asset(id);
  }

  /** Status changes recorded by the trigger, oldest first. */
  async statusLog(id: string): Promise<Array<{ status: string; attempt_token: string | null }>> {
    const { rows } = await this.pool.query(`SELECT status, attempt_token FROM test_status_log WHERE asset_id = $1 ORDER BY at`, [id]);
    return rows as Array<{ status: string; attempt_token: string | null }>;
  }

  /** Published attempt folders under media/<id>/. */
  async publishedVersions(id: string): Promise<string[]> {
    return [...new Set((await this.storage.list(`media/${id}`)).map((key) => key.split('/')[2] ?? ''))].sort();
  }

  /** Every media event waiting for the catalog (nothing consumes them in these tests). */
  async mediaEvents(): Promise<Array<Job<MediaEvent>>> {
    return this.events.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
  }

  /**
   * The events announced for one asset, once there is at least one. The worker marks the asset
   * settled in PostgreSQL before it announces it, so a test that has seen the status must still
   * wait for the announcement.
   */
  async eventsOf(id: string, timeoutMs = 60_000): Promise<Array<Job<MediaEvent>>> {
    let events: Array<Job<MediaEvent>> = [];
    await waitUntil(
      async () => (events = (await this.mediaEvents()).filter((job) => job.data.assetId === id)).length > 0,
      timeoutMs,
      `an event announcing asset ${id}`,
    );
    return events;
  }

  transcodeQueue(): Queue {
    return new Queue(QUEUES.transcode, { connection: this.redis, prefix: this.queuePrefix });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.producer.onModuleDestroy();
    await this.events.obliterate({ force: true }).catch(() => undefined);
    const transcode = this.transcodeQueue();
    await transcode.obliterate({ force: true }).catch(() => undefined);
    await transcode.close();
    await this.events.close();
    this.redis.disconnect();
    await this.pool.end();
    await this.db.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
