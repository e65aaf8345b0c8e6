import type { IssuedStudyRecord, StudyRecordPreview, StudyRecordVerification, HoursByRule, HoursRule } from '#contracts';
import { ApiError, NetworkError, reportUnauthorized, request } from './api.js';
import { fileNameFrom } from './download.js';
import { readToken } from './token.js';

export type { IssuedStudyRecord, StudyRecordPreview, StudyRecordVerification, HoursByRule, HoursRule };
export type RecordLang = 'zh-CN' | 'en';

/** What the caller's record would say if issued now. */
export function fetchRecordPreview(): Promise<StudyRecordPreview> {
  return request('GET', '/api/me/study-record');
}

/** The public check of a record number (no sign-in needed). */
export function fetchVerification(code: string): Promise<StudyRecordVerification> {
  return request('GET', `/api/study-records/${encodeURIComponent(code)}`);
}

/** Issues the record and returns a link that opens its PDF for 10 minutes without signing in. */
export function recordLink(lang: RecordLang): Promise<{ code: string; url: string; expiresAt: string }> {
  return request('POST', `/api/me/study-record/link?lang=${encodeURIComponent(lang)}`);
}

export interface DownloadedRecord {
  code: string;
  fileName: string;
  bytes: number;
}

/**
 * Issues the caller's record and saves its PDF. A link cannot send the bearer token, so the file is
 * fetched with it and handed to the browser through an object-URL link (some in-app browsers, WeChat's
 * among them, ignore such downloads: the page offers `recordLink` beside it).
 */
export async function downloadRecordPdf(lang: RecordLang): Promise<DownloadedRecord> {
  const token = readToken();
  let response: Response;
  try {
    response = await fetch(`/api/me/study-record.pdf?lang=${encodeURIComponent(lang)}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(120_000),
    });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    if (response.status === 401 && token) reportUnauthorized();
    let message = response.statusText;
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, message);
  }
  const blob = await response.blob();
  const code = response.headers.get('X-Study-Record') ?? '';
  const fileName = fileNameFrom(response.headers.get('Content-Disposition'), `study-record-${code}.pdf`);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { code, fileName, bytes: blob.size };
}
