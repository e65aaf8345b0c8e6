import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { parseMasterPlaylist, parseMediaPlaylist } from '#media';
import { makeVideo } from '../support/media-fixtures.js';
import { waitUntil } from '../support/ports.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let dir: string;

const api = async (path: string, token?: string, init: { method?: string; body?: unknown } = {}) => {
  const answer = await fetch(`${stack.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever the API answered
  return { status: answer.status, body: (await answer.json().catch(() => null)) as any };
};
const login = async (who: { login: string; password: string }) =>
  (await api('/api/auth/login', undefined, { method: 'POST', body: who })).body.accessToken as string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-pipeline-'));
  await makeVideo(join(dir, 'lecture.mp4'), { seconds: 8, width: 640, height: 360 });
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('one origin, the whole pipeline', () => {
  it('takes a lecture from a resumable upload to signed HLS a member can play', async () => {
    const editor = await login(stack.demo.editor);
    const uploadUrl = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(readFileSync(join(dir, 'lecture.mp4')), {
        endpoint: `${stack.baseUrl}/files/`,
        headers: { Authorization: `Bearer ${editor}` },
        metadata: { filename: '第一讲.mp4', filetype: 'video/mp4' },
        chunkSize: 256 * 1024,
        onSuccess: () => resolve(upload.url!),
        onError: reject,
      });
      upload.start();
    });
    const asset = (await api(`/api/uploads/${uploadUrl.split('/').pop()}/asset`, editor)).body as { id: string };
    const seen = new Set<string>();
    let last: Record<string, never> = {};
    await waitUntil(
      async () => {
        last = (await api(`/api/assets/${asset.id}`, editor)).body;
        seen.add(last.status);
        return last.status === 'ready' || last.status === 'failed';
      },
      // The worker encodes at a lower priority than everything else here: on a busy machine it waits its turn.
      600_000,
      'transcoding',
    );
    expect(last).toMatchObject({ status: 'ready', kind: 'video', progress: { percent: 100 } });

    const categories = (await api('/api/course-categories', editor)).body as unknown as Array<{ id: string }>;
    const course = (await api('/api/courses', editor, { method: 'POST', body: { title: '流水线课程', categoryId: categories[0].id } }))
      .body;
    const lecture = (
      await api(`/api/courses/${course.id}/lectures`, editor, { method: 'POST', body: { title: '第一讲', assetId: asset.id } })
    ).body;
    // The catalog learns of the media through the durable media-events queue.
    await waitUntil(
      async () => (await api(`/api/studio/courses/${course.id}`, editor)).body.lectures?.[0]?.media?.status === 'ready',
      20_000,
      'media event',
    );
    expect((await api(`/api/courses/${course.id}/publish`, editor, { method: 'POST' })).status).toBe(200);

    const member = await login(stack.demo.member);
    const found = (await api(`/api/courses?q=${encodeURIComponent('流水线')}`, member)).body;
    expect(found.items).toHaveLength(1);
    const playback = (await api(`/api/lectures/${lecture.id}/playback`, member, { method: 'POST' })).body;
    expect(playback.durationSec).toBeCloseTo(8, 0);
    const master = await fetch(`${stack.baseUrl}${playback.masterUrl}`);
    expect(master.headers.get('referrer-policy')).toBe('no-referrer');
    const variants = parseMasterPlaylist(await master.text()).variants;
    expect(variants.map((v) => v.resolution?.height)).toEqual(expect.arrayContaining([360, 240]));
    const media = new URL(variants[0].uri, `${stack.baseUrl}${playback.masterUrl}`);
    const playlist = parseMediaPlaylist(await (await fetch(media)).text());
    const segment = await fetch(new URL(playlist.segments[0].uri, media));
    expect(segment.status).toBe(200);
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await fetch(`${stack.baseUrl}${playback.downloadUrl}`)).headers.get('content-disposition')).toContain('attachment');
  }, 900_000);

  it('encodes at a lower priority than the services members talk to', () => {
    // Field 19 of /proc/<pid>/stat is the niceness; every ffmpeg the worker starts inherits its own.
    const niceness = (name: 'transcoder' | 'catalog' | 'upload') => {
      const stat = readFileSync(`/proc/${stack.services.get(name)!.child.pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    expect(niceness('transcoder')).toBe(10);
    expect(niceness('catalog')).toBe(0);
    expect(niceness('upload')).toBe(0);
  });
});
