import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, QUEUES, type MediaEvent } from '#contracts';
import { createRedis } from '#platform';
import { TRANSCODER_CONFIG, type TranscoderConfig } from './transcoder.config.js';

type AssetEvent = MediaEvent['type'];
const JOB_NAMES: Record<AssetEvent, string> = {
  'asset.ready': JOBS.assetReady,
  'asset.failed': JOBS.assetFailed,
  'asset.previewable': 'asset-previewable',
};
const JOB_ID_WORD: Record<AssetEvent, string> = { 'asset.ready': 'ready', 'asset.failed': 'failed', 'asset.previewable': 'previewable' };

/**
 * Job id of an event: one per asset, attempt and outcome, so announcing the same outcome again
 * (a retried job, a second worker) adds nothing while the first is still kept. `revision` names a later
 * version of the same outcome (a growing set reported again with its poster), announced once in turn.
 */
export function mediaEventJobId(type: AssetEvent, assetId: string, attemptToken: string | null, revision?: string): string {
  return `${JOB_ID_WORD[type]}-${assetId}-${attemptToken ?? 'none'}${revision ? `-${revision}` : ''}`;
}

/** Transcoder → catalog on the durable media-events queue; the catalog consumes and acknowledges. */
@Injectable()
export class MediaEventsPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(MediaEventsPublisher.name);
  private readonly connection: Redis;
  private readonly queue: Queue<MediaEvent>;

  constructor(@Inject(TRANSCODER_CONFIG) config: TranscoderConfig) {
    this.connection = createRedis(config.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.queue = new Queue<MediaEvent>(QUEUES.mediaEvents, { connection: this.connection, prefix: config.queuePrefix });
    this.queue.on('error', (error) => this.logger.warn(`media-events queue: ${error.message}`));
  }

  async publish(event: MediaEvent, attemptToken: string | null, revision?: string): Promise<void> {
    await this.queue.add(JOB_NAMES[event.type], event, {
      jobId: mediaEventJobId(event.type, event.assetId, attemptToken, revision),
      // The catalog may be down or restarting: retried with backoff for about two days (5 s × 2^15 in all).
      attempts: 15,
      backoff: { type: 'exponential', delay: 5000 },
      // Kept a week after completion, so a repeated announcement within that time is a no-op.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  /** For tests and tools: the underlying queue. */
  get events(): Queue<MediaEvent> {
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
