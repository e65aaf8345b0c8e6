import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { PlaybackSessionView } from '#contracts';
import { parseMasterPlaylist, parseMediaPlaylist } from '#media';
import { S3Storage } from '#storage';
import { playbackKey, signPlaybackToken } from '../../apps/catalog/src/playback/playback-token.js';
import { startEdgeFor, type TestEdge } from '../support/edge.js';
import { publishTestMedia } from '../support/published-media.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { TEST_JWT_SECRET } from '../support/secrets.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitUntil } from '../support/ports.js';

jest.setTimeout(120_000);

/**
 * Media through the production edge: Debian's nginx with infra/nginx/edge.conf.template in front of the
 * real catalog and gateway, serving the files from the storage folder (or an S3 bucket) itself.
 */
let stack: Stack;
let edge: TestEdge;
let lectureId: string;
let otherLectureId: string;
let assetId: string;
let otherAssetId: string;
let prefix: string;
const key = playbackKey(TEST_JWT_SECRET);
const tokenOf = (url: string) => url.split('/')[2]!;
const IMMUTABLE = 'public, max-age=31536000, immutable';

async function login(base: string, who: { login: string; password: string }): Promise<string> {
  const answer = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: who.login, password: who.password }),
  });
  if (!answer.ok) throw new Error(`login ${who.login}: ${answer.status}`);
  return ((await answer.json()) as { accessToken: string }).accessToken;
}

