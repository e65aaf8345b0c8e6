import type {
  CaptionLang,
  CaptionRejection,
  CaptionVersionList,
  CaptionVersionView,
  LectureCaptions,
  RestoreCaptionVersionInput,
  StudioCaptions,
} from '#contracts';
import { ApiError, request } from './api.js';

export type { CaptionLang, CaptionVersionList, CaptionVersionView, LectureCaptions, StudioCaptions };

const id = (value: string) => encodeURIComponent(value);

/** The live caption tracks of a lecture the member may watch, for the player and the transcript. */
export function getLectureCaptions(lectureId: string): Promise<LectureCaptions> {
  return request('GET', `/api/lectures/${id(lectureId)}/captions`);
}

export function getStudioCaptions(lectureId: string): Promise<StudioCaptions> {
  return request('GET', `/api/studio/lectures/${id(lectureId)}/captions`);
}

// Two minutes: a 2 MB file takes over a minute on a 256 kbit/s rural line. The bytes go as they are (the server
// reads UTF-8 or GBK); text/plain is what the server takes as a file.
export function uploadCaptionFile(lectureId: string, lang: CaptionLang, file: Blob, fileName: string): Promise<StudioCaptions> {
  const body = new Blob([file], { type: 'text/plain' });
  return request('POST', `/api/studio/lectures/${id(lectureId)}/captions/${lang}/file?fileName=${encodeURIComponent(fileName)}`, body, {
    timeoutMs: 120_000,
  });
}

export function saveCaptionText(lectureId: string, lang: CaptionLang, text: string): Promise<StudioCaptions> {
  const body = new Blob([text], { type: 'text/plain' });
  return request('PUT', `/api/studio/lectures/${id(lectureId)}/captions/${lang}`, body, { timeoutMs: 120_000 });
}

export function archiveCaptions(lectureId: string, lang: CaptionLang): Promise<StudioCaptions> {
  return request('POST', `/api/studio/lectures/${id(lectureId)}/captions/${lang}/archive`);
}

/** The earlier texts of a language, newest first. */
export function getCaptionVersions(lectureId: string, lang: CaptionLang): Promise<CaptionVersionList> {
  return request('GET', `/api/studio/lectures/${id(lectureId)}/captions/${lang}/versions`);
}

export function getCaptionVersion(lectureId: string, lang: CaptionLang, versionId: string): Promise<CaptionVersionView> {
  return request('GET', `/api/studio/lectures/${id(lectureId)}/captions/${lang}/versions/${id(versionId)}`);
}

/** Saves an earlier text as the live one; `currentId` is the live text the page shows (409 when another was saved since). */
export function restoreCaptionVersion(
  lectureId: string,
  lang: CaptionLang,
  versionId: string,
  currentId: string | null,
): Promise<StudioCaptions> {
  const body: RestoreCaptionVersionInput = { currentId };
  return request('POST', `/api/studio/lectures/${id(lectureId)}/captions/${lang}/versions/${id(versionId)}/restore`, body);
}

/** The problems of a rejected caption file or text, when the error is one. */
export function captionRejection(error: unknown): CaptionRejection | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const body = error.body as Partial<CaptionRejection> | null;
  return body && Array.isArray(body.problems) ? (body as CaptionRejection) : null;
}
