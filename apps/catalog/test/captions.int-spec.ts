import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SearchTermsAfterDigits1732000039000 } from '../../../libs/database/src/migrations/1732000039000-search-terms-after-digits.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishLecture } from '../../../test/support/published-lecture.js';

// Captions per lecture and language: uploads (WebVTT, SRT, GBK), line-numbered rejections, editing with the
// previous text kept, who may read them, and the catalog search finding words said in a lecture.

let catalog: CatalogHarness;
let editor: string;
let member: string;
let lectureId: string;
let courseId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const base = () => `/api/studio/lectures/${lectureId}/captions`;

const VTT = `WEBVTT

00:00:01.000 --> 00:00:03.000
大家好

00:00:04.000 --> 00:00:07.500
今天我们讲乡村振兴战略
`;

const SRT = `1
00:00:01,000 --> 00:00:02,500
Hello everyone

2
00:00:03,000 --> 00:00:05,000
Today: <i>rural</i> revitalisation
`;

const BROKEN_SRT = `1
00:00:01,000 --> 00:00:02,500
Hello everyone

2
00:00:03,000 -> 00:00:05,000
Today
`;

/** "1\r\n00:00:01,000 --> 00:00:02,000\r\n中文字幕\r\n" with the Chinese in GBK. */
const GBK_SRT = Buffer.concat([
  Buffer.from('1\r\n00:00:01,000 --> 00:00:02,000\r\n'),
  Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0xd7, 0xd6, 0xc4, 0xbb]),
  Buffer.from('\r\n'),
]);

const upload = (lang: string, body: string | Buffer, fileName: string, token = editor) =>
  catalog
    .http()
    .post(`${base()}/${lang}/file`)
    .query({ fileName })
    .set(as(token))
    .set('Content-Type', 'text/plain')
    .send(typeof body === 'string' ? Buffer.from(body) : body);

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  ({ lectureId, member } = await publishLecture(catalog, '基层党建十讲', 2));
  [{ course_id: courseId }] = await catalog.dataSource.query(`SELECT course_id FROM lectures WHERE id = $1`, [lectureId]);
});

afterAll(() => catalog.close());

describe('uploading captions', () => {
  it('takes a WebVTT file and stores it as WebVTT', async () => {
    const answer = await upload('zh-CN', VTT, 'lecture1.zh.vtt');
    expect(answer.status).toBe(200);
    const track = answer.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN');
    expect(track).toMatchObject({
      cueCount: 2,
      sourceName: 'lecture1.zh.vtt',
      sourceFormat: 'vtt',
      sourceEncoding: 'utf-8',
      earlierVersions: 0,
    });
    expect(track.vtt).toContain('00:00:04.000 --> 00:00:07.500\n今天我们讲乡村振兴战略');
  });

  it('takes an SRT file and serves it as WebVTT', async () => {
    const answer = await upload('en', SRT, 'lecture1.en.srt');
    expect(answer.status).toBe(200);
    const track = answer.body.tracks.find((t: { lang: string }) => t.lang === 'en');
    expect(track).toMatchObject({ cueCount: 2, sourceFormat: 'srt', sourceEncoding: 'utf-8' });
    expect(track.vtt.startsWith('WEBVTT')).toBe(true);
    expect(track.vtt).toContain('00:00:03.000 --> 00:00:05.000');
  });

  it('takes an SRT file saved in GBK, and keeps the text it replaces', async () => {
    const answer = await upload('zh-CN', GBK_SRT, '第一讲.srt');
    expect(answer.status).toBe(200);
    const track = answer.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN');
    expect(track).toMatchObject({ cueCount: 1, sourceEncoding: 'gbk', sourceFormat: 'srt', earlierVersions: 1 });
    expect(track.vtt).toContain('中文字幕');
    const kept = await catalog.dataSource.query(
      `SELECT archive_reason, vtt FROM lecture_captions WHERE lecture_id = $1 AND lang = 'zh-CN' AND archived_at IS NOT NULL`,
      [lectureId],
    );
    expect(kept).toEqual([{ archive_reason: 'replaced', vtt: expect.stringContaining('乡村振兴') }]);
  });

  it('rejects a broken file with the line number and what to fix, and keeps the live text', async () => {
    const answer = await upload('en', BROKEN_SRT, 'broken.srt');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('caption_invalid');
    expect(answer.body.message).toMatch(/^line 6:/);
    expect(answer.body.problems[0]).toMatchObject({ line: 6 });
    const view = await catalog.http().get(base()).set(as(editor));
    expect(view.body.tracks.find((t: { lang: string }) => t.lang === 'en').vtt).toContain('Hello everyone');
  });

  it('rejects bytes that are not text, an unknown language and a body that is not the file', async () => {
    const binary = await upload('en', Buffer.from([0x57, 0x45, 0xff, 0xff]), 'x.srt');
    expect(binary.status).toBe(400);
    expect(binary.body.code).toBe('caption_file');
    expect(binary.body.message).toMatch(/UTF-8/);
    expect((await upload('fr', SRT, 'x.srt')).status).toBe(400);
    const json = await catalog.http().put(`${base()}/en`).set(as(editor)).send({ text: SRT });
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/text\/plain/);
  });
});

describe('editing captions in the page', () => {
  it('saves edited text with the same validation and keeps the previous text', async () => {
    const bad = await catalog
      .http()
      .put(`${base()}/zh-CN`)
      .set(as(editor))
      .set('Content-Type', 'text/plain')
      .send('WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n你好\n');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^line 3:/);
    const good = await catalog.http().put(`${base()}/zh-CN`).set(as(editor)).set('Content-Type', 'text/plain').send(VTT);
    expect(good.status).toBe(200);
    expect(good.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN')).toMatchObject({
      cueCount: 2,
      earlierVersions: 2,
      sourceName: null,
    });
  });
});

