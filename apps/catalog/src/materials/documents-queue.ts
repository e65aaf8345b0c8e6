import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DOCUMENT_JOBS, DOCUMENTS_QUEUE, materialJobId, type ConvertDocumentJob } from '#contracts';
import { REDIS } from '#platform';
import { MEDIA_EVENTS_OPTIONS } from '../media/media-events.consumer.js';

/** The catalog's producer for the documents queue: an editor's "try again" on a failed conversion. */
@Injectable()
export class CatalogDocumentsQueue implements OnModuleDestroy {
  private readonly queue: Queue<ConvertDocumentJob>;

  constructor(@Inject(REDIS) connection: Redis, @Inject(MEDIA_EVENTS_OPTIONS) options: { prefix: string }) {
    // The connection is the process's shared one: closing the queue only detaches from it.
    this.queue = new Queue<ConvertDocumentJob>(DOCUMENTS_QUEUE, { connection, prefix: options.prefix });
    this.queue.on('error', () => undefined);
  }

  /**
   * Queues the material's conversion again. The job id names the material, so the ended job (failed, or
   * completed with a failure it reported) is removed first; a job still waiting or running is left alone.
   */
  async requeue(materialId: string, deadlineMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis in ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      await Promise.race([this.add(materialId), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async add(materialId: string): Promise<void> {
    const jobId = materialJobId(materialId);
    const previous = await this.queue.getJob(jobId);
    if (previous) {
      const state = await previous.getState();
      if (state === 'failed' || state === 'completed') await previous.remove();
      else return;
    }
    await this.queue.add(
      DOCUMENT_JOBS.convert,
      { materialId },
      {
        jobId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
