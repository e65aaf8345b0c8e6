import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TranscoderEnv } from '#config';
import { planChunks, type ChunkSpan, type TranscodePlan } from '#media';
import { redisConnectionOptions } from './redis-options.js';
import { ChunkWorkers } from './chunk-workers.js';
import { encodeChunkedHls, type ChunkedHlsOptions } from './chunked-hls.js';

export const CHUNK_CONFIG = Symbol('CHUNK_CONFIG');

export interface ChunkConfig {
  redisUrl: string;
  queuePrefix: string;
  workDir: string;
  /** Chunk length in seconds; 0: every video is encoded by one ffmpeg. */
  chunkSec: number;
  /** Chunks this process encodes at once; 0: none. */
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Time limit of one chunk's ffmpeg. */
  timeoutMs: number;
  ffmpegPath?: string;
}

export function chunkConfigFrom(env: TranscoderEnv, workDir: string, ffmpegPath?: string): ChunkConfig {
  return {
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    workDir,
    chunkSec: env.TRANSCODE_CHUNK_SEC,
    concurrency: env.TRANSCODE_CHUNK_CONCURRENCY,
    lockDurationMs: env.TRANSCODE_LOCK_DURATION_MS,
    stalledIntervalMs: env.TRANSCODE_STALLED_INTERVAL_MS,
    timeoutMs: env.TRANSCODE_TIMEOUT_MINUTES * 60_000,
    ffmpegPath,
  };
}

/** The `hls` step as a chunk flow, for plans long enough to be split (see planChunks). */
@Injectable()
export class ChunkedHlsEncoder {
  constructor(@Inject(CHUNK_CONFIG) private readonly config: ChunkConfig) {}

  /** The chunks of this plan, or null when it is encoded by one ffmpeg. */
  spansFor(plan: TranscodePlan): ChunkSpan[] | null {
    return planChunks(plan, this.config.chunkSec);
  }

  encode(options: Omit<ChunkedHlsOptions, 'connection' | 'prefix' | 'workDir'>): Promise<void> {
    return encodeChunkedHls({
      ...options,
      connection: redisConnectionOptions(this.config.redisUrl),
      prefix: this.config.queuePrefix,
      workDir: this.config.workDir,
    });
  }
}

/** This process's chunk worker; a chunk checks the asset's fencing token in PostgreSQL. */
@Injectable()
export class ChunkWorkerService implements OnModuleDestroy {
  private readonly logger = new Logger(ChunkWorkerService.name);
  private workers?: ChunkWorkers;

  constructor(
    private readonly db: DataSource,
    @Inject(CHUNK_CONFIG) private readonly config: ChunkConfig,
  ) {}

  async start(): Promise<void> {
    if (this.workers || this.config.concurrency === 0) return;
    this.workers = new ChunkWorkers({
      connection: redisConnectionOptions(this.config.redisUrl),
      prefix: this.config.queuePrefix,
      workDir: this.config.workDir,
      concurrency: this.config.concurrency,
      lockDurationMs: this.config.lockDurationMs,
      stalledIntervalMs: this.config.stalledIntervalMs,
      timeoutMs: this.config.timeoutMs,
      ffmpegPath: this.config.ffmpegPath,
      isCurrent: async (assetId, token) => {
        const rows = (await this.db.query(`SELECT 1 FROM media_assets WHERE id = $1 AND attempt_token = $2 AND status = 'transcoding'`, [
          assetId,
          token,
        ])) as unknown[];
        return rows.length > 0;
      },
      log: (message) => this.logger.warn(message),
    });
    await this.workers.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers?.close();
    this.workers = undefined;
  }
}
