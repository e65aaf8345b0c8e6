import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { DOCUMENTS_QUEUE, type ConvertDocumentJob } from '#contracts';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../transcoder.config.js';
import { QueueWorker } from '../worker-lifecycle.js';
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
  private worker?: QueueWorker<ConvertDocumentJob, ConvertResult>;

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

    const worker = new QueueWorker<ConvertDocumentJob, ConvertResult>({
      queue: DOCUMENTS_QUEUE,
      process: (job, _token, signal) => this.documents.convert(job, signal),
      config: this.transcoder,
      concurrency: 1,
      logger: this.logger,
      subject: (job) => `material ${job.data.materialId}`,
      jobName: 'documents job',
      workerName: 'documents worker',
      settleFailure: (job, error) => this.documents.settleFailure(job, error),
    });
    this.worker = worker;
    await worker.start();
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
    this.worker = undefined;
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
