import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheControlFor, staticFiles } from './static-files.js';

describe('cacheControlFor', () => {
  it.each([
    ['/dist/assets/index-Dmggpo0L.js', 'public, max-age=31536000, immutable'],
    ['/dist/assets/index-B2hOM9mi.css', 'public, max-age=31536000, immutable'],
    ['/dist/manifest.webmanifest', 'public, max-age=86400'],
    ['/dist/icons/icon-192.png', 'public, max-age=86400'],
    ['/dist/icons/icon.svg', 'public, max-age=86400'],
    ['/dist/apple-touch-icon.png', 'public, max-age=86400'],
    ['/dist/index.html', 'no-cache'],
  ])('%s → %s', (file, expected) => {
    expect(cacheControlFor(file)).toBe(expected);
  });
});

describe('staticFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'lectern-static-'));
  mkdirSync(join(root, 'icons'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"Lectern"}');
  writeFileSync(join(root, 'icons', 'icon-192.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const withServer = async (check: (base: string) => Promise<void>) => {
    const serve = staticFiles(root);
    const server = createServer((req, res) => void serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await check(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };

  it('answers the manifest as application/manifest+json, and 304 to a browser whose copy is current', () =>
    withServer(async (base) => {
      const first = await fetch(`${base}/manifest.webmanifest`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/manifest+json');
      expect(await first.json()).toEqual({ name: 'Lectern' });
      const modified = first.headers.get('last-modified')!;
      const again = await fetch(`${base}/manifest.webmanifest`, { headers: { 'if-modified-since': modified } });
      expect(again.status).toBe(304);
      const older = await fetch(`${base}/manifest.webmanifest`, {
        headers: { 'if-modified-since': new Date(Date.parse(modified) - 60_000).toUTCString() },
      });
      expect(older.status).toBe(200);
    }));

  it('answers an icon as image/png and an unknown path with the app', () =>
    withServer(async (base) => {
      const icon = await fetch(`${base}/icons/icon-192.png`);
      expect([icon.status, icon.headers.get('content-type'), icon.headers.get('cache-control')]).toEqual([
        200,
        'image/png',
        'public, max-age=86400',
      ]);
      const page = await fetch(`${base}/studio`);
      expect([page.status, page.headers.get('content-type'), page.headers.get('cache-control')]).toEqual([
        200,
        'text/html; charset=utf-8',
        'no-cache',
      ]);
    }));
});
