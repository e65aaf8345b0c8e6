import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DOCUMENT_JOBS, DOCUMENTS_QUEUE, materialJobId, type ConvertDocumentJob } from '#contracts';
import { REDIS } from '#platform';
import { QUEUE_PREFIX } from '../assets/transcode-queue.js';

/** Job options of a conversion: a few tries, then the worker marks the material failed with a message. */
export const CONVERT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** The producer side of the documents queue: the job id names the material, so a second add is a no-op. */
@Injectable()
export class DocumentsQueue implements OnModuleDestroy {
  private readonly queue: Queue<ConvertDocumentJob>;

  constructor(@Inject(REDIS) connection: Redis, @Inject(QUEUE_PREFIX) prefix: string) {
    this.queue = new Queue<ConvertDocumentJob>(DOCUMENTS_QUEUE, { connection, prefix });
    // A producer must not crash the process while Redis is away; the reconciler queues what was missed.
    this.queue.on('error', () => undefined);
  }

  /** Adds the conversion, or fails within `deadlineMs` so an upload never waits on a Redis that is away. */
  async enqueue(materialId: string, deadlineMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis in ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([
        this.queue.add(DOCUMENT_JOBS.convert, { materialId }, { ...CONVERT_JOB_OPTIONS, jobId: materialJobId(materialId) }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
