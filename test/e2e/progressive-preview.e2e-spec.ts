import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as tus from 'tus-js-client';
import { parseMasterPlaylist, parseMediaPlaylist, type HlsMediaPlaylist } from '#media';
import { makeVideo } from '../support/media-fixtures.js';
import { waitUntil } from '../support/ports.js';
import { startStack, type Stack } from '../support/stack.js';

// A lecture is previewable while its ladder is encoded: editors play the growing set through the same
// signed delivery, members do not (unless the course publishes before ready), and at every moment,
// a crashed worker included, a playlist names only segments that can be fetched.

let stack: Stack;
let dir: string;
let db: pg.Pool;

/** Like waitUntil, but a failed expectation inside `check` fails the test at once instead of being retried. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** fetch, tried again when the connection itself failed (a kept-alive socket the server had just closed): never on an HTTP answer. */
async function get(url: URL | string): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

const assetRow = async (assetId: string) =>
  (await db.query(`SELECT status, attempt_token, preview_prefix, outputs FROM media_assets WHERE id = $1`, [assetId])).rows[0] as {
    status: string;
    attempt_token: string;
    preview_prefix: string | null;
    outputs: { prefix: string } | null;
  };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever the API answered
type Body = any;
const api = async (path: string, token?: string, init: { method?: string; body?: unknown } = {}) => {
  const answer = await fetch(`${stack.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: answer.status, body: (await answer.json().catch(() => null)) as Body };
};
const login = async (who: { login: string; password: string }) =>
  (await api('/api/auth/login', undefined, { method: 'POST', body: who })).body.accessToken as string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-preview-'));
  await makeVideo(join(dir, 'lecture.mp4'), { seconds: 60, width: 1280, height: 720 });
  // A killed worker's job is taken over within seconds, not minutes.
  stack = await startStack({
    envFor: (service): Record<string, string> =>
      service === 'transcoder' ? { TRANSCODE_LOCK_DURATION_MS: '4000', TRANSCODE_STALLED_INTERVAL_MS: '2000' } : {},
  });
  db = new pg.Pool({ connectionString: stack.db.url, max: 2 });
}, 180_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function upload(editor: string): Promise<string> {
  const uploadUrl = await new Promise<string>((resolve, reject) => {
    const started = new tus.Upload(readFileSync(join(dir, 'lecture.mp4')), {
      endpoint: `${stack.baseUrl}/files/`,
      headers: { Authorization: `Bearer ${editor}` },
      metadata: { filename: 'preview.mp4', filetype: 'video/mp4' },
      chunkSize: 1024 * 1024,
      onSuccess: () => resolve(started.url!),
      onError: reject,
    });
    started.start();
  });
  return ((await api(`/api/uploads/${uploadUrl.split('/').pop()}/asset`, editor)).body as { id: string }).id;
}

async function lectureFor(editor: string, assetId: string, title: string): Promise<{ courseId: string; lectureId: string }> {
  const categories = (await api('/api/course-categories', editor)).body as Array<{ id: string }>;
  const course = (await api('/api/courses', editor, { method: 'POST', body: { title, categoryId: categories[0]!.id } })).body;
  const lecture = (await api(`/api/courses/${course.id}/lectures`, editor, { method: 'POST', body: { title, assetId } })).body;
  return { courseId: course.id, lectureId: lecture.id };
}

/**
 * Reads the master and every rendition playlist through the delivery and fetches each segment not
 * fetched before (segments never change): a playlist may only name segments that exist.
 */
class Observer {
  readonly fetched = new Set<string>();
  observations = 0;
  constructor(private readonly masterUrl: string) {}

  async observe(): Promise<Map<string, HlsMediaPlaylist & { cacheControl: string | null }>> {
    const master = await get(`${stack.baseUrl}${this.masterUrl}`);
    expect(master.status).toBe(200);
    const parsed = parseMasterPlaylist(await master.text());
    const uris = new Set([...parsed.variants.map((v) => v.uri), ...parsed.renditions.flatMap((r) => (r.uri ? [r.uri] : []))]);
    const playlists = new Map<string, HlsMediaPlaylist & { cacheControl: string | null }>();
    for (const uri of uris) {
      const url = new URL(uri, `${stack.baseUrl}${this.masterUrl}`);
      const answer = await get(url);
      expect(answer.status).toBe(200);
      const playlist = parseMediaPlaylist(await answer.text());
      playlists.set(uri, { ...playlist, cacheControl: answer.headers.get('cache-control') });
      for (const file of [...(playlist.initUri ? [playlist.initUri] : []), ...playlist.segments.map((s) => s.uri)]) {
        const key = new URL(file, url).pathname.split('/').slice(3).join('/');
        if (this.fetched.has(key)) continue;
        const segment = await get(new URL(file, url));
        expect({ file: key, status: segment.status }).toEqual({ file: key, status: 200 });
        expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(100);
        this.fetched.add(key);
      }
    }
    this.observations += 1;
    return playlists;
  }
}

describe('progressive publish', () => {
  it('an editor plays the growing set while it is encoded, a member cannot, and the finished set takes over its links', async () => {
    const editor = await login(stack.demo.editor);
    const assetId = await upload(editor);
    const { lectureId } = await lectureFor(editor, assetId, '边转码边预览');

    let asset: Body = null;
    await until(
      async () => {
        asset = (await api(`/api/assets/${assetId}`, editor)).body;
        expect(['uploaded', 'pending', 'queued', 'transcoding']).toContain(asset.status);
        return asset.previewable === true;
      },
      300_000,
      'a previewable asset',
    );
    expect(asset).toMatchObject({ status: 'transcoding', previewable: true, previewableAt: expect.any(String) });
    expect(asset.encodedPercent).toBeGreaterThanOrEqual(0);

    // The catalog learns of it through the media-events queue.
    await waitUntil(async () => (await api(`/api/lectures/${lectureId}/preview`, editor)).body?.state !== 'none', 30_000, 'the catalog');
    const status = (await api(`/api/lectures/${lectureId}/preview`, editor)).body;
    if (status.state === 'previewable') expect(status).toMatchObject({ assetId, membersMayPlay: false, previewableAt: expect.any(String) });

    const member = await login(stack.demo.member);
    expect((await api(`/api/lectures/${lectureId}/preview`, member)).status).toBe(404);
    const refused = await api(`/api/lectures/${lectureId}/playback`, member, { method: 'POST' });
    expect(refused.status).toBe(404);

    const playback = await api(`/api/lectures/${lectureId}/playback`, editor, { method: 'POST' });
    expect(playback.status).toBe(201);
    const observer = new Observer(playback.body.masterUrl);
    const first = await observer.observe();
    const after = (await api(`/api/assets/${assetId}`, editor)).body;
    if (playback.body.stillEncoding) {
      expect(playback.body.durationSec).toBeCloseTo(60, 0);
      for (const playlist of first.values()) {
        expect(playlist.playlistType).toBe('EVENT');
        expect(playlist.segments.length).toBeGreaterThan(0);
        expect(playlist.cacheControl).toBe('no-cache');
        // Read after the playlists: while less than 90 % is encoded no rendition can be complete.
        if (after.status === 'transcoding' && after.encodedPercent < 90) expect(playlist.endList).toBe(false);
      }
    }

    await until(
      async () => {
        const ready = (await api(`/api/assets/${assetId}`, editor)).body.status === 'ready';
        await observer.observe();
        return ready;
      },
      600_000,
      'the asset ready',
    );
    // Once the catalog has it ready, the same links serve the finished set: VOD, complete, cacheable.
    let finished = await observer.observe();
    await until(
      async () => [...(finished = await observer.observe()).values()].every((playlist) => playlist.playlistType === 'VOD'),
      60_000,
      'the finished set behind the same links',
    );
    for (const playlist of finished.values()) {
      expect(playlist).toMatchObject({ playlistType: 'VOD', endList: true, cacheControl: 'private, max-age=300' });
      expect(playlist.totalDurationSec).toBeCloseTo(60, 0);
    }
    expect(observer.observations).toBeGreaterThan(2);
  }, 900_000);

  it('a worker killed while the asset is previewable: every observed playlist names only stored segments, and a new attempt completes', async () => {
    const editor = await login(stack.demo.editor);
    const assetId = await upload(editor);
    const { lectureId } = await lectureFor(editor, assetId, '崩溃后继续预览');
    await until(
      async () => (await api(`/api/lectures/${lectureId}/preview`, editor)).body?.state === 'previewable',
      300_000,
      'previewable',
    );
    const firstToken = (await assetRow(assetId)).attempt_token;
    const playback = await api(`/api/lectures/${lectureId}/playback`, editor, { method: 'POST' });
    expect(playback.body.stillEncoding).toBe(true);
    const observer = new Observer(playback.body.masterUrl);
    await observer.observe();

    const transcoder = stack.services.get('transcoder')!;
    const gone = new Promise((resolve) => transcoder.child.once('exit', resolve));
    transcoder.child.kill('SIGKILL');
    await gone;
    // With no worker the preview stays as it was: its playlists still name only stored segments.
    await observer.observe();
    await stack.restart('transcoder');

    const prefixes = new Set<string>();
    await until(
      async () => {
        const row = await assetRow(assetId);
        if (row.preview_prefix) prefixes.add(row.preview_prefix);
        await observer.observe();
        expect(row.status).not.toBe('failed');
        return row.status === 'ready';
      },
      600_000,
      'a new attempt to finish',
    );
    const row = await assetRow(assetId);
    expect(row.attempt_token).not.toBe(firstToken);
    expect(row.outputs!.prefix).toBe(`media/${assetId}/${row.attempt_token}`);
    expect(prefixes.has(`media/${assetId}/${firstToken}.preview`)).toBe(true);
    let finished = await observer.observe();
    await until(
      async () => [...(finished = await observer.observe()).values()].every((playlist) => playlist.playlistType === 'VOD'),
      60_000,
      'the finished set behind the same links',
    );
    for (const playlist of finished.values()) expect(playlist).toMatchObject({ playlistType: 'VOD', endList: true });
  }, 900_000);
});
