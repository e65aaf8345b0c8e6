import type { Response } from 'express';
import { basename, extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '#storage';
import { parseByteRange } from './byte-range.js';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

export const servableExtension = (key: string) => extname(key).toLowerCase() in TYPES;

/** Streams one stored file with byte ranges, the given caching and an optional download name. */
export async function sendStoredFile(
  storage: Storage,
  key: string,
  rangeHeader: string | undefined,
  res: Response,
  options: { cacheControl: string; downloadName?: string },
): Promise<void> {
  // A key the storage refuses (empty, `.` or `..` parts) names no stored file: 404, not a server error.
  const info = await storage.stat(key).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith('Unsafe storage key')) return null;
    throw error;
  });
  if (!info) {
    res.status(404).json({ statusCode: 404, message: 'Not found.' });
    return;
  }
  const range = parseByteRange(rangeHeader, info.size);
  res.setHeader('Content-Type', TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', options.cacheControl);
  res.setHeader('Last-Modified', info.modifiedAt.toUTCString());
  if (options.downloadName) {
    // The plain `filename` is for old clients that read no UTF-8 names: the stored file's own (ASCII) name.
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${asciiFallbackName(key)}"; filename*=UTF-8''${encodeRfc5987(options.downloadName)}`,
    );
  }
  if (range === 'unsatisfiable') {
    res.status(416).setHeader('Content-Range', `bytes */${info.size}`).end();
    return;
  }
  if (range) {
    res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    res.setHeader('Content-Length', range.end - range.start + 1);
  } else {
    res.status(200).setHeader('Content-Length', info.size);
  }
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(storage.read(key, range ?? undefined), res).catch(() => res.destroy());
}

function asciiFallbackName(key: string): string {
  const name = basename(key).replace(/[^A-Za-z0-9_.-]/g, '_');
  return name || 'download';
}

/** RFC 5987 value: encodeURIComponent leaves `'()*` alone, which the ext-value grammar does not allow. */
export function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
