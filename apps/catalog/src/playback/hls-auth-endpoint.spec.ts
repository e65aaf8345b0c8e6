import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import { HlsAccessService, type HlsAccess } from './hls-access.service.js';
import { HlsAuthEndpoint, hlsAuthRoute, verdictReply } from './hls-auth-endpoint.js';
import { playbackKey, signPlaybackToken } from './playback-token.js';

const ASSET = '0b6f3c1e-9a51-4d7e-8f1a-2c3d4e5f6a7b';

describe('hlsAuthRoute', () => {
  it.each<[string, string | undefined, string | undefined, { token: string; assetId: string } | null]>([
    ['the path itself', 'GET', `/hls-auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['HEAD, which Express answers with the GET route', 'HEAD', `/hls-auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['with a query string', 'GET', `/hls-auth/abc.def/${ASSET}?x=1`, { token: 'abc.def', assetId: ASSET }],
    ['with a trailing slash', 'GET', `/hls-auth/abc.def/${ASSET}/`, { token: 'abc.def', assetId: ASSET }],
    ['in other letter case', 'GET', `/HLS-Auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['as an absolute-form target', 'GET', `http://catalog/hls-auth/abc.def/${ASSET}?x=1`, { token: 'abc.def', assetId: ASSET }],
    ['percent-encoded segments, decoded', 'GET', '/hls-auth/a%2Eb/..%2F..%2Fetc', { token: 'a.b', assetId: '../../etc' }],
    ['another method', 'POST', `/hls-auth/abc.def/${ASSET}`, null],
    ['OPTIONS', 'OPTIONS', `/hls-auth/abc.def/${ASSET}`, null],
    ['a segment Express cannot decode', 'GET', `/hls-auth/%E0%A4%A/${ASSET}`, null],
    ['no asset', 'GET', '/hls-auth/abc.def', null],
    ['an empty token', 'GET', `/hls-auth//${ASSET}`, null],
    ['a path below it', 'GET', `/hls-auth/abc.def/${ASSET}/master.m3u8`, null],
    ['a dot-dot path below it', 'GET', `/hls-auth/abc.def/${ASSET}/../x`, null],
    ['another path', 'GET', `/hls-authx/abc.def/${ASSET}`, null],
    ['the media path', 'GET', `/hls/abc.def/${ASSET}/master.m3u8`, null],
    ['an unparsable absolute-form target', 'GET', 'http://', null],
    ['no url', 'GET', undefined, null],
    ['no method', undefined, `/hls-auth/abc.def/${ASSET}`, null],
  ])('%s', (_name, method, url, expected) => {
    expect(hlsAuthRoute(method, url)).toEqual(expected);
  });
});

describe('verdictReply', () => {
  const admitted = (prefix: string | null, downloads: Array<[string, string]> = []): HlsAccess => ({
    ok: true,
    media: { prefix, downloadNames: new Map(downloads), growing: false },
  });
  const refused = (refusal: 'missing' | 'forged' | 'wrong_asset' | 'expired' | 'withdrawn', status: 403 | 410): HlsAccess => ({
    ok: false,
    refusal,
    status,
    message: '',
  });

  it.each<[string, HlsAccess, number, Record<string, string>]>([
    ['an admitted link', admitted(`media/${ASSET}/v1`), 204, { 'Cache-Control': 'no-store', 'X-Lectern-Prefix': `media/${ASSET}/v1` }],
    [
      'an admitted link with offline files, their names encoded per RFC 5987',
      admitted(`media/${ASSET}/v1`, [
        ['download.mp4', "第一讲 (360p)'s*.mp4"],
        ['audio.m4a', 'a,b.m4a'],
      ]),
      204,
      {
        'Cache-Control': 'no-store',
        'X-Lectern-Prefix': `media/${ASSET}/v1`,
        'X-Lectern-Downloads': `download.mp4=${encodeURIComponent('第一讲 ')}%28360p%29%27s%2A.mp4,audio.m4a=a%2Cb.m4a`,
      },
    ],
    ['an asset with no ready set', admitted(null), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'not_ready' }],
    ['an expired link, as 401', refused('expired', 410), 401, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'expired' }],
    ['a forged link', refused('forged', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'forged' }],
    ['a missing token', refused('missing', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'missing' }],
    ['a link for another asset', refused('wrong_asset', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'wrong_asset' }],
    ['a withdrawn session', refused('withdrawn', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'withdrawn' }],
  ])('%s', (_name, access, status, headers) => {
    expect(verdictReply(access)).toEqual({ status, headers });
  });
});

/** A database that answers the session check and the media query, and records what it was asked. */
function fakeDatabase(admitted: Set<string>, fail = false) {
  const asked: Array<{ sql: string; params: unknown[] }> = [];
  const db = {
    query: async (sql: string, params: unknown[]) => {
      asked.push({ sql, params });
      if (fail) throw new Error('connection terminated');
      if (sql.includes('playback_sessions')) return (params[0] as string[]).filter((id) => admitted.has(id)).map((id) => ({ id }));
      return [{ outputs: { prefix: `media/${ASSET}/v1`, downloads: [] }, title: 'L' }];
    },
  };
  return { db: db as unknown as DataSource, asked };
}

