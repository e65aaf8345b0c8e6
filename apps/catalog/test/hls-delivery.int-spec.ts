import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AssetOutputs, PlaybackDownload } from '#contracts';
import { parseMasterPlaylist, parseMediaPlaylist } from '#media';
import { playbackKey, signPlaybackToken } from '../src/playback/playback-token.js';
import { TEST_JWT_SECRET, startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia, publishTranscodedMedia } from '../../../test/support/published-media.js';
import { publishLecture } from '../../../test/support/published-lecture.js';

let catalog: CatalogHarness;
let member: string;
let lectureId: string;
let assetId: string;
let otherAssetId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const base = 'http://lectern.test';
const tokenOf = (url: string) => url.split('/')[2];

/** GETs a same-origin absolute path through the in-process app. */
const get = (path: string, headers: Record<string, string> = {}) => catalog.http().get(path).set(headers);

beforeAll(async () => {
  catalog = await startCatalog();
  ({ assetId, otherAssetId, lectureId, member } = await publishLecture(catalog, '党课', 6));
}, 120_000);
afterAll(() => catalog.close());

describe('signed HLS delivery', () => {
  it('serves every playlist, init segment and media segment, each URI carrying the token', async () => {
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    expect(session.status).toBe(201);
    expect(session.body.masterUrl).toMatch(new RegExp(`^/hls/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+/${assetId}/master\\.m3u8$`));
    const token = tokenOf(session.body.masterUrl);

    const master = await get(session.body.masterUrl);
    expect(master.status).toBe(200);
    expect(master.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    expect(master.headers['referrer-policy']).toBe('no-referrer');
    const variants = parseMasterPlaylist(master.text).variants;
    expect(variants.length).toBeGreaterThan(0);

    let fetched = 0;
    for (const variant of variants) {
      const playlistUrl = new URL(variant.uri, base + session.body.masterUrl);
      expect(playlistUrl.pathname.startsWith(`/hls/${token}/${assetId}/`)).toBe(true);
      const media = await get(playlistUrl.pathname);
      expect(media.status).toBe(200);
      const parsed = parseMediaPlaylist(media.text);
      const uris = [parsed.initUri!, ...parsed.segments.map((s) => s.uri)];
      for (const uri of uris) {
        const resolved = new URL(uri, playlistUrl);
        expect(resolved.pathname.startsWith(`/hls/${token}/${assetId}/`)).toBe(true);
        const segment = await get(resolved.pathname);
        expect(segment.status).toBe(200);
        expect(segment.headers['cache-control']).toBe('private, max-age=31536000, immutable');
        fetched++;
      }
    }
    expect(fetched).toBeGreaterThanOrEqual(4);
  });

  it('answers byte ranges with 206 and an impossible range with 416', async () => {
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const segment = session.body.masterUrl.replace('master.m3u8', '360p/seg_00000.m4s');
    const whole = await get(segment).buffer(true);
    const part = await get(segment, { Range: 'bytes=10-19' }).buffer(true);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${whole.body.length}`);
    expect(Buffer.compare(part.body, whole.body.subarray(10, 20))).toBe(0);
    expect((await get(segment, { Range: `bytes=${whole.body.length + 5}-` })).status).toBe(416);
  });

  it('offers the offline MP4 as a download and the poster', async () => {
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const download = await get(session.body.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('第一讲 ')}%28360p%29.mp4`);
    expect((await get(session.body.posterUrl)).headers['content-type']).toBe('image/jpeg');
  });

  it.each([
    [
      'expired',
      410,
      () =>
        signPlaybackToken(playbackKey(TEST_JWT_SECRET), {
          assetId,
          sessionId: 's',
          userId: 'u',
          expiresAt: Math.floor(Date.now() / 1000) - 1,
        }),
    ],
    [
      'forged',
      403,
      () =>
        signPlaybackToken(playbackKey('some-other-secret-of-enough-length-000'), { assetId, sessionId: 's', userId: 'u', expiresAt: 9e9 }),
    ],
    [
      'of another asset',
      403,
      () => signPlaybackToken(playbackKey(TEST_JWT_SECRET), { assetId: otherAssetId, sessionId: 's', userId: 'u', expiresAt: 9e9 }),
    ],
    ['garbage', 403, () => 'nonsense'],
  ])('refuses a token that is %s', async (_label, status, makeToken) => {
    for (const path of ['master.m3u8', '360p/index.m3u8', '360p/seg_00000.m4s']) {
      const answer = await get(`/hls/${makeToken()}/${assetId}/${path}`);
      expect(answer.status).toBe(status);
      expect(answer.body.message).toMatch(/expired|not valid/);
    }
  });

  it('never serves files outside the published set or of unknown types', async () => {
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const prefix = session.body.masterUrl.replace('/master.m3u8', '');
    for (const path of ['..%2F..%2Fsecret.m3u8', '360p/..%2F..%2F..%2Fx.m4s', 'nothing.m4s', '360p/index.txt']) {
      expect((await get(`${prefix}/${path}`)).status).toBe(404);
    }
  });

  it('supersedes the previous playback session when a new one opens', async () => {
    const first = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const second = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const rows = await catalog.dataSource.query(`SELECT id, superseded_at FROM playback_sessions WHERE id = ANY($1::uuid[])`, [
      [first.body.sessionId, second.body.sessionId],
    ]);
    const byId = Object.fromEntries(rows.map((r: { id: string; superseded_at: Date | null }) => [r.id, r.superseded_at]));
    expect(byId[first.body.sessionId]).not.toBeNull();
    expect(byId[second.body.sessionId]).toBeNull();
  });
});

