import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChapterImportView, ChapterRowProblem, LectureChaptersView, MyLecture, WithStoppedInChapter } from '#contracts';
import { LocalStorage } from '#storage';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { makeVideo } from '../../../test/support/media-fixtures.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

const run = promisify(execFile);
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

let catalog: CatalogHarness;
let work: string;
let editor: string;
let member: string;
let memberId: string;
let admin: string;
let courseId: string;
/** 12 s of media; its original carries four chapters, the last past the end. */
let withChapters: string;
/** Its original has no chapters. */
let withoutChapters: string;
let draftLecture: string;

/** An uploaded original as the upload service keeps it: sources/<asset id>/original.<extension>. */
async function keepSource(assetId: string, chapters: Array<{ startMs: number; endMs: number; title?: string }> | null) {
  const plain = join(work, `${assetId}-plain.mp4`);
  await makeVideo(plain, { seconds: 12 });
  let source = plain;
  if (chapters) {
    // ffmpeg writes a chapter track from an FFMETADATA file given as a second input.
    const meta = join(work, `${assetId}-meta.txt`);
    const blocks = chapters.map(
      (c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${c.startMs}\nEND=${c.endMs}\n${c.title === undefined ? '' : `title=${c.title}\n`}`,
    );
    await writeFile(meta, `;FFMETADATA1\n${blocks.join('')}`);
    // Matroska keeps an untitled chapter (MP4's chapter track drops it).
    source = join(work, `${assetId}-chapters.mkv`);
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      plain,
      '-i',
      meta,
      '-map',
      '0',
      '-map_metadata',
      '1',
      '-map_chapters',
      '1',
      '-c',
      'copy',
      source,
    ]);
  }
  await new LocalStorage(catalog.env.STORAGE_DIR).putFile(source, `sources/${assetId}/original.${chapters ? 'mkv' : 'mp4'}`);
}

async function addLecture(title: string, course = courseId): Promise<{ lectureId: string; assetId: string }> {
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 12);
  const answer = await catalog.http().post(`/api/courses/${course}/lectures`).set(as(editor)).send({ title, assetId });
  expect(answer.status).toBe(201);
  return { lectureId: answer.body.id as string, assetId };
}

const put = (lectureId: string, body: object, token = editor) =>
  catalog.http().put(`/api/lectures/${lectureId}/chapters`).set(as(token)).send(body);
const view = async (lectureId: string, token = member) => {
  const answer = await catalog.http().get(`/api/lectures/${lectureId}/chapters`).set(as(token));
  expect(answer.status).toBe(200);
  return answer.body as LectureChaptersView;
};

beforeAll(async () => {
  catalog = await startCatalog();
  work = await mkdtemp(join(tmpdir(), 'lectern-chapters-spec-'));
  editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  admin = await catalog.tokenFor('east-admin');
  [{ id: memberId }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`);
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const created = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '党章学习', categoryId: categories.body[0].id });
  courseId = created.body.id;
  const first = await addLecture('第一讲');
  withChapters = first.lectureId;
  await keepSource(first.assetId, [
    { startMs: 0, endMs: 4000, title: '开场' },
    { startMs: 4000, endMs: 8000, title: '党章总纲' },
    { startMs: 8000, endMs: 12000 },
    { startMs: 20000, endMs: 21000, title: '结束之后' },
  ]);
  const second = await addLecture('第二讲');
  withoutChapters = second.lectureId;
  await keepSource(second.assetId, null);
  expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBe(200);
  const draft = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '草稿课程', categoryId: categories.body[0].id });
  draftLecture = (await addLecture('草稿一讲', draft.body.id)).lectureId;
}, 180_000);

