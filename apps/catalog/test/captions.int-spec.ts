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

describe('earlier versions of captions', () => {
  let westEditor: string;
  let currentId: string;
  const versions = (lang = 'zh-CN', token = editor) => catalog.http().get(`${base()}/${lang}/versions`).set(as(token));
  const restore = (lang: string, versionId: string, body: object, token = editor) =>
    catalog.http().post(`${base()}/${lang}/versions/${versionId}/restore`).set(as(token)).send(body);
  const rowsOf = async () =>
    (await catalog.dataSource.query(`SELECT id FROM lecture_captions WHERE lecture_id = $1 ORDER BY id`, [lectureId])).map(
      (r: { id: string }) => r.id,
    ) as string[];

  beforeAll(async () => {
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, password_hash, role, org_unit_id)
       SELECT 'west-editor', '西区编辑', password_hash, 'editor', (SELECT id FROM org_units WHERE path = 'committee/west') FROM users WHERE login = 'editor'`,
    );
    westEditor = await catalog.tokenFor('west-editor');
    const view = await catalog.http().get(base()).set(as(editor));
    currentId = view.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN').versionId;
  });

  it('lists the earlier texts of a language, newest first, with who saved them, when and their size', async () => {
    const answer = await versions();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lectureId, lang: 'zh-CN', currentId });
    expect(answer.body.versions).toEqual([
      expect.objectContaining({ cueCount: 1, sourceName: '第一讲.srt', savedByName: '陈编辑', archiveReason: 'replaced' }),
      expect.objectContaining({ cueCount: 2, sourceName: 'lecture1.zh.vtt', savedByName: '陈编辑', archiveReason: 'replaced' }),
    ]);
    for (const v of answer.body.versions) {
      expect(v.bytes).toBeGreaterThan(20);
      expect(Date.parse(v.savedAt)).toBeLessThanOrEqual(Date.parse(v.archivedAt));
    }
    const english = await versions('en');
    expect(english.body).toMatchObject({
      currentId: null,
      versions: [expect.objectContaining({ archiveReason: 'archived', cueCount: 2 })],
    });
  });

  it('reads one earlier text, and only an earlier one of that lecture and language', async () => {
    const [gbk] = (await versions()).body.versions;
    const answer = await catalog.http().get(`${base()}/zh-CN/versions/${gbk.id}`).set(as(editor));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: gbk.id, lang: 'zh-CN', cueCount: 1 });
    expect(answer.body.vtt).toContain('中文字幕');
    const wrongLang = await catalog.http().get(`${base()}/en/versions/${gbk.id}`).set(as(editor));
    expect(wrongLang.status).toBe(404);
    expect(wrongLang.body.message).toContain('earlier versions');
    expect((await catalog.http().get(`${base()}/zh-CN/versions/${currentId}`).set(as(editor))).status).toBe(404);
    const notUuid = await catalog.http().get(`${base()}/zh-CN/versions/42`).set(as(editor));
    expect(notUuid.status).toBe(400);
    expect(JSON.stringify(notUuid.body)).toContain('uuid');
    const badLang = await versions('fr');
    expect(badLang.status).toBe(400);
    expect(JSON.stringify(badLang.body)).toContain('zh-CN or en');
    const badLecture = await catalog.http().get(`/api/studio/lectures/nope/captions/zh-CN/versions`).set(as(editor));
    expect(badLecture.status).toBe(400);
    expect(
      (await catalog.http().get(`/api/studio/lectures/00000000-0000-4000-8000-000000000000/captions/zh-CN/versions`).set(as(editor)))
        .status,
    ).toBe(404);
  });

  it('keeps earlier versions from members and from editors of other units', async () => {
    const [gbk] = (await versions()).body.versions;
    expect((await versions('zh-CN', member)).status).toBe(403);
    expect((await catalog.http().get(`${base()}/zh-CN/versions/${gbk.id}`).set(as(member))).status).toBe(403);
    expect((await restore('zh-CN', gbk.id, { currentId }, member)).status).toBe(403);
    expect((await versions('zh-CN', westEditor)).status).toBe(404);
    expect((await catalog.http().get(`${base()}/zh-CN/versions/${gbk.id}`).set(as(westEditor))).status).toBe(404);
    expect((await restore('zh-CN', gbk.id, { currentId }, westEditor)).status).toBe(404);
  });

  it('refuses a stale restore, a bad body and restoring the current text, and changes nothing', async () => {
    const before = await rowsOf();
    const [gbk, first] = (await versions()).body.versions;
    const stale = await restore('zh-CN', first.id, { currentId: gbk.id });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('Reload');
    const bad = await restore('zh-CN', first.id, { currentId: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('current text you saw');
    expect((await restore('zh-CN', currentId, { currentId })).status).toBe(409);
    expect(await rowsOf()).toEqual(before);
  });

  it('restores an earlier text as the live one, keeping the one it replaces and deleting nothing', async () => {
    const before = await rowsOf();
    const [gbk] = (await versions()).body.versions;
    const answer = await restore('zh-CN', gbk.id, { currentId });
    expect(answer.status).toBe(200);
    const track = answer.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN');
    expect(track).toMatchObject({ cueCount: 1, sourceEncoding: 'gbk', sourceName: '第一讲.srt', earlierVersions: 3 });
    expect(track.vtt).toContain('中文字幕');
    expect(track.versionId).not.toBe(gbk.id);
    const after = await rowsOf();
    expect(after).toHaveLength(before.length + 1);
    expect(after).toEqual(expect.arrayContaining(before));
    const listed = (await versions()).body;
    expect(listed.currentId).toBe(track.versionId);
    expect(listed.versions[0]).toMatchObject({ id: currentId, cueCount: 2 });
    // The member's player gets the restored text.
    const played = await catalog.http().get(`/api/lectures/${lectureId}/captions`).set(as(member));
    expect(played.body.tracks.find((t: { lang: string }) => t.lang === 'zh-CN').vtt).toContain('中文字幕');
    // The same restore again started from a text that is no longer live.
    expect((await restore('zh-CN', gbk.id, { currentId })).status).toBe(409);
  });

  it('brings back a language that was taken off', async () => {
    const [archived] = (await versions('en')).body.versions;
    const answer = await restore('en', archived.id, { currentId: null });
    expect(answer.status).toBe(200);
    expect(answer.body.tracks.map((t: { lang: string }) => t.lang).sort()).toEqual(['en', 'zh-CN']);
    const found = await catalog.http().get('/api/courses').query({ q: 'revitalisation' }).set(as(member));
    expect(found.body.items.find((c: { id: string }) => c.id === courseId)?.spoken).toMatchObject({ lang: 'en' });
  });
});
