import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, type TranscodeJob } from '#contracts';
import type { Redis } from 'ioredis';
import { REDIS } from '#platform';

export const QUEUE_PREFIX = Symbol('QUEUE_PREFIX');

/** The producer side of the transcode queue: the job id is the asset id, so a second add is a no-op. */
@Injectable()
export class TranscodeQueue implements OnModuleDestroy {
  private readonly queue: Queue<TranscodeJob>;

  constructor(@Inject(REDIS) connection: Redis, @Inject(QUEUE_PREFIX) prefix: string) {
    this.queue = new Queue<TranscodeJob>(QUEUES.transcode, { connection, prefix });
    // A producer must not crash the process while Redis is away; adds fail and the reconciler retries.
    this.queue.on('error', () => undefined);
  }

  /** Adds the job, or fails within `deadlineMs` so a caller never waits on a Redis that is away. */
  async enqueue(job: TranscodeJob, deadlineMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis in ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([this.add(job), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async add(job: TranscodeJob): Promise<void> {
    await this.queue.add(JOBS.transcode, job, {
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