describe('who reads captions', () => {
  it('gives a member the live tracks of a lecture they can watch', async () => {
    const answer = await catalog.http().get(`/api/lectures/${lectureId}/captions`).set(as(member));
    expect(answer.status).toBe(200);
    expect(answer.body.tracks.map((t: { lang: string }) => t.lang).sort()).toEqual(['en', 'zh-CN']);
  });

  it('keeps the studio endpoints to editors', async () => {
    expect((await catalog.http().get(base()).set(as(member))).status).toBe(403);
    expect((await upload('en', SRT, 'x.srt', member)).status).toBe(403);
  });

  it('answers 404 for a lecture of a course that is not published', async () => {
    await catalog.http().post(`/api/courses/${courseId}/unpublish`).set(as(editor));
    try {
      expect((await catalog.http().get(`/api/lectures/${lectureId}/captions`).set(as(member))).status).toBe(404);
      // Editors still preview their own draft.
      expect((await catalog.http().get(`/api/lectures/${lectureId}/captions`).set(as(editor))).status).toBe(200);
    } finally {
      await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor));
    }
  });
});

describe('searching for words said in a lecture', () => {
  it('finds a Chinese word said in a lecture and not in any title, with the moment it is said', async () => {
    const answer = await catalog.http().get('/api/courses').query({ q: '乡村振兴' }).set(as(member));
    expect(answer.status).toBe(200);
    const hit = answer.body.items.find((c: { id: string }) => c.id === courseId);
    expect(hit).toBeDefined();
    expect(hit.spoken).toEqual({ lectureId, lectureTitle: '第一讲', lang: 'zh-CN', atSec: 4, snippet: '今天我们讲乡村振兴战略' });
  });

  it('finds an English word said, and stops finding words of an archived language', async () => {
    const english = await catalog.http().get('/api/courses').query({ q: 'revitalisation' }).set(as(member));
    expect(english.body.items.find((c: { id: string }) => c.id === courseId)?.spoken).toMatchObject({ lang: 'en', atSec: 3 });
    const archived = await catalog.http().post(`${base()}/en/archive`).set(as(editor));
    expect(archived.status).toBe(200);
    expect(archived.body.tracks.map((t: { lang: string }) => t.lang)).toEqual(['zh-CN']);
    const after = await catalog.http().get('/api/courses').query({ q: 'revitalisation' }).set(as(member));
    expect(after.body.items.find((c: { id: string }) => c.id === courseId)).toBeUndefined();
    expect((await catalog.http().post(`${base()}/en/archive`).set(as(editor))).status).toBe(404);
  });
});

describe('searching for Chinese said right after a digit', () => {
  // A course of its own, so the captions here leave the other lecture's versions alone.
  let pointsLecture: string;
  let pointsCourse: string;
  const POINTS = `WEBVTT

00:00:01.000 --> 00:00:03.000
大家好

00:00:05.000 --> 00:00:08.000
下面讲第3个要点：AI时代的学习
`;
  const spokenHit = async (q: string) =>
    ((await catalog.http().get('/api/courses').query({ q }).set(as(member))).body.items as Array<{ id: string; spoken?: unknown }>).find(
      (c) => c.id === pointsCourse,
    )?.spoken;

  beforeAll(async () => {
    ({ lectureId: pointsLecture } = await publishLecture(catalog, '基层治理讲座', 2));
    [{ course_id: pointsCourse }] = await catalog.dataSource.query(`SELECT course_id FROM lectures WHERE id = $1`, [pointsLecture]);
  });

  it('finds "要点" said as "第3个要点", at the moment it is said', async () => {
    const uploaded = await catalog
      .http()
      .post(`/api/studio/lectures/${pointsLecture}/captions/zh-CN/file`)
      .query({ fileName: 'points.zh.vtt' })
      .set(as(editor))
      .set('Content-Type', 'text/plain')
      .send(Buffer.from(POINTS));
    expect(uploaded.status).toBe(200);
    expect(await spokenHit('要点')).toEqual({
      lectureId: pointsLecture,
      lectureTitle: '第一讲',
      lang: 'zh-CN',
      atSec: 5,
      snippet: '下面讲第3个要点：AI时代的学习',
    });
    expect(await spokenHit('AI时代')).toMatchObject({ atSec: 5 });
    expect(await spokenHit('3个要点')).toMatchObject({ atSec: 5 });
  });

  it('finds it in captions stored before the terms were recomputed, once the migration ran', async () => {
    // The terms as the earlier rule stored them: the Chinese after a digit or Latin letters glued to it.
    await catalog.dataSource.query(
      `UPDATE lecture_captions SET search_vector = to_tsvector('simple', $2) WHERE lecture_id = $1 AND lang = 'zh-CN' AND archived_at IS NULL`,
      [pointsLecture, '大家 家好 下面 面讲 讲第 3个要点 ai时代的学习'],
    );
    expect(await spokenHit('要点')).toBeUndefined();
    const runner = catalog.dataSource.createQueryRunner();
    try {
      await new SearchTermsAfterDigits1732000039000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await spokenHit('要点')).toMatchObject({ lang: 'zh-CN', atSec: 5 });
    expect(await spokenHit('学习')).toMatchObject({ lang: 'zh-CN', atSec: 5 });
    expect(await spokenHit('大家好')).toMatchObject({ lang: 'zh-CN', atSec: 1 });
  });
});
