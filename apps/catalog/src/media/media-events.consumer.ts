import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES, type MediaEvent } from '#contracts';
import { observeWorker } from '#metrics';
import { applyPreviewableEvent, forgetPreview } from './preview.events.js';

export const MEDIA_EVENTS_OPTIONS = Symbol('MEDIA_EVENTS_OPTIONS');
export interface MediaEventsOptions {
  redisUrl: string;
  prefix: string;
}

/**
 * Keeps the catalog's lecture_media in step with the transcoder through the durable media-events
 * queue; applying an event twice leaves the same row, so BullMQ's at-least-once delivery is safe.
 */
@Injectable()
export class MediaEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MediaEventsConsumer.name);
  private worker?: Worker<MediaEvent>;
  private connection?: Redis;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MEDIA_EVENTS_OPTIONS) private readonly options: MediaEventsOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<MediaEvent>(QUEUES.mediaEvents, (job) => this.apply(job), {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: 4,
    });
    observeWorker(this.worker);
    this.worker.on('error', (error) => this.logger.warn(`media-events worker: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async apply(job: Pick<Job<MediaEvent>, 'data'>): Promise<void> {
    const event = job.data;
    if (event.type === 'asset.ready') {
      await this.db.query(
        `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs, failure_code, failure_reason, updated_at)
         VALUES ($1, 'ready', $2, $3, $4, NULL, NULL, now())
         ON CONFLICT (asset_id) DO UPDATE SET status = 'ready', kind = $2, duration_sec = $3, outputs = $4,
                                               failure_code = NULL, failure_reason = NULL, updated_at = now()`,
        [event.assetId, event.kind, event.durationSec, JSON.stringify(event.outputs)],
      );
    } else if (event.type === 'asset.failed') {
      // A late failure report never overrides media that is already playing.
      await this.db.query(
        `INSERT INTO lecture_media (asset_id, status, failure_code, failure_reason, updated_at)
         VALUES ($1, 'failed', $2, $3, now())
         ON CONFLICT (asset_id) DO UPDATE SET status = 'failed', failure_code = $2, failure_reason = $3, updated_at = now()
          WHERE lecture_media.status <> 'ready'`,
        [event.assetId, event.code, event.reason],
      );
    } else if (event.type === 'asset.previewable') {
      await applyPreviewableEvent(this.db, event);
    } else {
      this.logger.warn(`ignoring unknown media event ${JSON.stringify(event)}`);
    }
    if (event.type === 'asset.ready' || event.type === 'asset.failed') await forgetPreview(this.db, event.assetId);
  }
}
