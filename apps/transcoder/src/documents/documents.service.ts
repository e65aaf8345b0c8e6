import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DOCUMENT_JOBS, type ConvertDocumentJob } from '#contracts';
import { isOfficeDocumentKind } from '#media';
import type { Storage } from '#storage';
import { STORAGE, TRANSCODER_CONFIG, type TranscoderConfig } from '../transcoder.config.js';
import { DocumentConvertError, convertDocument } from './convert-document.js';
import { CourseMaterialsRepository } from './course-materials.repository.js';
import { BadDocumentError, TransientDocumentError, asBadDocument, describeDocumentFailure } from './document-failure.js';
import { recordConversion } from './document-metrics.js';
import { DOCUMENTS_CONFIG, type DocumentsConfig } from './documents.config.js';
import type { Sandbox } from './sandbox.js';

export type ConvertResult =
  | { status: 'ready'; materialId: string; pdfKey: string; pageCount: number }
  /** The material was not waiting for a PDF (already ready or failed, or gone): nothing was converted. */
  | { status: 'skipped'; materialId: string; state: string | null }
  /** Another job settled the material while this one converted; its result was not used. */
  | { status: 'superseded'; materialId: string };

/** Where a material's PDF is kept: beside its original (materials/<course>/<material>/converted.pdf). */
export function pdfKeyFor(materialId: string, sourceKey: string): string {
  const folder = posix.dirname(sourceKey);
  return folder === '.' || folder === '/' ? `materials/${materialId}/converted.pdf` : `${folder}/converted.pdf`;
}

/**
 * One conversion attempt of a course material: count the attempt on a row still `converting`, convert its original
 * with LibreOffice in a folder of its own, store the checked PDF beside the original, and make the material ready
 * with one conditional UPDATE.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);
  private sandbox: Sandbox | null = null;

  constructor(
    private readonly materials: CourseMaterialsRepository,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(TRANSCODER_CONFIG) private readonly transcoder: TranscoderConfig,
    @Inject(DOCUMENTS_CONFIG) private readonly config: DocumentsConfig,
  ) {}

  /** Set by the worker once it has found what the machine offers (see probeSandbox). */
  useSandbox(sandbox: Sandbox): void {
    this.sandbox = sandbox;
  }

  async convert(job: Job<ConvertDocumentJob>, signal?: AbortSignal): Promise<ConvertResult> {
    if (job.name !== DOCUMENT_JOBS.convert) throw new UnrecoverableError(`The documents queue has no job called "${job.name}"`);
    const { materialId } = job.data;
    if (!this.sandbox) throw new Error('the documents worker has not started');
    const material = await this.materials.startAttempt(materialId);
    if (!material) {
      const state = (await this.materials.stateOf(materialId))?.state ?? null;
      this.logger.log(`material ${materialId}: nothing to convert (state ${state ?? 'missing'})`);
      return { status: 'skipped', materialId, state };
    }
    const { kind } = material;
    if (!isOfficeDocumentKind(kind)) {
      throw new BadDocumentError('not_convertible', `Only Word, PowerPoint and Excel documents are converted to PDF, not ${kind} files.`);
    }
    this.logger.log(`material ${materialId}: converting ${kind} (attempt ${material.attempts})`);
    const runDir = join(this.transcoder.workDir, 'documents', `${materialId}-${randomUUID()}`);
    const startedMs = Date.now();
    try {
      if (!(await this.storage.stat(material.sourceKey))) {
        throw new TransientDocumentError('source_missing', `source ${material.sourceKey} of material ${materialId} is not in storage`);
      }
      const source = await this.storage.localPath(material.sourceKey, join(runDir, 'download'));
      const converted = await convertDocument({
        kind,
        source,
        runDir,
        timeoutMs: this.config.timeoutMs,
        sandbox: this.sandbox,
        memoryLimitBytes: this.config.memoryLimitBytes,
        pdfMaxBytes: this.config.pdfMaxBytes,
        sofficePath: this.config.sofficePath,
        signal,
        onStart: (pid) => this.logger.debug(`material ${materialId}: LibreOffice started (process group ${pid})`),
      });
      const pdfKey = pdfKeyFor(materialId, material.sourceKey);
      await this.storage.putFile(converted.pdfPath, pdfKey);
      recordConversion(kind, 'ready', converted.elapsedMs / 1000, converted.pageCount);
      // The fence: only a row still converting becomes ready; a late or duplicate job changes nothing.
      if (!(await this.materials.markReady(materialId, pdfKey, converted.pageCount))) {
        this.logger.warn(`material ${materialId}: settled by another job while this one converted; its PDF is not used`);
        return { status: 'superseded', materialId };
      }
      this.logger.log(
        `material ${materialId}: ready (${converted.pageCount} pages, ${converted.pdfBytes} bytes, ${Math.round(converted.elapsedMs)} ms)`,
      );
      return { status: 'ready', materialId, pdfKey, pageCount: converted.pageCount };
    } catch (error) {
      if (error instanceof DocumentConvertError) {
        recordConversion(kind, error.reason, (Date.now() - startedMs) / 1000);
        this.logger.warn(`material ${materialId}: ${error.message}${error.output ? `\n${error.output.slice(-2000)}` : ''}`);
      }
      throw asBadDocument(error, kind, this.config.pdfMaxBytes);
    } finally {
      await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Records a job's final failure on a row still converting (no retry left, a bad document, a worker lost twice). */
  async settleFailure(job: Job<ConvertDocumentJob>, error: unknown): Promise<void> {
    const { materialId } = job.data;
    const { code, message } = describeDocumentFailure(error, this.config.timeoutMs);
    if (await this.materials.markFailed(materialId, code, message)) {
      this.logger.warn(`material ${materialId}: failed (${code}): ${error instanceof Error ? error.message : String(error)}`);
    } else {
      this.logger.warn(`material ${materialId}: final failure (${code}) not recorded: the material is already settled`);
    }
  }
}
