import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CourseProgress, CourseShare } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { memberAndNeighbour } from '../../../test/support/study-fixtures.js';

let catalog: CatalogHarness;
let editor: string;
let member: string;
let memberId: string;
let other: { id: string; token: string };
let courseId = '';
let westCourseId = '';
let draftCourseId = '';
/** Lectures 1–3 of the course, then the one archived from it. */
let lectures: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** A progress row as the heartbeat ingest leaves it. */
const progress = (userId: string, lectureId: string, row: { covered: number; position: number; completed: boolean; studied: Date }) =>
  catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at, last_studied_at)
     VALUES ($1, $2, jsonb_build_array(jsonb_build_array(0, $3::float8)), $3, $3, 0, $4, CASE WHEN $5 THEN $6::timestamptz END, $6)
     ON CONFLICT (user_id, lecture_id) DO UPDATE SET covered_sec = $3, credited_sec = $3, last_position_sec = $4,
       completed_at = CASE WHEN $5 THEN $6::timestamptz END, last_studied_at = $6`,
    [userId, lectureId, row.covered, row.position, row.completed, row.studied],
  );

const progressOf = async (id: string, token = member) => {
  const answer = await catalog.http().get(`/api/courses/${id}/progress`).set(as(token));
  return { status: answer.status, body: answer.body as CourseProgress };
};

/** A course of lectures with media of the given lengths (the stored HLS set is shared; only the lengths differ). */
async function makeCourse(title: string, lengths: number[], extra: Record<string, unknown> = {}, publish = true) {
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const id = (
    await catalog
      .http()
      .post('/api/courses')
      .set(as(editor))
      .send({ title, categoryId: categories.body[0].id, ...extra })
  ).body.id;
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  const ids: string[] = [];
  for (const [index, seconds] of lengths.entries()) {
    const [{ asset_id: copy }] = await catalog.dataSource.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs)
       SELECT gen_random_uuid(), status, kind, $2, outputs FROM lecture_media WHERE asset_id = $1 RETURNING asset_id`,
      [assetId, seconds],
    );
    const answer = await catalog
      .http()
      .post(`/api/courses/${id}/lectures`)
      .set(as(editor))
      .send({ title: `第${index + 1}讲`, assetId: copy });
    expect(answer.status).toBe(201);
    ids.push(answer.body.id);
  }
  if (publish) expect((await catalog.http().post(`/api/courses/${id}/publish`).set(as(editor))).status).toBe(200);
  return { id, lectures: ids };
}

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  const people = await memberAndNeighbour(catalog);
  member = people.member.token;
  memberId = people.member.id;
  other = people.other;

  const course = await makeCourse('学习进度', [600, 1200, 600, 600]);
  courseId = course.id;
  lectures = course.lectures;
  // The fourth lecture is removed from the course but kept for the study recorded on it.
  await catalog.dataSource.query(`UPDATE lectures SET archived_at = now() WHERE id = $1`, [lectures[3]]);
  await progress(memberId, lectures[0]!, { covered: 600, position: 600, completed: true, studied: ago(120) });
  await progress(memberId, lectures[1]!, { covered: 300, position: 760.4, completed: false, studied: ago(60) });
  // Studied last, but archived: it neither counts nor is offered to continue.
  await progress(memberId, lectures[3]!, { covered: 100, position: 100, completed: false, studied: ago(1) });
  // Another member's study of lecture 3 is theirs alone.
  await progress(other.id, lectures[2]!, { covered: 600, position: 600, completed: true, studied: ago(5) });

  const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path LIKE 'committee/west%' ORDER BY path LIMIT 1`);
  westCourseId = (await makeCourse('西区课程', [600], { visibleUnitIds: [west.id] })).id;
  draftCourseId = (await makeCourse('草稿课程', [600], {}, false)).id;
}, 240_000);
afterAll(() => catalog.close());

describe('GET /api/courses/:id/progress', () => {
  it("gives each counted lecture's share, ticks and the lecture to continue at its position", async () => {
    const { status, body } = await progressOf(courseId);
    expect(status).toBe(200);
    expect(body.lectures.map((l) => l.lectureId)).toEqual(lectures.slice(0, 3));
    expect(body.lectures[0]).toMatchObject({ durationSec: 600, coveredSec: 600, percent: 100, completed: true });
    expect(body.lectures[1]).toMatchObject({ durationSec: 1200, coveredSec: 300, positionSec: 760.4, percent: 25, completed: false });
    expect(body.lectures[1]!.lastStudiedAt).toEqual(expect.any(String));
    // Lecture 3 is untouched by this member, whatever another member did.
    expect(body.lectures[2]).toMatchObject({ coveredSec: 0, percent: 0, completed: false, lastStudiedAt: null });
    expect(body).toMatchObject({ completedCount: 1, lectureCount: 3 });
    expect(body.continue).toEqual({ lectureId: lectures[1], position: 2, title: '第2讲', positionSec: 760 });
  });

  it('shows another member only their own study: the first unfinished lecture from its start', async () => {
    const { body } = await progressOf(courseId, other.token);
    expect(body.lectures.map((l) => l.completed)).toEqual([false, false, true]);
    expect(body.completedCount).toBe(1);
    expect(body.continue).toEqual({ lectureId: lectures[0], position: 1, title: '第1讲', positionSec: 0 });
  });

  it('offers lecture 1 from the start when nothing is studied, and nothing to continue once all are finished', async () => {
    const { body: fresh } = await progressOf(draftCourseId, editor);
    expect(fresh.completedCount).toBe(0);
    expect(fresh.continue).toMatchObject({ position: 1, positionSec: 0 });

    await progress(other.id, lectures[0]!, { covered: 590, position: 600, completed: true, studied: ago(3) });
    await progress(other.id, lectures[1]!, { covered: 1200, position: 1200, completed: true, studied: ago(2) });
    const { body } = await progressOf(courseId, other.token);
    expect(body).toMatchObject({ completedCount: 3, lectureCount: 3, continue: null });
    expect(body.lectures[0]).toMatchObject({ percent: 98, completed: true });
  });

  it('answers 404 for a course the caller may not see, and 400 for a malformed id', async () => {
    // Meant for the west branch only; the member is in the east.
    expect((await progressOf(westCourseId)).status).toBe(404);
    // A draft: members do not see it; its editor previews it.
    expect((await progressOf(draftCourseId)).status).toBe(404);
    expect((await progressOf(draftCourseId, editor)).status).toBe(200);
    expect((await progressOf('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await catalog.http().get('/api/courses/not-an-id/progress').set(as(member));
    expect(bad.status).toBe(400);
    expect((await catalog.http().get(`/api/courses/${courseId}/progress`)).status).toBe(401);
  });
});

describe('GET /api/me/course-progress', () => {
  it("gives the caller's share of each listed course they started and may see, in one answer", async () => {
    const answer = await catalog
      .http()
      .get(`/api/me/course-progress?courseIds=${[courseId, westCourseId, draftCourseId].join(',')}`)
      .set(as(member));
    expect(answer.status).toBe(200);
    // (600 + 300 + 0) of 2400 seconds; the archived lecture counts neither way.
    expect(answer.body as CourseShare[]).toEqual([{ courseId, percent: 37, completedCount: 1, lectureCount: 3 }]);
  });

  it('refuses ids that are not course ids', async () => {
    const answer = await catalog.http().get('/api/me/course-progress?courseIds=abc').set(as(member));
    expect(answer.status).toBe(400);
  });
});
