import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { DOCUMENTS_QUEUE, type ConvertDocumentJob } from '#contracts';
import { observeWorker } from '#metrics';
import { createRedis } from '#platform';
import { isFinalFailure } from '../transcode.worker.js';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../transcoder.config.js';
import { killLibreOfficeOnProcessExit } from './convert-document.js';
import { DOCUMENTS_CONFIG, type DocumentsConfig } from './documents.config.js';
import { DocumentsService, type ConvertResult } from './documents.service.js';
import { hasSoffice, probeSandbox, type Sandbox } from './sandbox.js';
import { removeStaleRuns } from './stale-runs.js';

/** Why the worker does not take jobs, or null when it does. */
export function refusalToStart(config: DocumentsConfig, sandbox: Sandbox, soffice: boolean): string | null {
  if (!soffice) {
    return `LibreOffice (${config.sofficePath}) is not installed: Office documents stay "converting" until it is. Install it ("apt-get install --no-install-recommends libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui") and restart the transcoder.`;
  }
  if (config.networkIsolation === 'required' && !sandbox.isolateNetwork) {
    return `DOCUMENT_NETWORK_ISOLATION=required, but LibreOffice cannot run in a network namespace here (${sandbox.isolationProblem}): Office documents stay "converting". Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the container's seccomp/AppArmor profile), or set DOCUMENT_NETWORK_ISOLATION=off where the transcoder itself has no network.`;
  }
  return null;
}

/**
 * The BullMQ worker of the documents queue, beside the transcode worker in the transcoder process, on its own
 * connection. One LibreOffice at a time per process (it is heavy); a crash or timeout is retried as the job's
 * options say, a document LibreOffice cannot read fails at once.
 */
@Injectable()
export class DocumentsWorker implements OnModuleDestroy {
  private readonly logger = new Logger(DocumentsWorker.name);
  private worker?: Worker<ConvertDocumentJob, ConvertResult>;
  private connection?: Redis;
  private readonly settling = new Set<Promise<void>>();

  constructor(
    private readonly documents: DocumentsService,
    @Inject(TRANSCODER_CONFIG) private readonly transcoder: TranscoderConfig,
    @Inject(DOCUMENTS_CONFIG) private readonly config: DocumentsConfig,
  ) {}

  /** Starts taking jobs when LibreOffice can run here as configured; resolves with whether it does. */
  async start(): Promise<boolean> {
    if (this.worker) return true;
    const [probed, soffice] = await Promise.all([probeSandbox(), hasSoffice(this.config.sofficePath)]);
    const sandbox: Sandbox = { ...probed, isolateNetwork: this.config.networkIsolation !== 'off' && probed.isolateNetwork };
    const refusal = refusalToStart(this.config, probed, soffice);
    if (refusal) {
      this.logger.error(refusal);
      return false;
    }
    if (this.config.networkIsolation === 'auto' && !probed.isolateNetwork) {
      this.logger.warn(
        `LibreOffice runs WITH network access: this machine does not allow a network namespace (${probed.isolationProblem}). See "Office documents" in docs/OPERATIONS.md.`,
      );
    }
    if (!probed.killWithParent || !probed.limits) {
      this.logger.warn(
        `util-linux ${probed.killWithParent ? 'prlimit' : 'setpriv'} is missing: LibreOffice runs without ${probed.killWithParent ? 'memory limits' : 'dying with this worker'}`,
      );
    }
    this.documents.useSandbox(sandbox);
    killLibreOfficeOnProcessExit();
    // Run folders of a transcoder killed mid-run; a live run never lives past its time limit.
    const stale = await removeStaleRuns(join(this.transcoder.workDir, 'documents'), 2 * this.config.timeoutMs + 10 * 60_000);
    if (stale.length > 0) this.logger.warn(`removed ${stale.length} document run folders left by a stopped transcoder`);

    const connection = createRedis(this.transcoder.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.connection = connection;
    const worker = new Worker<ConvertDocumentJob, ConvertResult>(
      DOCUMENTS_QUEUE,
      (job, _token, signal) => this.documents.convert(job, signal),
      {
        connection,
        prefix: this.transcoder.queuePrefix,
        concurrency: 1,
        lockDuration: this.transcoder.lockDurationMs,
        stalledInterval: this.transcoder.stalledIntervalMs,
        maxStalledCount: 1,
      },
    );
    this.worker = worker;
    observeWorker(worker);
    worker.on('failed', (job, error) => {
      if (!job) return;
      if (!isFinalFailure(job, error)) {
        this.logger.warn(`material ${job.data.materialId}: attempt ${job.attemptsMade} failed, will retry: ${error.message}`);
        return;
      }
      const settling = this.settleWithRetries(job, error).finally(() => this.settling.delete(settling));
      this.settling.add(settling);
    });
    worker.on('stalled', (jobId) => this.logger.warn(`documents job ${jobId} stalled (its worker died or lost Redis); it runs again`));
    worker.on('error', (error) => this.logger.warn(`documents worker: ${error.message}`));
    await worker.waitUntilReady();
    this.logger.log(
      `documents worker ready (network ${sandbox.isolateNetwork ? 'isolated' : 'NOT isolated'}, time limit ${this.config.timeoutMs} ms, memory limit ${this.config.memoryLimitBytes === null ? 'none' : `${this.config.memoryLimitBytes / 1024 / 1024} MiB`})`,
    );
    return true;
  }

  /** Stops taking jobs and waits for the active one to finish. */
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

  /** The database may be briefly away exactly now: the editor must still learn about the failure. */
  private async settleWithRetries(job: Job<ConvertDocumentJob>, error: Error): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.documents.settleFailure(job, error);
        return;
      } catch (failure) {
        if (attempt >= 5) {
          this.logger.error(`material ${job.data.materialId}: could not record its failure: ${(failure as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      }
    }
  }
}