afterAll(async () => {
  await catalog?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('chapters of a lecture', () => {
  it('shows a lecture without chapters as an empty list, to members who may watch it', async () => {
    expect(await view(withChapters)).toMatchObject({ chapters: [], revision: 0, durationSec: 12, mayEdit: false, savedAt: null });
    expect(await view(withChapters, editor)).toMatchObject({ mayEdit: true, lectureTitle: '第一讲', courseTitle: '党章学习' });
  });

  it('keeps drafts to their editors and changes to editors of the course', async () => {
    expect((await catalog.http().get(`/api/lectures/${draftLecture}/chapters`).set(as(member))).status).toBe(404);
    expect((await view(draftLecture, editor)).mayEdit).toBe(true);
    const chapters = [{ title: '开场', startSec: 0 }];
    expect((await put(withChapters, { chapters }, member)).status).toBe(403);
    expect((await put(withChapters, { chapters }, admin)).status).toBe(403);
    expect((await catalog.http().post(`/api/lectures/${withChapters}/chapters/import`).set(as(member))).status).toBe(403);
    expect((await catalog.http().get(`/api/lectures/00000000-0000-4000-8000-000000000000/chapters`).set(as(member))).status).toBe(404);
  });

  it('refuses a bad list with a message naming each bad row, and saves nothing', async () => {
    const answer = await put(withChapters, {
      chapters: [
        { title: '开场', startSec: 0 },
        { title: '   ', startSec: 3 },
        { title: '太晚', startSec: 30 },
        { title: '同一秒', startSec: 0.4 },
        { title: '没有时间', startSec: null },
      ],
    });
    expect(answer.status).toBe(400);
    const problems = answer.body.problems as ChapterRowProblem[];
    expect(problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [1, 'title', 'title_empty'],
      [2, 'startSec', 'start_too_late'],
      [3, 'startSec', 'same_second'],
      [4, 'startSec', 'start_invalid'],
    ]);
    expect(answer.body.message).toContain('Chapter 2 has no title');
    expect(answer.body.message).toContain('Chapter 3 starts at 00:30, but the lecture ends at 00:12');
    expect(answer.body.message).toContain('as chapter 1');
    expect((await view(withChapters)).revision).toBe(0);

    const shape = await put(withChapters, { chapters: [{ title: 5, startSec: 'soon' }] });
    expect(shape.status).toBe(400);
    expect(JSON.stringify(shape.body.message)).toMatch(/title|startSec/);
  });

  it('saves the whole list sorted, and keeps the list it replaces on record', async () => {
    const first = await put(withChapters, {
      chapters: [
        { title: '组织制度', startSec: 8 },
        { title: '  开场  ', startSec: 0 },
        { title: '党章总纲', startSec: 4.25 },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      revision: 1,
      chapters: [
        { title: '开场', startSec: 0 },
        { title: '党章总纲', startSec: 4.25 },
        { title: '组织制度', startSec: 8 },
      ],
      savedBy: expect.any(String),
      previousLists: 0,
    });
    const seen = await view(withChapters);
    expect(seen.chapters.map((c) => c.title)).toEqual(['开场', '党章总纲', '组织制度']);
    expect(seen.savedBy).toBeNull();

    const second = await put(withChapters, { chapters: [{ title: '全部', startSec: 0 }], revision: 1 });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ revision: 2, previousLists: 1, chapters: [{ title: '全部', startSec: 0 }] });
    // Started from list 1 while list 2 was saved: refused, nothing lost.
    const stale = await put(withChapters, { chapters: [], revision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('Reload');

    const lists = await catalog.dataSource.query(
      `SELECT cl.revision, cl.archived_at IS NOT NULL AS archived, u.login AS archived_by, count(ch.position)::int AS chapters
         FROM lecture_chapter_lists cl LEFT JOIN users u ON u.id = cl.archived_by
         LEFT JOIN lecture_chapters ch ON ch.lecture_id = cl.lecture_id AND ch.revision = cl.revision
        WHERE cl.lecture_id = $1 GROUP BY cl.revision, cl.archived_at, u.login ORDER BY cl.revision`,
      [withChapters],
    );
    expect(lists).toEqual([
      { revision: 1, archived: true, archived_by: 'editor', chapters: 3 },
      { revision: 2, archived: false, archived_by: null, chapters: 1 },
    ]);
  });

  it("proposes the uploaded file's own chapters for review without saving them", async () => {
    const answer = await catalog.http().post(`/api/lectures/${withChapters}/chapters/import?lang=zh-CN`).set(as(editor));
    expect(answer.status).toBe(200);
    const proposal = answer.body as ChapterImportView;
    expect(proposal.foundInFile).toBe(4);
    // The chapter past the lecture's end is left out; the unnamed one gets a name to edit.
    expect(proposal.chapters).toEqual([
      { title: '开场', startSec: 0 },
      { title: '党章总纲', startSec: 4 },
      { title: '第 3 章', startSec: 8 },
    ]);
    expect(proposal.message).toContain('Review them');
    expect((await view(withChapters)).revision).toBe(2);
    const english = await catalog.http().post(`/api/lectures/${withChapters}/chapters/import?lang=en`).set(as(editor));
    expect(english.body.chapters[2].title).toBe('Chapter 3');
    expect((await catalog.http().post(`/api/lectures/${withChapters}/chapters/import?lang=fr`).set(as(editor))).status).toBe(400);
  });

  it('says plainly when the file has no chapters of its own', async () => {
    const answer = await catalog.http().post(`/api/lectures/${withoutChapters}/chapters/import`).set(as(editor));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ chapters: [], foundInFile: 0 });
    expect(answer.body.message).toContain('has no chapters of its own');
  });

  it('says which chapter a member stopped in on My study', async () => {
    expect(
      (
        await put(withChapters, {
          chapters: [
            { title: '开场', startSec: 0 },
            { title: '党章总纲', startSec: 4 },
          ],
        })
      ).status,
    ).toBe(200);
    await catalog.dataSource.query(
      `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec, last_position_sec)
       VALUES ($1, $2, 6, 6, 12, 6.5), ($1, $3, 3, 3, 12, 3)`,
      [memberId, withChapters, withoutChapters],
    );
    const answer = await catalog.http().get('/api/me/study').set(as(member));
    expect(answer.status).toBe(200);
    const lectures = answer.body.continueWatching as Array<MyLecture & WithStoppedInChapter>;
    expect(lectures.find((l) => l.lectureId === withChapters)?.stoppedIn).toEqual({ number: 2, title: '党章总纲', startSec: 4 });
    expect(lectures.find((l) => l.lectureId === withoutChapters)?.stoppedIn).toBeNull();
  });
});

