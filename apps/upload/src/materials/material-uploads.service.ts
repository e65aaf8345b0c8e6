import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Upload } from '@tus/server';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Principal } from '#auth';
import type { MaterialRefusalBody, MaterialRefusalCode } from '#contracts';
import { checkMaterialSize, countPdfPages, inspectMaterial, materialTypeFor } from '#media';
import type { Storage } from '#storage';
import { STORAGE } from '../intake/intake.service.js';
import { UPLOAD_BACKEND, type UploadBackend } from '../tus/upload-backend.js';
import { DocumentsQueue } from './documents-queue.js';
import {
  UPLOADER_KEY,
  cleanFileName,
  initialState,
  mimeTypeOf,
  parseMaterialMetadata,
  refusalStatus,
  sourceKeyFor,
  storedKind,
  titleFor,
  type MaterialMetadata,
} from './material-metadata.js';
import { MaterialUploadsRepository } from './material-uploads.repository.js';

/** How @tus/server answers an error thrown from a hook: this status and body. */
export interface TusRefusal {
  status_code: number;
  body: string;
}

/**
 * A refusal answered as the API's errors are (`{ statusCode, code, message }`, one line of JSON): the English
 * sentence for API users, the code for the studio to say it in the editor's language.
 */
export function refusal(status: number, code: MaterialRefusalCode, message: string): TusRefusal {
  const body: MaterialRefusalBody = { statusCode: status, code, message };
  return { status_code: status, body: `${JSON.stringify(body)}\n` };
}

/**
 * Course materials through the studio's tus endpoint. At creation: metadata, the editor's right to the course,
 * the file type and its size limit, before a byte is stored. At the last byte, before the answer: every check
 * of the whole file (magic bytes, zip bombs, macros, encryption, PDF JavaScript…). A refused file is answered
 * with the checker's message and nothing is kept; a good one is stored, recorded in `course_materials` and,
 * for an Office document, queued for conversion to PDF.
 */
@Injectable()
export class MaterialUploadsService {
  private readonly logger = new Logger(MaterialUploadsService.name);

