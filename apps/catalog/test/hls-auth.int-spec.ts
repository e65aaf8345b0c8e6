import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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