const key = playbackKey('a secret of enough length for the tests 0123');
const linkOf = (sessionId: string) => signPlaybackToken(key, { assetId: ASSET, sessionId, userId: 'u', expiresAt: 9e9 });

describe('HlsAccessService session checks', () => {
  it('asks about every session checked in one turn in one query, and answers each its own', async () => {
    const [live, withdrawn, alsoLive] = [randomUUID(), randomUUID(), randomUUID()];
    const { db, asked } = fakeDatabase(new Set([live, alsoLive]));
    const access = new HlsAccessService(db, { key, verifyKeys: [key], ttlSeconds: 60 });
    const verdicts = await Promise.all([live, withdrawn, alsoLive, live, 'not-a-uuid'].map((id) => access.authorize(linkOf(id), ASSET)));
    expect(verdicts.map((v) => (v.ok ? 'ok' : v.refusal))).toEqual(['ok', 'withdrawn', 'ok', 'ok', 'withdrawn']);
    const sessionQueries = asked.filter((q) => q.sql.includes('playback_sessions'));
    expect(sessionQueries).toHaveLength(1);
    expect(sessionQueries[0]!.params[0]).toEqual([live, withdrawn, alsoLive]);
    // An admitted session is trusted for a moment; a refused one is asked about again.
    await access.authorize(linkOf(live), ASSET);
    await access.authorize(linkOf(withdrawn), ASSET);
    expect(asked.filter((q) => q.sql.includes('playback_sessions')).map((q) => q.params[0])).toEqual([
      [live, withdrawn, alsoLive],
      [withdrawn],
    ]);
  });

  it('fails every check waiting on a query that failed, and the next turn asks again', async () => {
    const failing = fakeDatabase(new Set(), true);
    const access = new HlsAccessService(failing.db, { key, verifyKeys: [key], ttlSeconds: 60 });
    const results = await Promise.allSettled([randomUUID(), randomUUID()].map((id) => access.authorize(linkOf(id), ASSET)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failing.asked).toHaveLength(1);
  });
});

describe('HlsAuthEndpoint', () => {
  /** A response that records what was written to it. */
  function recorder() {
    const written = { status: 0, headers: {} as Record<string, unknown>, body: undefined as unknown, destroyed: false };
    const res = {
      headersSent: false,
      writeHead(status: number, headers: Record<string, unknown>) {
        written.status = status;
        written.headers = headers;
      },
      end(body?: unknown) {
        written.body = body;
        done();
      },
      destroy() {
        written.destroyed = true;
        done();
      },
    };
    let done: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (done = resolve));
    return { res: res as unknown as ServerResponse, written, ended };
  }
  const request = (method: string) => ({ method, url: `/hls-auth/t.s/${ASSET}` }) as IncomingMessage;

  it("answers a verdict with its status and headers, and the catalog's common ones", async () => {
    const live = randomUUID();
    const endpoint = new HlsAuthEndpoint(
      new HlsAccessService(fakeDatabase(new Set([live])).db, { key, verifyKeys: [key], ttlSeconds: 60 }),
    );
    const { res, written, ended } = recorder();
    endpoint.handleRaw({ token: linkOf(live), assetId: ASSET }, request('GET'), res);
    await ended;
    expect(written).toEqual({
      status: 204,
      headers: {
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'X-Lectern-Prefix': `media/${ASSET}/v1`,
      },
      body: undefined,
      destroyed: false,
    });
  });

  it.each(['GET', 'HEAD'])('answers %s with 500 when the check fails, and logs it without the token', async (method) => {
    const logged: unknown[] = [];
    const logger = { info: () => undefined, error: (fields: unknown) => void logged.push(fields) };
    const db = fakeDatabase(new Set(), true).db;
    const endpoint = new HlsAuthEndpoint(new HlsAccessService(db, { key, verifyKeys: [key], ttlSeconds: 60 }), logger as never);
    const { res, written, ended } = recorder();
    const token = linkOf(randomUUID());
    endpoint.handleRaw({ token, assetId: ASSET }, request(method), res);
    await ended;
    expect(written.status).toBe(500);
    expect(written.headers['Content-Type']).toBe('application/json; charset=utf-8');
    const text = JSON.stringify({ statusCode: 500, message: 'Something went wrong on our side. Please try again later.' });
    expect(written.body).toBe(method === 'HEAD' ? undefined : text);
    expect(written.headers['Content-Length']).toBe(Buffer.byteLength(text));
    expect(JSON.stringify(logged)).not.toContain(token);
    expect(logged).toHaveLength(1);
  });
});
