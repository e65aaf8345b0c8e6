import type { DetailedError } from 'tus-js-client';
import {
  MATERIAL_EXTENSIONS,
  MATERIAL_REFUSAL_CODES,
  MATERIAL_UPLOAD_PURPOSE,
  type MaterialListView,
  type MaterialRefusalCode,
  type MaterialUploadMetadata,
  type MaterialView,
  type UpdateMaterialInput,
} from '#contracts';
import { reportUnauthorized, request } from './api.js';
import { readToken } from './token.js';

export type { MaterialKind, MaterialRefusalCode, MaterialState, MaterialView } from '#contracts';

const id = encodeURIComponent;

/** What the file picker offers: the extensions the upload service accepts (it checks every file's content too). */
export const MATERIAL_ACCEPT = MATERIAL_EXTENSIONS.map((extension) => `.${extension}`).join(',');

export function isAcceptedMaterialName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && (MATERIAL_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1).toLowerCase());
}

/** Every material of the course for its editors, with state and problems (archived ones when asked). */
export const listStudioMaterials = (courseId: string, includeArchived = false) =>
  request<MaterialListView>('GET', `/api/studio/courses/${id(courseId)}/materials${includeArchived ? '?includeArchived=true' : ''}`);

export const updateMaterial = (materialId: string, input: UpdateMaterialInput) =>
  request<MaterialView>('PATCH', `/api/studio/materials/${id(materialId)}`, input);

export const archiveMaterial = (materialId: string) => request<MaterialView>('POST', `/api/studio/materials/${id(materialId)}/archive`);

export const restoreMaterial = (materialId: string) => request<MaterialView>('POST', `/api/studio/materials/${id(materialId)}/restore`);

export const retryMaterial = (materialId: string) => request<MaterialView>('POST', `/api/studio/materials/${id(materialId)}/retry`);

export type MaterialUploadResult =
  | { ok: true; materialId: string | null }
  /**
   * `message` is the upload service's own sentence (why the file was refused and what to do), when it gave one;
   * `code` its reason, when it is one this client knows how to say.
   */
  | { ok: false; status: number; code: MaterialRefusalCode | null; message: string | null; offline: boolean };

/** A refusal's body: `{ statusCode, code, message }` as JSON, or (from older servers and tus itself) a plain sentence. */
export function readRefusal(body: string | undefined): { code: MaterialRefusalCode | null; message: string | null } {
  const text = body?.trim();
  if (!text) return { code: null, message: null };
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') {
      const known = (MATERIAL_REFUSAL_CODES as readonly unknown[]).includes(parsed.code);
      return { code: known ? (parsed.code as MaterialRefusalCode) : null, message: parsed.message };
    }
  } catch {
    // Not JSON: the body is the sentence itself.
  }
  return { code: null, message: text };
}

export interface MaterialUpload {
  done: Promise<MaterialUploadResult>;
  /** Stops the upload and deletes what the server holds of it. */
  cancel(): void;
}

/**
 * Sends a material through the studio's tus endpoint (the one media uses). The upload service checks the
 * whole file when its last byte arrives and answers a refused one with a 4xx and a sentence, which is kept.
 */
export function uploadMaterial(
  file: File,
  target: { courseId: string; lectureId: string | null },
  onProgress: (sent: number, total: number) => void,
): MaterialUpload {
  let cancelled = false;
  let upload: import('tus-js-client').Upload | null = null;
  const done = import('tus-js-client').then(
    ({ Upload }) =>
      new Promise<MaterialUploadResult>((resolve) => {
        const metadata: MaterialUploadMetadata & Record<string, string> = {
          purpose: MATERIAL_UPLOAD_PURPOSE,
          filename: file.name,
          courseId: target.courseId,
          ...(target.lectureId ? { lectureId: target.lectureId } : {}),
        };
        const token = readToken();
        upload = new Upload(file, {
          endpoint: '/files/',
          chunkSize: 8 * 1024 * 1024,
          retryDelays: [0, 1000, 3000, 5000, 10000],
          metadata: { ...metadata, filetype: file.type || 'application/octet-stream' },
          headers: token ? { Authorization: `Bearer ${token}` } : {},
          // A refusal is final: retrying the same bytes gets the same answer.
          onShouldRetry: (error) => {
            const status = statusOf(error);
            return (status === 0 || status >= 500 || status === 409 || status === 423) && navigator.onLine;
          },
          onProgress,
          onSuccess: ({ lastResponse }) => resolve({ ok: true, materialId: lastResponse.getHeader('Lectern-Material-Id') ?? null }),
          onError: (error) => {
            const status = statusOf(error);
            if (status === 401) reportUnauthorized();
            const said = status >= 400 && status < 500 ? readRefusal((error as Partial<DetailedError>).originalResponse?.getBody()) : null;
            resolve({
              ok: false,
              status,
              code: said?.code ?? null,
              message: said?.message ?? null,
              offline: status === 0 && !navigator.onLine,
            });
          },
        });
        if (cancelled) return resolve({ ok: false, status: 0, code: null, message: null, offline: false });
        upload.start();
      }),
  );
  return {
    done,
    cancel() {
      cancelled = true;
      void (upload as import('tus-js-client').Upload | null)?.abort(true).catch(() => undefined);
    },
  };
}

function statusOf(error: unknown): number {
  return (error as Partial<DetailedError>).originalResponse?.getStatus() ?? 0;
}
