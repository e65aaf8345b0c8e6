import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { QUEUES, type TranscodeJob } from '#contracts';
import { TranscodeProcessor } from './transcode.processor.js';
import { TranscodeService, type TranscodeResult } from './transcode.service.js';
import { TRANSCODER_CONFIG, type TranscoderConfig } from './transcoder.config.js';
import { QueueWorker } from './worker-lifecycle.js';

/**
 * The BullMQ worker of the transcode queue, on its own connection. Locks are renewed every
 * lockDuration/2 while ffmpeg runs; a worker that dies loses its lock and its job is run again
 * elsewhere once (maxStalledCount 1), then failed.
 */
@Injectable()
export class TranscodeWorker implements OnModuleDestroy {
  private readonly logger = new Logger(TranscodeWorker.name);
  private readonly worker: QueueWorker<TranscodeJob, TranscodeResult>;

  constructor(
    private readonly processor: TranscodeProcessor,
    private readonly transcoder: TranscodeService,
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
  ) {
    this.worker = new QueueWorker<TranscodeJob, TranscodeResult>({
      queue: QUEUES.transcode,
      process: (job, _token, signal) => this.processor.process(job, signal),
      config: this.config,
      concurrency: this.config.concurrency,
      logger: this.logger,
      subject: (job) => `asset ${job.data.assetId}`,
      jobName: 'job',
      workerName: 'transcode worker',
      settleFailure: (job, error) => this.transcoder.settleFailure(job, error),
      onRetry: (job) => this.transcoder.forget(job),
      onCompleted: (job) => this.transcoder.forget(job),
    });
  }

  /** Starts taking jobs; resolves once the worker is connected. */
  async start(): Promise<void> {
    await this.worker.start();
  }

  /** Stops taking jobs and waits for the active ones to finish. */
  async close(): Promise<void> {
    await this.worker.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
