import { z } from 'zod';
import { MATERIAL_LIMITS, MATERIAL_UPLOAD_PURPOSE, type MaterialKind as StoredKind } from '#contracts';
import type { MaterialInspection, MaterialKind, MaterialRefusalCode } from '#media';

/** Whether a tus upload is a course material (its metadata says `purpose: material`), not lecture media. */
export const isMaterialUpload = (metadata: Record<string, string | null> | undefined): boolean =>
  metadata?.purpose === MATERIAL_UPLOAD_PURPOSE;

/** Where the upload service records who started a material upload (set by the server, never by the client). */
export const UPLOADER_KEY = 'uploaderId';

const optionalText = (max: number, what: string) =>
  z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().max(max, `${what} must be at most ${max} characters`))
    .optional();

/** The tus metadata of a material upload, as the browser sends it. */
export const MaterialMetadataSchema = z.object({
  filename: z
    .string({ error: 'filename is required: send the name of the file you upload' })
    .trim()
    .min(1, 'filename is required: send the name of the file you upload')
    .max(
      MATERIAL_LIMITS.fileName,
      `the file name must be at most ${MATERIAL_LIMITS.fileName} characters; rename the file and upload again`,
    ),
  courseId: z.uuid('courseId must be the id of the course the material belongs to'),
  lectureId: z.uuid('lectureId must be the id of a lecture of the course, or left out for the whole course').optional(),
  title: optionalText(MATERIAL_LIMITS.title, 'the title'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be the hex SHA-256 of the file')
    .optional(),
});
export type MaterialMetadata = z.infer<typeof MaterialMetadataSchema>;

/** Parses tus metadata; a refusal is one sentence naming the field and what to send. */
export function parseMaterialMetadata(
  metadata: Record<string, string | null> | undefined,
): { ok: true; value: MaterialMetadata } | { ok: false; message: string } {
  const present = Object.fromEntries(Object.entries(metadata ?? {}).filter(([, value]) => value !== null && value !== ''));
  const parsed = MaterialMetadataSchema.safeParse(present);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `Upload-Metadata: ${issue.message}.` };
}

/** A file name safe to show and to offer as a download name: printable, no path separators. */
export function cleanFileName(raw: string): string {
  const cleaned = raw
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f/\\]+/g, ' ')
    .trim()
    .slice(0, MATERIAL_LIMITS.fileName);
  return cleaned || 'material';
}

/** The title members see: the one given, else the file name without its extension. */
export function titleFor(fileName: string, given: string | undefined): string {
  if (given) return given.slice(0, MATERIAL_LIMITS.title);
  const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return (base || fileName).slice(0, MATERIAL_LIMITS.title);
}

const IMAGE_EXTENSION: Partial<Record<MaterialKind, string>> = { png: 'png', jpeg: 'jpg', gif: 'gif', webp: 'webp' };

/** The stored kind: every image format is `image`. */
export function storedKind(kind: MaterialKind): StoredKind {
  return kind in IMAGE_EXTENSION ? 'image' : (kind as StoredKind);
}

/** The original's storage key: under the course and material, named by what the content is. */
export function sourceKeyFor(courseId: string, materialId: string, fileName: string, kind: MaterialKind): string {
  const named = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase();
  // An image is kept under the format its bytes show (a JPEG named .png is stored as .jpg).
  const extension = IMAGE_EXTENSION[kind] ?? named ?? 'bin';
  return `materials/${courseId}/${materialId}/original.${extension}`;
}

/** The Content-Type a material is described with: text in GBK says so. */
export function mimeTypeOf(inspection: Pick<MaterialInspection, 'mime' | 'encoding'>): string {
  return inspection.encoding === 'gbk' ? inspection.mime.replace(/charset=utf-8/i, 'charset=gbk') : inspection.mime;
}

/** The HTTP status a refused material is answered with (the body is the checker's message). */
export function refusalStatus(code: MaterialRefusalCode): 413 | 415 | 422 {
  if (code === 'too_large') return 413;
  if (code === 'type_not_allowed') return 415;
  return 422;
}

/** What the row starts as: PDFs are read as they are, Office documents wait for their PDF, the rest are only downloaded. */
export function initialState(
  inspection: Pick<MaterialInspection, 'kind' | 'convertToPdf'>,
  sourceKey: string,
): {
  state: 'converting' | 'ready';
  pdfKey: string | null;
} {
  if (inspection.convertToPdf) return { state: 'converting', pdfKey: null };
  return { state: 'ready', pdfKey: inspection.kind === 'pdf' ? sourceKey : null };
}
