import type { ImportPreview, ImportResult } from '#contracts';
import { ApiError, NetworkError, reportUnauthorized } from './api.js';
import { downloadFile } from './download.js';
import { readToken } from './token.js';

export type { Change, FileEncoding, ImportCounts, ImportPreview, ImportResult, RejectedRow } from '#contracts';

/** A refusal with the server's reason code (a whole file's problem) or the rows that no longer import (409). */
export class ImportError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly code: string | null,
    readonly params: Record<string, string | number>,
    readonly rows: Array<{ line: number; login: string; reason: string; reasonZh: string }>,
  ) {
    super(status, message);
  }
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const IMPORT_ACCEPT = `.csv,.xlsx,text/csv,${XLSX_TYPE}`;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** What the file is, by its name: Windows calls a .csv "application/vnd.ms-excel", so its own type is not to be trusted. */
export const fileKind = (name: string): 'csv' | 'xlsx' | 'other' =>
  /\.xlsx$/i.test(name) ? 'xlsx' : /\.(csv|txt)$/i.test(name) ? 'csv' : 'other';

function errorOf(status: number, text: string, statusText: string): ImportError {
  let body: { message?: unknown; code?: unknown; params?: unknown; rows?: unknown } = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  return new ImportError(
    status,
    typeof body.message === 'string' ? body.message : statusText,
    typeof body.code === 'string' ? body.code : null,
    body.params && typeof body.params === 'object' ? (body.params as Record<string, string | number>) : {},
    Array.isArray(body.rows) ? body.rows : [],
  );
}

/**
 * Sends the file for a preview, reporting how much of it has gone (fetch cannot tell upload progress,
 * XMLHttpRequest can). Nothing is imported until the preview is confirmed.
 */
export function uploadMemberFile(file: File, onProgress: (sent: number, total: number) => void): Promise<ImportPreview> {
  return new Promise((resolve, reject) => {
    const token = readToken();
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/members/imports?filename=${encodeURIComponent(file.name.slice(0, 255))}`);
    xhr.setRequestHeader('Content-Type', fileKind(file.name) === 'xlsx' ? XLSX_TYPE : 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.timeout = 120_000;
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportPreview);
        } catch {
          reject(new ApiError(xhr.status, 'unreadable answer'));
        }
        return;
      }
      if (xhr.status === 401 && token) reportUnauthorized();
      reject(errorOf(xhr.status, xhr.responseText, xhr.statusText));
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.ontimeout = () => reject(new NetworkError('upload timed out'));
    xhr.send(file);
  });
}

export async function confirmImport(id: string): Promise<ImportResult> {
  const token = readToken();
  let response: Response;
  try {
    response = await fetch(`/api/members/imports/${encodeURIComponent(id)}/confirm`, {
      method: 'POST',
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(120_000),
    });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401 && token) reportUnauthorized();
    throw errorOf(response.status, text, response.statusText);
  }
  return JSON.parse(text) as ImportResult;
}

export const downloadRejected = (id: string, lang: 'zh-CN' | 'en', format: 'csv' | 'xlsx', fallbackName: string) =>
  downloadFile(`/api/members/imports/${encodeURIComponent(id)}/rejected.${format}?lang=${lang}`, fallbackName);

/** A template to fill in, made here: CSV with a BOM (so Excel reads it as UTF-8) and Chinese headers. */
export function downloadTemplate(rows: string[][], name: string): void {
  const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const text = `\ufeff${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
