import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { HlsAuthController } from '../src/playback/hls-auth.controller.js';
import { playbackKey, signPlaybackToken } from '../src/playback/playback-token.js';
import { TEST_JWT_SECRET, startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishLecture } from '../../../test/support/published-lecture.js';

/** The edge's verdict endpoint (GET /hls-auth/<token>/<assetId>), asked by nginx's auth_request. */
let catalog: CatalogHarness;
let member: string;
let lectureId: string;
let assetId: string;
let otherAssetId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const tokenOf = (url: string) => url.split('/')[2]!;
const key = playbackKey(TEST_JWT_SECRET);
const verdict = (token: string, asset = assetId) => catalog.http().get(`/hls-auth/${token}/${asset}`);
const open = async () => (await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member))).body;

beforeAll(async () => {
  catalog = await startCatalog();
  ({ assetId, otherAssetId, lectureId, member } = await publishLecture(catalog, '边缘节点', 2));
}, 120_000);
afterAll(() => catalog.close());

describe('the edge verdict', () => {
  it("admits a member's fresh link with the set's prefix and the offline file's name, and is never cached as is", async () => {
    const session = await open();
    const answer = await verdict(tokenOf(session.masterUrl));
    expect(answer.status).toBe(204);
    expect(answer.headers['x-lectern-prefix']).toBe(`media/${assetId}/v1`);
    expect(answer.headers['x-lectern-downloads']).toBe(`download.mp4=${encodeURIComponent('第一讲 ')}%28360p%29.mp4`);
    expect(answer.headers['x-lectern-refusal']).toBeUndefined();
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it.each([
    [
      'expired',
      401,
      'expired',
      () => signPlaybackToken(key, { assetId, sessionId: randomUUID(), userId: 'u', expiresAt: Math.floor(Date.now() / 1000) - 1 }),
    ],
    [
      'signed with another key',
      403,
      'forged',
      () =>
        signPlaybackToken(playbackKey('some-other-secret-of-enough-length-000'), {
          assetId,
          sessionId: randomUUID(),
          userId: 'u',
          expiresAt: 9e9,
        }),
    ],
    [
      'for another asset',
      403,
      'wrong_asset',
      () => signPlaybackToken(key, { assetId: otherAssetId, sessionId: randomUUID(), userId: 'u', expiresAt: 9e9 }),
    ],
    ['garbage', 403, 'forged', () => 'nonsense'],
    [
      'of a session that never was',
      403,
      'withdrawn',
      () => signPlaybackToken(key, { assetId, sessionId: randomUUID(), userId: 'u', expiresAt: 9e9 }),
    ],
  ])('refuses a token %s', async (_label, status, refusal, makeToken) => {
    const answer = await verdict(makeToken());
    expect(answer.status).toBe(status);
    expect(answer.headers['x-lectern-refusal']).toBe(refusal);
    expect(answer.headers['x-lectern-prefix']).toBeUndefined();
  });

  it('refuses the links of a session that was withdrawn, but not of one superseded by another screen', async () => {
    const first = await open();
    const second = await open();
    // Superseded: the older page keeps its links until they expire.
    expect((await verdict(tokenOf(first.masterUrl))).status).toBe(204);
    await catalog.dataSource.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = 'withdrawn' WHERE id = $1`, [
      second.sessionId,
    ]);
    // The catalog trusts an admitted session for SESSION_CHECK_TTL_MS; a session never asked about is refused at once.
    const third = await open();
    await catalog.dataSource.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = 'deactivated' WHERE id = $1`, [
      third.sessionId,
    ]);
    for (const session of [second, third]) {
      const answer = await verdict(tokenOf(session.masterUrl));
      expect(answer.status).toBe(403);
      expect(answer.headers['x-lectern-refusal']).toBe('withdrawn');
    }
  });

  it('answers not_ready for an asset whose media is not ready, as the catalog answers 404', async () => {
    const session = await open();
    await catalog.dataSource.query(`UPDATE lecture_media SET status = 'failed' WHERE asset_id = $1`, [otherAssetId]);
    const token = signPlaybackToken(key, { assetId: otherAssetId, sessionId: session.sessionId, userId: 'u', expiresAt: 9e9 });
    const answer = await verdict(token, otherAssetId);
    expect(answer.status).toBe(403);
    expect(answer.headers['x-lectern-refusal']).toBe('not_ready');
    expect((await catalog.http().get(`/hls/${token}/${otherAssetId}/master.m3u8`)).status).toBe(404);
  });
});

/** What the edge reads of an answer: its status and the verdict's headers. */
const edgeView = (status: number, headers: Record<string, unknown>) => ({
  status,
  cacheControl: headers['cache-control'],
  prefix: headers['x-lectern-prefix'],
  downloads: headers['x-lectern-downloads'],
  refusal: headers['x-lectern-refusal'],
});

/** The request counter's samples for the verdict route, by status class. */
async function verdictsCounted(): Promise<Record<string, number>> {
  const text = (await catalog.http().get('/metrics')).text;
  expect(text).not.toMatch(/route="[^"]*\.[^"]*"/);
  const counted: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^lectern_http_requests_total\{(.*)\} (\d+)$/.exec(line);
    if (!match || !match[1]!.includes('route="/hls-auth/:token/:assetId"')) continue;
    const key = `${/method="(\w+)"/.exec(match[1]!)![1]} ${/status="(\w+)"/.exec(match[1]!)![1]}`;
    counted[key] = (counted[key] ?? 0) + Number(match[2]);
  }
  return counted;
}

