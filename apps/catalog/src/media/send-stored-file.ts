import type { Response } from 'express';
import { extname } from 'node:path';
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
  const info = await storage.stat(key);
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
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="download.mp4"; filename*=UTF-8''${encodeURIComponent(options.downloadName)}`,
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