async function openPlayback(base: string, accessToken: string, lecture = lectureId): Promise<PlaybackSessionView> {
  const answer = await fetch(`${base}/api/lectures/${lecture}/playback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (answer.status !== 201) throw new Error(`playback: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as PlaybackSessionView;
}

/** Every file a player fetches for a session: master, media playlists, init and media segments. */
async function playlistTree(base: string, masterUrl: string): Promise<string[]> {
  const master = await fetch(base + masterUrl);
  expect(master.status).toBe(200);
  const files = [masterUrl];
  for (const variant of parseMasterPlaylist(await master.text()).variants) {
    const playlistUrl = new URL(variant.uri, base + masterUrl);
    files.push(playlistUrl.pathname);
    const media = parseMediaPlaylist(await (await fetch(playlistUrl)).text());
    for (const uri of [media.initUri!, ...media.segments.map((s) => s.uri)]) files.push(new URL(uri, playlistUrl).pathname);
  }
  return files;
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const stored = (path: string) => readFile(join(stack.env.STORAGE_DIR!, prefix, path.split('/').slice(4).join('/')));

beforeAll(async () => {
  stack = await startStack({ services: ['catalog', 'web'] });
  const editor = await login(stack.baseUrl, stack.demo.editor);
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(stack.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return answer.json() as Promise<{ id: string } & Array<{ id: string }>>;
  };
  const db = new DataSource({ type: 'postgres', url: stack.db.url });
  await db.initialize();
  try {
    const published = await publishTestMedia(db, stack.env.STORAGE_DIR!, 6);
    ({ assetId } = published);
    prefix = published.outputs.prefix;
    ({ assetId: otherAssetId } = await publishTestMedia(db, stack.env.STORAGE_DIR!, 2));
  } finally {
    await db.destroy();
  }
  const [category] = await api('GET', '/api/course-categories');
  const course = await api('POST', '/api/courses', { title: '边缘节点上的课', categoryId: category!.id });
  lectureId = (await api('POST', `/api/courses/${course.id}/lectures`, { title: '第一讲', assetId })).id;
  otherLectureId = (await api('POST', `/api/courses/${course.id}/lectures`, { title: '第二讲', assetId: otherAssetId })).id;
  await api('POST', `/api/courses/${course.id}/publish`);
  // A yes is kept for ten minutes here, so the catalog can be stopped between two fetches without a race.
  edge = await startEdgeFor(stack, { verdictTtl: '600s' });
}, 240_000);

afterAll(async () => {
  await edge?.stop();
  await stack?.stop();
}, 60_000);

describe('the nginx edge, serving from the storage folder', () => {
  it('serves every playlist and segment of a lecture, byte for byte, with the right caching', async () => {
    const member = await login(edge.url, stack.demo.member);
    const session = await openPlayback(edge.url, member);
    const files = await playlistTree(edge.url, session.masterUrl);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const answer = await fetch(edge.url + file);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('server')).toBe('nginx');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('content-disposition')).toBeNull();
      if (file.endsWith('.m3u8')) {
        expect(answer.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
        expect(answer.headers.get('cache-control')).toBe('private, max-age=300');
      } else {
        expect(answer.headers.get('content-type')).toBe(file.endsWith('.m4s') ? 'video/iso.segment' : 'video/mp4');
        expect(answer.headers.get('cache-control')).toBe(IMMUTABLE);
      }
      expect((await bytesOf(answer)).equals(await stored(file))).toBe(true);
    }
    // Over plain http no HSTS; the gateway's answers pass through the edge as before.
    const app = await fetch(`${edge.url}/api/courses`, { headers: { authorization: `Bearer ${member}` } });
    expect(app.status).toBe(200);
    expect(app.headers.get('strict-transport-security')).toBeNull();
  });

  it('serves the poster and the offline file, named as the catalog names it, with byte ranges', async () => {
    const member = await login(edge.url, stack.demo.member);
    const session = await openPlayback(edge.url, member);
    const poster = await fetch(edge.url + session.posterUrl!);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(poster.headers.get('cache-control')).toBe(IMMUTABLE);

    const download = await fetch(edge.url + session.downloadUrl!);
    expect(download.status).toBe(200);
    expect(download.headers.get('cache-control')).toBe(IMMUTABLE);
    const node = await fetch(stack.baseUrl + session.downloadUrl!);
    expect(download.headers.get('content-disposition')).toBe(node.headers.get('content-disposition'));
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="download.mp4"; filename*=UTF-8''${encodeURIComponent('第一讲 ')}%28360p%29.mp4`,
    );
    const whole = await bytesOf(download);
    expect(whole.equals(await bytesOf(node))).toBe(true);

    const part = await fetch(edge.url + session.downloadUrl!, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect((await bytesOf(part)).equals(whole.subarray(100, 200))).toBe(true);
    expect((await fetch(edge.url + session.downloadUrl!, { headers: { range: `bytes=${whole.length + 10}-` } })).status).toBe(416);
    const head = await fetch(edge.url + session.downloadUrl!, { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBe(whole.length);
  });

  it('goes on serving segments of a verified link with the catalog stopped: they never reach it', async () => {
    const member = await login(edge.url, stack.demo.member);
    const session = await openPlayback(edge.url, member);
    const unseen = await openPlayback(edge.url, await login(edge.url, stack.demo.committeeAdmin));
    // One request asks the catalog about this link; the edge keeps its answer.
    expect((await fetch(edge.url + session.masterUrl)).status).toBe(200);

    const catalog = stack.services.get('catalog')!.child;
    const exited = new Promise((resolve) => catalog.once('exit', resolve));
    catalog.kill('SIGTERM');
    await exited;
    try {
      const files = await playlistTree(edge.url, session.masterUrl);
      for (const file of files) {
        const answer = await fetch(edge.url + file);
        expect(answer.status).toBe(200);
        expect((await bytesOf(answer)).equals(await stored(file))).toBe(true);
      }
      // A link the edge has not asked about yet cannot be checked now: refused, not served unchecked.
      const refused = await fetch(edge.url + unseen.masterUrl);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/json');
    } finally {
      await stack.restart('catalog');
    }
  });

  it('refuses tampered, expired, other-lecture and withdrawn links at the edge, as the catalog does', async () => {
    const member = await login(edge.url, stack.demo.member);
    const session = await openPlayback(edge.url, member);
    const token = tokenOf(session.masterUrl);
    const [body, signature] = token.split('.') as [string, string];
    const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    // The same signature on a grant for the committee admin's session: another member's session.
    const other = await openPlayback(edge.url, await login(edge.url, stack.demo.committeeAdmin));
    const [otherBody] = tokenOf(other.masterUrl).split('.') as [string];
    const expired = signPlaybackToken(key, {
      assetId,
      sessionId: session.sessionId,
      userId: 'u',
      expiresAt: Math.floor(Date.now() / 1000) - 5,
    });
    const ofOtherLecture = tokenOf((await openPlayback(edge.url, member, otherLectureId)).masterUrl);
    const cases: Array<[string, string, number, RegExp]> = [
      ['tampered signature', `${body}.${flipped}`, 403, /not valid/],
      ["another member's grant under this signature", `${otherBody}.${signature}`, 403, /not valid/],
      ['expired', expired, 410, /expired/],
      ['of the other lecture', ofOtherLecture, 403, /not valid/],
    ];
    for (const [label, bad, status, message] of cases) {
      for (const file of ['master.m3u8', '360p/index.m3u8', '360p/seg_00000.m4s', 'download.mp4']) {
        const answer = await fetch(`${edge.url}/hls/${bad}/${assetId}/${file}`);
        expect([label, file, answer.status]).toEqual([label, file, status]);
        expect(answer.headers.get('content-type')).toBe('application/json');
        expect(((await answer.json()) as { message: string }).message).toMatch(message);
      }
    }

    // A member moved out of the course's audience: the catalog ends their session, and its links close.
    const withdrawn = await openPlayback(edge.url, member);
    const db = new DataSource({ type: 'postgres', url: stack.db.url });
    await db.initialize();
    try {
      await db.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = 'withdrawn' WHERE id = $1`, [withdrawn.sessionId]);
    } finally {
      await db.destroy();
    }
    const closed = await fetch(edge.url + withdrawn.masterUrl.replace('master.m3u8', '360p/seg_00000.m4s'));
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as { message: string }).message).toMatch(/no longer open to you/);
  });

  it('never serves a path outside the published set, of another type, or to another method', async () => {
    const member = await login(edge.url, stack.demo.member);
    const session = await openPlayback(edge.url, member);
    const base = session.masterUrl.replace('/master.m3u8', '');
    for (const path of ['..%2F..%2Fsecret.m3u8', '360p/..%2F..%2F..%2Fx.m4s', '.hidden.m4s', '360p/index.txt', 'nothing.m4s']) {
      const answer = await fetch(`${edge.url}${base}/${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
    }
    expect((await fetch(edge.url + session.masterUrl, { method: 'POST' })).status).toBe(403);
    // Verdicts are the edge's own business: neither its internal location nor the catalog's endpoint is public.
    expect((await fetch(`${edge.url}/_lectern/verdict`)).status).toBe(404);
    for (const origin of [edge.url, stack.baseUrl]) {
      const verdict = await fetch(`${origin}/hls-auth/${tokenOf(session.masterUrl)}/${assetId}`);
      expect(verdict.status).not.toBe(204);
      expect(verdict.headers.get('x-lectern-prefix')).toBeNull();
    }
    // …while the catalog itself does answer it, for the edge.
    expect((await fetch(`${stack.catalogUrl}/hls-auth/${tokenOf(session.masterUrl)}/${assetId}`)).headers.get('x-lectern-prefix')).toBe(
      prefix,
    );
  });

  it('refuses a withdrawn link once the kept yes runs out, without a restart', async () => {
    const quick = await startEdgeFor(stack, { verdictTtl: '1s', refusalTtl: '1s' });
    try {
      const member = await login(quick.url, stack.demo.member);
      const session = await openPlayback(quick.url, member);
      const segment = quick.url + session.masterUrl.replace('master.m3u8', '360p/seg_00000.m4s');
      expect((await fetch(segment)).status).toBe(200);
      const db = new DataSource({ type: 'postgres', url: stack.db.url });
      await db.initialize();
      try {
        await db.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = 'deactivated' WHERE id = $1`, [session.sessionId]);
      } finally {
        await db.destroy();
      }
      // The edge's yes (1 s here, 30 s by default) and then the catalog's own session check (3 s) run out.
      await waitUntil(async () => (await fetch(segment)).status === 403, 60_000, 'the edge refusing the withdrawn link');
    } finally {
      await quick.stop();
    }
  });
});

