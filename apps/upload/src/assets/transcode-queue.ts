import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, type TranscodeJob } from '#contracts';
import type { Redis } from 'ioredis';
import { REDIS } from '#platform';

export const QUEUE_PREFIX = Symbol('QUEUE_PREFIX');

/** The producer side of the transcode queue: the job id is the asset id, so a second add is a no-op. */
@Injectable()
export class TranscodeQueue implements OnModuleDestroy {
  private queue: Queue<TranscodeJob>;
  private broken = false;

  constructor(
    @Inject(REDIS) private readonly connection: Redis,
    @Inject(QUEUE_PREFIX) private readonly prefix: string,
  ) {
    this.queue = this.open();
  }

  /**
   * A BullMQ queue starts by waiting for Redis and asking its version, and keeps that outcome for good: when
   * the connection drops during that exchange, every later add fails with the same error even after Redis
   * is back. Such a queue is marked broken and replaced at the next enqueue.
   */
  private open(): Queue<TranscodeJob> {
    const queue = new Queue<TranscodeJob>(QUEUES.transcode, { connection: this.connection, prefix: this.prefix });
    // A producer must not crash the process while Redis is away; adds fail and the reconciler retries.
    queue.on('error', () => undefined);
    queue.waitUntilReady().catch(() => {
      if (this.queue === queue) this.broken = true;
    });
    return queue;
  }

  private usableQueue(): Queue<TranscodeJob> {
    if (this.broken) {
      const old = this.queue;
      this.broken = false;
      this.queue = this.open();
      // The connection is shared, so closing the broken queue only detaches it.
      void old.close().catch(() => undefined);
    }
    return this.queue;
  }

  /** Adds the job, or fails within `deadlineMs` so a caller never waits on a Redis that is away. */
  async enqueue(job: TranscodeJob, deadlineMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis in ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([this.add(this.usableQueue(), job), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async add(queue: Queue<TranscodeJob>, job: TranscodeJob): Promise<void> {
    await queue.add(JOBS.transcode, job, {
      jobId: job.assetId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