describe('the verdict answered ahead of Express', () => {
  it('answers exactly what the controller answers, for a yes and for each kind of no', async () => {
    const session = await open();
    const tokens = [
      tokenOf(session.masterUrl),
      signPlaybackToken(key, { assetId, sessionId: randomUUID(), userId: 'u', expiresAt: Math.floor(Date.now() / 1000) - 1 }),
      signPlaybackToken(key, { assetId: otherAssetId, sessionId: session.sessionId, userId: 'u', expiresAt: 9e9 }),
      'nonsense',
    ];
    const controller = catalog.app.get(HlsAuthController);
    for (const token of tokens) {
      const headers: Record<string, unknown> = {};
      let status = 0;
      const res = {
        setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = value),
        status: (code: number) => ((status = code), res),
        end: () => undefined,
      };
      await controller.verdict(token, assetId, res as never);
      const answer = await verdict(token);
      expect(edgeView(answer.status, answer.headers)).toEqual(edgeView(status, headers));
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.text ?? '').toBe('');
    }
  });

  it('takes every spelling Express routes there, HEAD included, and leaves other methods to Express', async () => {
    const token = tokenOf((await open()).masterUrl);
    for (const path of [
      `/hls-auth/${token}/${assetId}?t=1`,
      `/hls-auth/${token}/${assetId}/`,
      `/HLS-AUTH/${token}/${assetId.toUpperCase()}`,
    ]) {
      const answer = await catalog.http().get(path);
      // An asset id in other letter case is another asset to the token's signature, as it was to Express's route.
      const expected = path.startsWith('/HLS') ? [403, 'wrong_asset'] : [204, undefined];
      expect([path, answer.status, answer.headers['x-lectern-refusal']]).toEqual([path, ...expected]);
    }
    const head = await catalog.http().head(`/hls-auth/${token}/${assetId}`);
    expect(head.status).toBe(204);
    expect(head.headers['x-lectern-prefix']).toBe(`media/${assetId}/v1`);
    for (const method of ['post', 'put', 'delete'] as const) {
      const answer = await catalog.http()[method](`/hls-auth/${token}/${assetId}`);
      expect([method, answer.status, answer.headers['x-lectern-prefix']]).toEqual([method, 404, undefined]);
    }
    // A segment that does not decode is Express's to refuse, as it always was.
    const undecodable = await catalog.http().get(`/hls-auth/%E0%A4%A/${assetId}`);
    expect([undecodable.status, undecodable.headers['x-powered-by']]).toEqual([400, 'Express']);
    // …while every verdict above was answered before Express saw it.
    expect(head.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['a body with no signature', () => 'abc'],
    ['three parts', () => 'a.b.c'],
    ['an empty signature', () => 'abc.'],
    ['a signature of the wrong length', () => `abc.${'A'.repeat(10)}`],
    [
      'a valid signature on a tampered body',
      (t: string) => `${Buffer.from('["x","y","z",9999999999]').toString('base64url')}.${t.split('.')[1]}`,
    ],
    ['an encoded slash', (t: string) => `${t.split('.')[0]}%2F.${t.split('.')[1]}`],
    ['a long token', () => `${'a'.repeat(4000)}.${'b'.repeat(43)}`],
  ])('refuses a token shaped as %s, as forged', async (_label, shape) => {
    const token = shape(tokenOf((await open()).masterUrl));
    const answer = await catalog.http().get(`/hls-auth/${token}/${assetId}`);
    expect([answer.status, answer.headers['x-lectern-refusal'], answer.headers['x-lectern-prefix']]).toEqual([403, 'forged', undefined]);
  });

  it('refuses an asset id that walks out of the set, whatever the token was signed for', async () => {
    const token = tokenOf((await open()).masterUrl);
    for (const asset of ['..%2F..%2Fetc%2Fpasswd', `${assetId}%2F..%2F..`, '..', `${assetId}%00`]) {
      const answer = await catalog.http().get(`/hls-auth/${token}/${asset}`);
      expect([asset, answer.status, answer.headers['x-lectern-refusal'], answer.headers['x-lectern-prefix']]).toEqual([
        asset,
        403,
        'wrong_asset',
        undefined,
      ]);
    }
  });

  it('counts its verdicts under the route pattern, by status, with no token in a label', async () => {
    const token = tokenOf((await open()).masterUrl);
    const before = await verdictsCounted();
    expect((await verdict(token)).status).toBe(204);
    expect((await verdict(token)).status).toBe(204);
    expect((await verdict('nonsense')).status).toBe(403);
    expect((await catalog.http().head(`/hls-auth/${token}/${assetId}`)).status).toBe(204);
    const after = await verdictsCounted();
    const moved = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect([moved('GET 2xx'), moved('GET 4xx'), moved('HEAD 2xx')]).toEqual([2, 1, 1]);
  });
});