  constructor(
    private readonly materials: MaterialUploadsRepository,
    private readonly queue: DocumentsQueue,
    @Inject(UPLOAD_BACKEND) private readonly uploads: UploadBackend,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /** tus onUploadCreate for a material: refuses early, returns the metadata to keep (with the uploader). */
  async beforeCreate(principal: Principal, upload: Upload): Promise<{ metadata: Record<string, string> }> {
    const metadata = this.metadataOf(upload);
    const type = materialTypeFor(metadata.filename);
    if (!type.ok) throw refusal(refusalStatus(type.code), type.code, type.message);
    if (upload.size === undefined) {
      throw refusal(400, 'length_required', 'Upload-Length is required: the size of the file must be known when the upload starts.');
    }
    const tooLarge = checkMaterialSize(type.kind, upload.size);
    if (tooLarge) throw refusal(refusalStatus(tooLarge.code), tooLarge.code, tooLarge.message);
    const verdict = await this.materials.mayAttach(principal.userId, metadata.courseId, metadata.lectureId);
    if (!verdict.ok) throw refusal(verdict.status, verdict.code, verdict.message);
    const kept: Record<string, string> = {
      purpose: 'material',
      filename: metadata.filename,
      courseId: metadata.courseId,
      [UPLOADER_KEY]: principal.userId,
    };
    if (metadata.lectureId) kept.lectureId = metadata.lectureId;
    if (metadata.title) kept.title = metadata.title;
    if (metadata.sha256) kept.sha256 = metadata.sha256.toLowerCase();
    if (upload.metadata?.filetype) kept.filetype = upload.metadata.filetype.slice(0, 100);
    return { metadata: kept };
  }

  /**
   * tus onUploadFinish for a material. Throws a TusRefusal (the upload is deleted first) for a file that is
   * refused; otherwise answers with the new material's id in `Lectern-Material-Id`.
   */
  async afterFinish(upload: Upload): Promise<{ headers: Record<string, string> }> {
    try {
      const id = await this.accept(upload);
      return { headers: { 'Lectern-Material-Id': id } };
    } finally {
      // Refused or kept, the upload itself is no longer needed (a kept file is in storage now).
      await this.uploads.datastore.remove(upload.id).catch(() => undefined);
    }
  }

  /** Who started a material upload, for the tus controller's "only the uploader may touch it" check. */
  async uploaderOf(uploadId: string): Promise<string | null> {
    const upload = await this.uploads.datastore.getUpload(uploadId).catch(() => null);
    return upload?.metadata?.purpose === 'material' ? (upload.metadata[UPLOADER_KEY] ?? null) : null;
  }

  private metadataOf(upload: Upload): MaterialMetadata {
    const parsed = parseMaterialMetadata(upload.metadata);
    if (!parsed.ok) throw refusal(400, 'bad_metadata', parsed.message);
    return { ...parsed.value, filename: cleanFileName(parsed.value.filename) };
  }

  private async accept(upload: Upload): Promise<string> {
    const metadata = this.metadataOf(upload);
    const uploaderId = upload.metadata?.[UPLOADER_KEY];
    if (!uploaderId) throw refusal(400, 'bad_metadata', 'This upload was not started as a course material. Upload the file again.');
    // Rights are asked again: the course may have moved or the editor been deactivated meanwhile.
    const verdict = await this.materials.mayAttach(uploaderId, metadata.courseId, metadata.lectureId);
    if (!verdict.ok) throw refusal(verdict.status, verdict.code, verdict.message);

    const work = await this.uploads.workFile(upload.id);
    try {
      const bytes = await readFile(work.path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (metadata.sha256 && metadata.sha256.toLowerCase() !== sha256) {
        throw refusal(
          422,
          'checksum_mismatch',
          'The file arrived damaged (its checksum does not match the one your browser computed). Please upload it again.',
        );
      }
      const inspection = inspectMaterial(metadata.filename, bytes);
      if (!inspection.ok) {
        this.logger.log(`material "${metadata.filename}" for course ${metadata.courseId} refused: ${inspection.code}`);
        throw refusal(refusalStatus(inspection.code), inspection.code, inspection.message);
      }
      const id = randomUUID();
      const sourceKey = sourceKeyFor(metadata.courseId, id, metadata.filename, inspection.kind);
      const { state, pdfKey } = initialState(inspection, sourceKey);
      const pageCount = inspection.kind === 'pdf' ? await this.pagesOf(bytes, metadata.filename) : null;
      await this.uploads.store(upload.id, work.path, sourceKey);
      try {
        await this.materials.insert({
          id,
          courseId: metadata.courseId,
          lectureId: metadata.lectureId ?? null,
          title: titleFor(metadata.filename, metadata.title),
          fileName: metadata.filename,
          kind: storedKind(inspection.kind),
          mimeType: mimeTypeOf(inspection),
          sizeBytes: bytes.length,
          sha256,
          sourceKey,
          pdfKey,
          pageCount,
          state,
          uploadedBy: uploaderId,
        });
      } catch (error) {
        // No row, no file: the stored original goes with the failed insert.
        await this.storage.removePrefix(sourceKey.slice(0, sourceKey.lastIndexOf('/'))).catch(() => undefined);
        throw error;
      }
      if (state === 'converting') await this.enqueue(id);
      return id;
    } finally {
      await work.release();
    }
  }

  /**
   * A PDF's pages, counted by pdf.js as the documents worker counts a converted one. A PDF that passed every check
   * but that pdf.js cannot open is still kept (it can be downloaded), without a page count.
   */
  private async pagesOf(bytes: Buffer, fileName: string): Promise<number | null> {
    try {
      return await countPdfPages(bytes);
    } catch (error) {
      this.logger.warn(`material "${fileName}": pages not counted: ${(error as Error).message}`);
      return null;
    }
  }

  /** Queues the conversion; with Redis away the material waits in `converting` for the reconciler. */
  async enqueue(materialId: string): Promise<boolean> {
    try {
      await this.queue.enqueue(materialId);
      return true;
    } catch (error) {
      this.logger.warn(`material ${materialId} waits for its conversion job: the queue is unavailable (${(error as Error).message})`);
      return false;
    }
  }
}