describe('the nginx edge, serving from an S3 bucket through its cache', () => {
  let s3: S3TestServer;
  let bucketEdge: TestEdge;

  beforeAll(async () => {
    s3 = await startS3Server();
    const storage = new S3Storage({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
    await storage.publishDirectory(join(stack.env.STORAGE_DIR!, prefix), prefix);
    bucketEdge = await startEdgeFor(stack, { s3: { endpoint: s3.endpoint, bucket: s3.bucket } });
  }, 60_000);

  afterAll(async () => {
    await bucketEdge?.stop();
    await s3?.close();
  });

  it("keeps one copy of a segment for two members' links: the cache key is the object, not the token", async () => {
    const member = await openPlayback(bucketEdge.url, await login(bucketEdge.url, stack.demo.member));
    const admin = await openPlayback(bucketEdge.url, await login(bucketEdge.url, stack.demo.committeeAdmin));
    expect(tokenOf(member.masterUrl)).not.toBe(tokenOf(admin.masterUrl));
    const segment = '360p/seg_00001.m4s';
    // One after the other, the first read to its end, so the second finds the first's copy complete.
    const first = await fetch(bucketEdge.url + member.masterUrl.replace('master.m3u8', segment));
    const firstBytes = await bytesOf(first);
    const second = await fetch(bucketEdge.url + admin.masterUrl.replace('master.m3u8', segment));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get('x-edge-cache'), second.headers.get('x-edge-cache')]).toEqual(['MISS', 'HIT']);
    for (const answer of [first, second]) {
      expect(answer.headers.get('cache-control')).toBe(IMMUTABLE);
      expect(answer.headers.get('content-type')).toBe('video/iso.segment');
      expect(answer.headers.get('x-amz-request-id')).toBeNull();
    }
    const bytes = await stored(member.masterUrl.replace('master.m3u8', segment));
    expect(firstBytes.equals(bytes)).toBe(true);
    expect((await bytesOf(second)).equals(bytes)).toBe(true);

    const keys = bucketEdge.cacheKeys('media');
    expect(keys.filter((k) => k.includes(`${prefix}/${segment}`))).toEqual([`${s3.bucket}/${prefix}/${segment} bytes=0-1048575`]);
    for (const token of [tokenOf(member.masterUrl), tokenOf(admin.masterUrl)]) {
      expect(keys.some((k) => k.includes(token))).toBe(false);
    }
  });

  it('serves playlists and the offline file from the bucket with their types, names and ranges', async () => {
    const session = await openPlayback(bucketEdge.url, await login(bucketEdge.url, stack.demo.member));
    const files = await playlistTree(bucketEdge.url, session.masterUrl);
    for (const file of files) {
      const answer = await fetch(bucketEdge.url + file);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe(file.endsWith('.m3u8') ? 'private, max-age=300' : IMMUTABLE);
      expect((await bytesOf(answer)).equals(await stored(file))).toBe(true);
    }
    const whole = await stored(session.downloadUrl!);
    const part = await fetch(bucketEdge.url + session.downloadUrl!, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${whole.length}`);
    expect(part.headers.get('content-disposition')).toMatch(/^attachment; filename="download\.mp4"; filename\*=UTF-8''/);
    expect((await bytesOf(part)).equals(whole.subarray(1000, 2000))).toBe(true);
    expect((await fetch(bucketEdge.url + session.masterUrl.replace('master.m3u8', 'missing.m4s'))).status).toBe(404);
  });

  it('refuses a tampered link before asking the bucket, and reports a bucket that refuses the edge as its fault', async () => {
    const session = await openPlayback(bucketEdge.url, await login(bucketEdge.url, stack.demo.member));
    const [body, signature] = tokenOf(session.masterUrl).split('.') as [string, string];
    const tampered = session.masterUrl.replace(signature, signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`);
    expect(tampered).toContain(body);
    const refused = await fetch(bucketEdge.url + tampered.replace('master.m3u8', '360p/seg_00000.m4s'));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/not valid/);

    // A bucket whose policy does not let the edge read: every object answers 403.
    const denying = createServer((_req, res) =>
      res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>'),
    );
    await new Promise<void>((resolve) => denying.listen(0, '127.0.0.1', resolve));
    const closedBucket = await startEdgeFor(stack, {
      s3: { endpoint: `http://127.0.0.1:${(denying.address() as AddressInfo).port}`, bucket: s3.bucket },
    });
    try {
      const answer = await fetch(closedBucket.url + session.masterUrl.replace('master.m3u8', '360p/seg_00000.m4s'));
      expect(answer.status).toBe(502);
      expect(answer.headers.get('content-type')).toBe('application/json');
    } finally {
      await closedBucket.stop();
      await new Promise((resolve) => denying.close(resolve));
    }
  });
});
