import type { OfficeDocumentKind } from '#media';
import { BadInputError, TRY_AGAIN, TransientJobError, isStalledTooOften } from '../worker-lifecycle.js';
import { DocumentConvertError } from './convert-document.js';

/** The document itself cannot be converted: failing at once, since a retry would fail the same way. */
export class BadDocumentError extends BadInputError {}

/** Trouble on our side (a missing original, storage, the database): retried with backoff. */
export class TransientDocumentError extends TransientJobError {
  override readonly name = 'TransientDocumentError';
}

export interface DocumentFailure {
  /** For programs and logs (course_materials.failure_code). */
  code: string;
  /** For the editor: what happened and what to do (course_materials.failure_message). */
  message: string;
}

const NAMES: Readonly<Record<OfficeDocumentKind, { document: string; app: string }>> = {
  docx: { document: 'a Word document (.docx)', app: 'Word or WPS Writer' },
  pptx: { document: 'a PowerPoint presentation (.pptx)', app: 'PowerPoint or WPS Presentation' },
  xlsx: { document: 'an Excel workbook (.xlsx)', app: 'Excel or WPS Spreadsheets' },
};

const ORIGINAL = 'The original file can still be downloaded.';

/**
 * What a conversion that cannot succeed means to an editor, as a BadDocumentError (no retry); other errors are
 * returned unchanged and retried by BullMQ.
 */
export function asBadDocument(error: unknown, kind: OfficeDocumentKind, pdfMaxBytes: number): unknown {
  if (!(error instanceof DocumentConvertError)) return error;
  const { document, app } = NAMES[kind];
  const extension = `.${kind}`;
  switch (error.reason) {
    case 'unreadable':
      return new BadDocumentError(
        'unreadable',
        `LibreOffice could not open this file: it is damaged, or it is not really ${document}. Open it in ${app}, save it again as ${extension}, and upload it again. ${ORIGINAL}`,
        { cause: error },
      );
    case 'too_large':
      return new BadDocumentError(
        'too_large',
        `The PDF made from this document would be larger than ${Math.round(pdfMaxBytes / 1024 / 1024)} MB. Split it into smaller documents, or make its pictures smaller, and upload it again. ${ORIGINAL}`,
        { cause: error },
      );
    case 'bad_output':
      return new BadDocumentError(
        'bad_output',
        `The PDF made from this document did not pass Lectern's checks. Save it again as ${extension} in ${app} (or export it to PDF there and upload the PDF). ${ORIGINAL}`,
        { cause: error },
      );
    default:
      return error;
  }
}

/** The editor's message for a final failure; infrastructure details stay in the logs. */
export function describeDocumentFailure(error: unknown, timeoutMs: number): DocumentFailure {
  if (error instanceof BadDocumentError) return { code: error.code, message: error.reason };
  if (isStalledTooOften(error)) {
    return {
      code: 'worker_lost',
      message: `Converting this document stopped the conversion service twice, so it was not tried again. Save it again in its program (or export it to PDF and upload the PDF). ${ORIGINAL}`,
    };
  }
  if (error instanceof DocumentConvertError) {
    switch (error.reason) {
      case 'timeout':
        return {
          code: 'timeout',
          message: `Converting this document to PDF took longer than the limit of ${Math.round(timeoutMs / 1000)} seconds, on every try. Split it into smaller documents, or export it to PDF yourself and upload the PDF. ${ORIGINAL}`,
        };
      case 'crashed':
        return {
          code: 'conversion_failed',
          message: `LibreOffice stopped while converting this document, on every try; it may be very large or complex. Save it again in its program, or export it to PDF yourself and upload the PDF. ${ORIGINAL}`,
        };
      case 'spawn':
        return { code: 'converter_unavailable', message: `The document converter is not available at the moment. ${TRY_AGAIN}` };
      default:
        break;
    }
  }
  if (error instanceof TransientDocumentError && error.code === 'source_missing') {
    return {
      code: error.code,
      message: 'We could not find the uploaded file in storage. Please upload it again; if it keeps failing, contact your administrator.',
    };
  }
  return { code: 'internal_error', message: `The document could not be converted because of a problem on our side. ${TRY_AGAIN}` };
}