describe('earlier chapter lists', () => {
  let westEditor: string;
  const versionsPath = () => `/api/lectures/${withChapters}/chapters/versions`;
  const restore = (revision: number | string, body: object, token = editor) =>
    catalog.http().post(`${versionsPath()}/${revision}/restore`).set(as(token)).send(body);
  const counts = async () =>
    (
      await catalog.dataSource.query(
        `SELECT (SELECT count(*)::int FROM lecture_chapter_lists WHERE lecture_id = $1) AS lists,
                (SELECT count(*)::int FROM lecture_chapters WHERE lecture_id = $1) AS chapters`,
        [withChapters],
      )
    )[0] as { lists: number; chapters: number };

  beforeAll(async () => {
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, password_hash, role, org_unit_id)
       SELECT 'west-editor', '西区编辑', password_hash, 'editor', (SELECT id FROM org_units WHERE path = 'committee/west') FROM users WHERE login = 'editor'`,
    );
    westEditor = await catalog.tokenFor('west-editor');
  });

  it('lists the earlier lists, newest first, with who saved them, when, and how many chapters', async () => {
    const answer = await catalog.http().get(versionsPath()).set(as(editor));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lectureId: withChapters, revision: 3 });
    expect(answer.body.versions).toEqual([
      expect.objectContaining({ revision: 2, chapterCount: 1, savedByName: '陈编辑', archivedByName: '陈编辑' }),
      expect.objectContaining({ revision: 1, chapterCount: 3, savedByName: '陈编辑', archivedByName: '陈编辑' }),
    ]);
    const none = await catalog.http().get(`/api/lectures/${withoutChapters}/chapters/versions`).set(as(editor));
    expect(none.body).toEqual({ lectureId: withoutChapters, revision: 0, versions: [] });
  });

  it('reads one earlier list, and answers plainly for numbers that are not one', async () => {
    const answer = await catalog.http().get(`${versionsPath()}/1`).set(as(editor));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ revision: 1, chapterCount: 3 });
    expect(answer.body.chapters).toEqual([
      { title: '开场', startSec: 0 },
      { title: '党章总纲', startSec: 4.25 },
      { title: '组织制度', startSec: 8 },
    ]);
    const current = await catalog.http().get(`${versionsPath()}/3`).set(as(editor));
    expect(current.status).toBe(404);
    expect(current.body.message).toContain('earlier versions');
    expect((await catalog.http().get(`${versionsPath()}/99`).set(as(editor))).status).toBe(404);
    for (const bad of ['0', 'abc', '1.5', '99999999999']) {
      const answer = await catalog.http().get(`${versionsPath()}/${bad}`).set(as(editor));
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('number of an earlier chapter list');
    }
    expect((await catalog.http().get(`/api/lectures/x/chapters/versions`).set(as(editor))).status).toBe(400);
  });

  it('keeps earlier lists from members, admins and editors of other units', async () => {
    for (const token of [member, admin]) {
      expect((await catalog.http().get(versionsPath()).set(as(token))).status).toBe(403);
      expect((await catalog.http().get(`${versionsPath()}/1`).set(as(token))).status).toBe(403);
      expect((await restore(1, { revision: 3 }, token)).status).toBe(403);
    }
    expect((await catalog.http().get(versionsPath()).set(as(westEditor))).status).toBe(404);
    expect((await catalog.http().get(`${versionsPath()}/1`).set(as(westEditor))).status).toBe(404);
    expect((await restore(1, { revision: 3 }, westEditor)).status).toBe(404);
  });

  it('refuses a stale restore, a bad body and restoring the current list, and changes nothing', async () => {
    const before = await counts();
    const stale = await restore(1, { revision: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('Reload');
    expect((await restore(1, { revision: 'latest' })).status).toBe(400);
    expect((await restore(3, { revision: 3 })).status).toBe(409);
    expect((await restore(42, { revision: 3 })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await view(withChapters)).revision).toBe(3);
  });

  it('restores an earlier list as the current one, numbered next, keeping every list', async () => {
    const before = await counts();
    const answer = await restore(1, { revision: 3 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ revision: 4, previousLists: 3 });
    expect((answer.body as LectureChaptersView).chapters.map((c) => c.title)).toEqual(['开场', '党章总纲', '组织制度']);
    expect(await counts()).toEqual({ lists: before.lists + 1, chapters: before.chapters + 3 });
    expect((await view(withChapters)).chapters).toHaveLength(3);
    const listed = await catalog.http().get(versionsPath()).set(as(editor));
    expect(listed.body.revision).toBe(4);
    expect(listed.body.versions.map((v: { revision: number }) => v.revision)).toEqual([3, 2, 1]);
    // Started from list 3, which is no longer current.
    expect((await restore(2, { revision: 3 })).status).toBe(409);
  });
});
