import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker (a module worker: browsers refuse one not served as JavaScript).
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

const DAY = 24 * 60 * 60;

/**
 * How long a browser may keep `file` without asking again. Hashed assets never change under their name;
 * the home-screen icons and the web app manifest (the files of client/public) change rarely and are
 * fetched by the phone's launcher as well, so a day; index.html is always revalidated, so a release
 * shows on the next visit.
 */
export function cacheControlFor(file: string): string {
  if (file.includes(`${sep}assets${sep}`)) return 'public, max-age=31536000, immutable';
  if (file.endsWith('.webmanifest') || ['.png', '.svg', '.ico'].includes(extname(file))) return `public, max-age=${DAY}`;
  return 'no-cache';
}

/** Whether the browser's copy, dated by If-Modified-Since, is as new as the file (HTTP dates have whole seconds). */
const unchangedSince = (req: IncomingMessage, modified: Date) => {
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
};

/** Serves the built single-page app: hashed assets cached for a year, every other path falls back to index.html. */
export function staticFiles(root: string) {
  const base = normalize(root);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const candidate = normalize(join(base, pathname));
    const inside = candidate === base || candidate.startsWith(base + sep);
    let file = join(base, 'index.html');
    if (inside && !pathname.includes('\0')) {
      const info = await stat(candidate).catch(() => null);
      if (info?.isFile()) file = candidate;
    }
    const info = await stat(file).catch(() => null);
    if (!info) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The web app is not built yet. Run npm start (or npm run build:web).');
      return;
    }
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': cacheControlFor(file),
      'last-modified': info.mtime.toUTCString(),
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    };
    if (unchangedSince(req, info.mtime)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    res.writeHead(200, { ...headers, 'content-length': info.size });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}
