import type { Logger } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { observeWorker } from '#metrics';
import { createRedis } from '#platform';
import type { TranscoderConfig } from './transcoder.config.js';

const isUnrecoverable = (error: Error) => error instanceof UnrecoverableError || error.name === 'UnrecoverableError';

/** A failed attempt is final when BullMQ will not run the job again. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return isUnrecoverable(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** What BullMQ fails a job with once it stalled more often than maxStalledCount (its worker died each time). */
export const isStalledTooOften = (error: unknown): boolean =>
  error instanceof UnrecoverableError && error.message === 'job stalled more than allowable limit';

/** The ending of a message about trouble on our side. */
export const TRY_AGAIN = 'Please try again later; if it keeps failing, contact your administrator.';

/** The input itself cannot be processed: failing at once, since a retry would fail the same way. */
export class BadInputError extends UnrecoverableError {
  constructor(
    readonly code: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Trouble on our side (a missing source, storage, the database): retried by BullMQ with backoff. */
export class TransientJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface QueueWorkerOptions<Data, Result> {
  queue: string;
  process: Processor<Data, Result>;
  config: Pick<TranscoderConfig, 'redisUrl' | 'queuePrefix' | 'lockDurationMs' | 'stalledIntervalMs'>;
  concurrency: number;
  logger: Logger;
  /** How log lines name a job's subject, e.g. "asset 7". */
  subject(job: Job<Data>): string;
  /** How the stalled line names a job ("job", "documents job") and the error line the worker. */
  jobName: string;
  workerName: string;
  /** Records a final failure where the editor sees it; retried while the database or Redis is briefly away. */
  settleFailure(job: Job<Data>, error: Error): Promise<void>;
  /** A job this process is done with for now: failed and to be retried, or completed. */
  onRetry?(job: Job<Data>): void;
  onCompleted?(job: Job<Data>): void;
}

/**
 * A BullMQ worker of the transcoder on its own connection, with metrics and logs. Locks are renewed every
 * lockDuration/2 while a job runs; a worker that dies loses its lock and its job is run again elsewhere once
 * (maxStalledCount 1), then failed. A final failure is recorded with retries, and closing waits for that.
 */
export class QueueWorker<Data, Result> {
  private worker?: Worker<Data, Result>;
  private connection?: Redis;
  private readonly settling = new Set<Promise<void>>();

  constructor(private readonly options: QueueWorkerOptions<Data, Result>) {}

  /** Starts taking jobs; resolves once the worker is connected. */
  async start(): Promise<void> {
    if (this.worker) return;
    const { config, logger } = this.options;
    const connection = createRedis(config.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.connection = connection;
    const worker = new Worker<Data, Result>(this.options.queue, this.options.process, {
      connection,
      prefix: config.queuePrefix,
      concurrency: this.options.concurrency,
      lockDuration: config.lockDurationMs,
      stalledInterval: config.stalledIntervalMs,
      maxStalledCount: 1,
    });
    this.worker = worker;
    observeWorker(worker);
    worker.on('failed', (job, error) => {
      if (!job) return;
      if (!isFinalFailure(job, error)) {
        this.options.onRetry?.(job);
        logger.warn(`${this.options.subject(job)}: attempt ${job.attemptsMade} failed, will retry: ${error.message}`);
        return;
      }
      const settling = this.settleWithRetries(job, error).finally(() => this.settling.delete(settling));
      this.settling.add(settling);
    });
    const onCompleted = this.options.onCompleted;
    if (onCompleted) worker.on('completed', (job) => onCompleted(job));
    worker.on('stalled', (jobId) => logger.warn(`${this.options.jobName} ${jobId} stalled (its worker died or lost Redis); it runs again`));
    worker.on('error', (error) => logger.warn(`${this.options.workerName}: ${error.message}`));
    await worker.waitUntilReady();
  }

  /** Stops taking jobs and waits for the active ones to finish and final failures to be recorded. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await worker.close();
    await Promise.allSettled([...this.settling]);
    this.connection?.disconnect();
    this.worker = undefined;
  }

  /** The database or Redis may be briefly away exactly now: the editor must still learn about the failure. */
  private async settleWithRetries(job: Job<Data>, error: Error): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.settleFailure(job, error);
        return;
      } catch (failure) {
        if (attempt >= 5) {
          this.options.logger.error(`${this.options.subject(job)}: could not record its failure: ${(failure as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      }
    }
  }
}
