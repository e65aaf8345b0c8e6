// Course and lecture materials: documents to read and download.
import { QUEUES } from './queues.js';

/** What a material is, for reading and for its icon (images of every format are `image`). */
export const MATERIAL_KINDS = ['pdf', 'docx', 'pptx', 'xlsx', 'image', 'text'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/** `converting`: an Office document waits for its PDF (the original is already downloadable). */
export const MATERIAL_STATES = ['converting', 'ready', 'failed'] as const;
export type MaterialState = (typeof MATERIAL_STATES)[number];

export const MATERIAL_LIMITS = { title: 200, fileName: 255 } as const;

/** File extensions an editor may pick (the upload service checks each file's content against its extension). */
export const MATERIAL_EXTENSIONS = ['pdf', 'docx', 'pptx', 'xlsx', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'txt', 'md', 'csv'] as const;

/** tus metadata of a material upload (same endpoint as media; `purpose` tells them apart). */
export const MATERIAL_UPLOAD_PURPOSE = 'material';
export interface MaterialUploadMetadata {
  purpose: typeof MATERIAL_UPLOAD_PURPOSE;
  /** The original file name: its extension decides the accepted type. */
  filename: string;
  courseId: string;
  /** Attach to one lecture of the course; absent for the whole course. */
  lectureId?: string;
  /** Shown to members; the file name without its extension when absent. */
  title?: string;
}

/**
 * Why the upload service refused a material, as a stable code the studio words in the editor's language. The
 * first twelve are the file checks' own codes (libs/media), the rest the upload's: a damaged transfer, bad
 * tus metadata, the editor's rights to the course or lecture.
 */
export const MATERIAL_REFUSAL_CODES = [
  'type_not_allowed',
  'empty',
  'too_large',
  'mismatch',
  'unreadable',
  'encrypted',
  'macros',
  'unsafe_path',
  'zip_bomb',
  'too_many_entries',
  'active_content',
  'too_complex',
  'checksum_mismatch',
  'bad_metadata',
  'length_required',
  'not_editor',
  'no_course',
  'no_lecture',
  'course_archived',
] as const;
export type MaterialRefusalCode = (typeof MATERIAL_REFUSAL_CODES)[number];

/**
 * The body of a refused material upload (4xx on the tus creation or on its last PATCH), shaped like the API's
 * other errors: `message` is one English sentence for API users, `code` what the studio shows in its own words.
 */
export interface MaterialRefusalBody {
  statusCode: number;
  code: MaterialRefusalCode;
  message: string;
}

export interface MaterialProblem {
  code: string;
  message: string;
}

export interface MaterialView {
  id: string;
  courseId: string;
  lectureId: string | null;
  title: string;
  fileName: string;
  kind: MaterialKind;
  sizeBytes: number;
  state: MaterialState;
  /** A PDF exists to read in the page (a PDF, or an Office document once converted). */
  readable: boolean;
  pageCount: number | null;
  position: number;
  /** Why the conversion failed and what to do (editors only; always null for members). */
  problem: MaterialProblem | null;
  createdAt: string;
  archivedAt: string | null;
}

/** Signed, expiring links; they stop working once the material is archived or the member is deactivated. */
export interface MaterialLinks {
  /** The PDF to show in the page; null when there is none (yet). */
  readUrl: string | null;
  /** The original file, sent as an attachment under its file name. */
  downloadUrl: string;
  expiresAt: string;
}

export interface MaterialWithLinks extends MaterialView {
  links: MaterialLinks;
}

export interface MaterialListView {
  materials: MaterialView[];
}

/** PATCH body: any of the fields; `position` moves the material to that index among the course's materials. */
export interface UpdateMaterialInput {
  title?: string;
  lectureId?: string | null;
  position?: number;
}

// Conversion queue (upload and catalog → documents worker).

export const DOCUMENTS_QUEUE = QUEUES.documents;
export const DOCUMENT_JOBS = { convert: 'convert-document' } as const;

/** Convert an Office material's original to PDF; the worker reads and updates its course_materials row. */
export interface ConvertDocumentJob {
  materialId: string;
}

/**
 * The job id of a material's conversion, so queueing it twice is a no-op. (BullMQ refuses custom ids with
 * one ':' in them, hence the dash.)
 */
export const materialJobId = (materialId: string): string => `material-${materialId}`;
