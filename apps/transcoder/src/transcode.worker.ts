import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type TranscodeJob } from '#contracts';
import { observeWorker } from '#metrics';
import { createRedis } from '#platform';
import { TranscodeProcessor } from './transcode.processor.js';
import { TranscodeService, type TranscodeResult } from './transcode.service.js';
import { TRANSCODER_CONFIG, type TranscoderConfig } from './transcoder.config.js';

const isUnrecoverable = (error: Error) => error instanceof UnrecoverableError || error.name === 'UnrecoverableError';

/** A failed attempt is final when BullMQ will not run the job again. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return isUnrecoverable(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * The BullMQ worker of the transcode queue, on its own connection. Locks are renewed every
 * lockDuration/2 while ffmpeg runs; a worker that dies loses its lock and its job is run again
 * elsewhere once (maxStalledCount 1), then failed.
 */
@Injectable()
export class TranscodeWorker implements OnModuleDestroy {
  private readonly logger = new Logger(TranscodeWorker.name);
  private worker?: Worker<TranscodeJob, TranscodeResult>;
  private connection?: Redis;
  private readonly settling = new Set<Promise<void>>();

  constructor(
    private readonly processor: TranscodeProcessor,
    private readonly transcoder: TranscodeService,
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
  ) {}

  /** Starts taking jobs; resolves once the worker is connected. */
  async start(): Promise<void> {
    if (this.worker) return;
    const connection = createRedis(this.config.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.connection = connection;
    const worker = new Worker<TranscodeJob, TranscodeResult>(
      QUEUES.transcode,
      (job, _token, signal) => this.processor.process(job, signal),
      {
        connection,
        prefix: this.config.queuePrefix,
        concurrency: this.config.concurrency,
        lockDuration: this.config.lockDurationMs,
        stalledInterval: this.config.stalledIntervalMs,
        maxStalledCount: 1,
      },
    );
    this.worker = worker;
    observeWorker(worker);
    worker.on('failed', (job, error) => {
      if (!job) return;
      if (!isFinalFailure(job, error)) {
        this.transcoder.forget(job);
        this.logger.warn(`asset ${job.data.assetId}: attempt ${job.attemptsMade} failed, will retry: ${error.message}`);
        return;
      }
      const settling = this.settleWithRetries(job, error).finally(() => this.settling.delete(settling));
      this.settling.add(settling);
    });
    worker.on('completed', (job) => this.transcoder.forget(job));
    worker.on('stalled', (jobId) => this.logger.warn(`job ${jobId} stalled (its worker died or lost Redis); it runs again`));
    worker.on('error', (error) => this.logger.warn(`transcode worker: ${error.message}`));
    await worker.waitUntilReady();
  }

  /** Stops taking jobs and waits for the active ones to finish. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await worker.close();
    await Promise.allSettled([...this.settling]);
    this.connection?.disconnect();
    this.worker = undefined;
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** The database or Redis may be briefly away exactly now: the editor must still learn about the failure. */
  private async settleWithRetries(job: Job<TranscodeJob>, error: Error): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.transcoder.settleFailure(job, error);
        return;
      } catch (failure) {
        if (attempt >= 5) {
          this.logger.error(`asset ${job.data.assetId}: could not record its failure: ${(failure as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      }
    }
  }
}