describe('HEAD requests', () => {
  it('answers with the headers of the segment and no body', async () => {
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    const segment = session.body.masterUrl.replace('master.m3u8', '360p/seg_00000.m4s');
    const whole = await get(segment).buffer(true);
    const head = await catalog.http().head(segment);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(whole.body.length);
    expect(head.headers['accept-ranges']).toBe('bytes');
  });
});

describe('offline files', () => {
  let videoLecture: string;
  let audioLecture: string;
  let legacyLecture: string;
  let video: AssetOutputs;
  let audio: AssetOutputs;

  /** The UTF-8 name a download is saved under, from its Content-Disposition. */
  const savedName = (header: string | undefined) => {
    expect(header).toMatch(/^attachment; filename="[A-Za-z0-9_.-]+"; filename\*=UTF-8''/);
    return decodeURIComponent(header!.split("filename*=UTF-8''")[1]!);
  };

  beforeAll(async () => {
    const editor = await catalog.tokenFor('editor');
    const categories = await catalog.http().get('/api/course-categories').set(as(editor));
    const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '离线学习', categoryId: categories.body[0].id });
    const db = catalog.dataSource;
    const storage = catalog.env.STORAGE_DIR;
    const [transcoded, talk, legacy] = [
      await publishTranscodedMedia(db, storage, { seconds: 4 }),
      await publishTranscodedMedia(db, storage, { seconds: 4, audioOnly: true }),
      await publishTestMedia(db, storage, 2),
    ];
    video = transcoded.outputs;
    audio = talk.outputs;
    // A set published before there were several offline files: only `download`.
    await db.query(`UPDATE lecture_media SET outputs = outputs - 'downloads' WHERE asset_id = $1`, [legacy.assetId]);
    const lecture = async (title: string, assetId: string) =>
      (await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title, assetId })).body.id as string;
    videoLecture = await lecture('第二讲：乡村振兴', transcoded.assetId);
    audioLecture = await lecture('第三讲', talk.assetId);
    legacyLecture = await lecture('旧的一讲', legacy.assetId);
    await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor));
  }, 300_000);

  it('offers 360p, 720p and sound only of a video lecture, each saved under the lecture title', async () => {
    const session = await catalog.http().post(`/api/lectures/${videoLecture}/playback`).set(as(member));
    expect(session.status).toBe(201);
    const downloads: PlaybackDownload[] = session.body.downloads;
    expect(downloads.map((d) => [d.quality, d.fileName, d.width, d.height])).toEqual([
      ['standard', '第二讲：乡村振兴 (360p).mp4', 640, 360],
      ['high', '第二讲：乡村振兴 (720p).mp4', 1280, 720],
      ['audio', '第二讲：乡村振兴.m4a', undefined, undefined],
    ]);
    expect(downloads.map((d) => d.bytes)).toEqual(video.downloads!.map((d) => d.bytes));
    expect(session.body.downloadUrl).toBe(downloads[1]!.url);
    const token = tokenOf(session.body.masterUrl);
    for (const download of downloads) {
      expect(download.url.startsWith(`/hls/${token}/`)).toBe(true);
      const answer = await get(download.url).buffer(true);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(download.quality === 'audio' ? 'audio/mp4' : 'video/mp4');
      expect(savedName(answer.headers['content-disposition'])).toBe(download.fileName);
      expect(answer.body.length).toBe(download.bytes);
    }
    expect(downloads[0]!.bytes!).toBeLessThan(downloads[1]!.bytes!);
  });

  it('serves only the listed files as attachments: renditions play in place, unlisted names are not found', async () => {
    const session = await catalog.http().post(`/api/lectures/${videoLecture}/playback`).set(as(member));
    const prefix = session.body.masterUrl.replace('/master.m3u8', '');
    const init = await get(`${prefix}/360p/init_360p.mp4`);
    expect(init.status).toBe(200);
    expect(init.headers['content-disposition']).toBeUndefined();
    for (const path of ['download_480p.mp4', 'download_720p.mp4', 'audio.m4a']) expect((await get(`${prefix}/${path}`)).status).toBe(404);
  });

  it('offers an audio lecture as sound only', async () => {
    const session = await catalog.http().post(`/api/lectures/${audioLecture}/playback`).set(as(member));
    expect(session.body.downloads).toEqual([
      { quality: 'audio', url: session.body.downloadUrl, bytes: audio.downloads![0]!.bytes, fileName: '第三讲.m4a' },
    ]);
    const answer = await get(session.body.downloadUrl);
    expect(answer.headers['content-type']).toBe('audio/mp4');
    expect(savedName(answer.headers['content-disposition'])).toBe('第三讲.m4a');
  });

  it('still offers the one file of media published before there were several, sized from storage', async () => {
    const session = await catalog.http().post(`/api/lectures/${legacyLecture}/playback`).set(as(member));
    const [row] = await catalog.dataSource.query(
      `SELECT m.outputs FROM lectures l JOIN lecture_media m ON m.asset_id = l.asset_id WHERE l.id = $1`,
      [legacyLecture],
    );
    expect(row.outputs.downloads).toBeUndefined();
    const answer = await get(session.body.downloadUrl).buffer(true);
    expect(answer.status).toBe(200);
    expect(session.body.downloads).toEqual([
      {
        quality: 'high',
        url: session.body.downloadUrl,
        bytes: answer.body.length,
        fileName: '旧的一讲 (360p).mp4',
        width: 640,
        height: 360,
      },
    ]);
    expect(savedName(answer.headers['content-disposition'])).toBe('旧的一讲 (360p).mp4');
  });
});
