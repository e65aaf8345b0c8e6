import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

// Which courses and lectures an admin's reports may name, and which ones a study plan may name.

let catalog: CatalogHarness;
let categoryId: string;
let committeeAdmin: string;
let eastAdmin: string;
const units: Record<string, string> = {};
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const db = () => catalog.dataSource;
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

interface Fixture {
  id: string;
  title: string;
  lectureIds: string[];
}

/** A course written straight to the database, in `status`, shown to `audience` (unit paths; none = everyone). */
async function course(label: string, status: 'draft' | 'published' | 'archived', audience: string[]): Promise<Fixture> {
  const [{ id: editorId }] = await db().query(`SELECT id FROM users WHERE login = 'editor'`);
  const title = `${label} ${randomUUID().slice(0, 8)}`;
  const [{ id }] = await db().query(
    `INSERT INTO courses (title, category_id, status, created_by, owner_unit_id, published_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 <> 'draft' THEN now() END) RETURNING id`,
    [title, categoryId, status, editorId, units['committee']],
  );
  for (const path of audience)
    await db().query(`INSERT INTO course_visibility (course_id, org_unit_id) VALUES ($1, $2)`, [id, units[path]]);
  const lectureIds: string[] = [];
  for (const position of [0, 1]) {
    const [lecture] = await db().query(
      `INSERT INTO lectures (course_id, position, title, description, speaker) VALUES ($1, $2, $3, '', '') RETURNING id`,
      [id, position, `${title} lecture ${position + 1}`],
    );
    lectureIds.push(lecture.id);
  }
  return { id, title, lectureIds };
}

/** Someone of unit `path` studied the course's first lecture (as the heartbeat ingest records it). */
async function studiedBy(path: string, fixture: Fixture) {
  const [{ id }] = await db().query(
    `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path = $1 AND u.role = 'member' ORDER BY u.login LIMIT 1`,
    [path],
  );
  await db().query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec) VALUES ($1, $2, '[[0, 30]]', 30, 30, 60)`,
    [id, fixture.lectureIds[0]],
  );
}

const lectureReport = (token: string, lectureId: string, format = 'json') =>
  catalog.http().get(`/api/reports/lectures/${lectureId}?format=${format}`).set(as(token)).buffer(true);
const courseTitles = async (token: string) =>
  ((await catalog.http().get('/api/reports/courses').set(as(token))).body.items as Array<{ title: string }>).map((c) => c.title);

let draftForAll: Fixture;
let westOnly: Fixture;
let eastGroup: Fixture;
let forCommittee: Fixture;
let forEveryone: Fixture;
let archivedWestStudiedByEast: Fixture;
let unpublishedStudiedByEast: Fixture;
let westStudiedByWest: Fixture;

beforeAll(async () => {
  catalog = await startCatalog();
  for (const { id, path } of await db().query(`SELECT id, path FROM org_units`)) units[path] = id;
  categoryId = (await db().query(`SELECT id FROM course_categories ORDER BY code LIMIT 1`))[0].id;
  committeeAdmin = await catalog.tokenFor('admin');
  eastAdmin = await catalog.tokenFor('east-admin');
  draftForAll = await course('Draft for everyone', 'draft', []);
  westOnly = await course('West only', 'published', ['committee/west']);
  eastGroup = await course('East group 1', 'published', ['committee/east/group-1']);
  forCommittee = await course('Whole committee', 'published', ['committee']);
  forEveryone = await course('Everyone', 'published', []);
  archivedWestStudiedByEast = await course('Archived west', 'archived', ['committee/west']);
  unpublishedStudiedByEast = await course('Unpublished', 'draft', ['committee/east']);
  westStudiedByWest = await course('West studied', 'published', ['committee/west']);
  // People moved between branches keep what they studied: an east member studied a course shown to the west.
  await studiedBy('committee/east/group-1', archivedWestStudiedByEast);
  await studiedBy('committee/east/group-2', unpublishedStudiedByEast);
  await studiedBy('committee/west/group-1', westStudiedByWest);
}, 120_000);
afterAll(() => catalog.close());

describe('course and lecture reports name only courses the admin subtree can see or studied', () => {
  it('answers 404 to a branch admin for lectures of drafts and of courses shown to another branch', async () => {
    for (const fixture of [draftForAll, westOnly, westStudiedByWest]) {
      for (const format of ['json', 'csv', 'xlsx']) {
        const answer = await lectureReport(eastAdmin, fixture.lectureIds[0], format);
        expect({ title: fixture.title, format, status: answer.status }).toEqual({ title: fixture.title, format, status: 404 });
        expect(JSON.stringify(answer.body ?? '') + (answer.text ?? '')).not.toContain(fixture.title);
      }
    }
    expect((await lectureReport(eastAdmin, randomUUID())).status).toBe(404);
  });

  it('answers for courses shown to the admin unit, a unit above it or one below it, and for what their members studied', async () => {
    for (const fixture of [eastGroup, forCommittee, forEveryone, archivedWestStudiedByEast, unpublishedStudiedByEast]) {
      const answer = await lectureReport(eastAdmin, fixture.lectureIds[1]);
      expect({ title: fixture.title, status: answer.status }).toEqual({ title: fixture.title, status: 200 });
      expect(answer.body.courseTitle).toBe(fixture.title);
    }
    const studied = await lectureReport(eastAdmin, archivedWestStudiedByEast.lectureIds[0]);
    expect(studied.body).toMatchObject({ viewers: 1, totalSec: 30 });
    // The committee sees the whole organisation: the west's own course too, but still no draft nobody studied.
    expect((await lectureReport(committeeAdmin, westStudiedByWest.lectureIds[0])).status).toBe(200);
    expect((await lectureReport(committeeAdmin, westOnly.lectureIds[0])).status).toBe(200);
    expect((await lectureReport(committeeAdmin, draftForAll.lectureIds[0])).status).toBe(404);
  });

  it('lists, and exports, the same courses in the course report', async () => {
    const titles = await courseTitles(eastAdmin);
    for (const fixture of [eastGroup, forCommittee, forEveryone, archivedWestStudiedByEast, unpublishedStudiedByEast])
      expect(titles).toContain(fixture.title);
    for (const fixture of [draftForAll, westOnly, westStudiedByWest]) expect(titles).not.toContain(fixture.title);
    const csv = await catalog.http().get('/api/reports/courses?format=csv').set(as(eastAdmin)).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(forEveryone.title);
    for (const fixture of [draftForAll, westOnly, westStudiedByWest]) expect(csv.text).not.toContain(fixture.title);
    const whole = await courseTitles(committeeAdmin);
    expect(whole).toEqual(expect.arrayContaining([westOnly.title, westStudiedByWest.title, unpublishedStudiedByEast.title]));
    expect(whole).not.toContain(draftForAll.title);
  });
});

describe('a study plan names only courses every unit of the plan can watch', () => {
  const plan = (token: string, body: Record<string, unknown>) =>
    catalog
      .http()
      .post('/api/study-plans')
      .set(as(token))
      .send({
        name: `Plan ${randomUUID().slice(0, 8)}`,
        periodStart: daysFromToday(-1),
        periodEnd: daysFromToday(30),
        requiredHours: 1,
        ...body,
      });
  const planCount = async () => (await db().query(`SELECT count(*)::int AS n FROM study_plans`))[0].n as number;

  it('refuses courses that are not published, or not shown to every unit of the plan, naming the course', async () => {
    const before = await planCount();
    const refused: Array<[Fixture, Record<string, unknown>?]> = [
      [draftForAll],
      [westOnly],
      [archivedWestStudiedByEast],
      [unpublishedStudiedByEast],
      // Shown to one group only: the other group's members could never watch it.
      [eastGroup],
    ];
    for (const [fixture] of refused) {
      for (const body of [
        { courseIds: [forEveryone.id, fixture.id] },
        { compulsoryLectureIds: [forCommittee.lectureIds[0], fixture.lectureIds[0]] },
      ]) {
        const answer = await plan(eastAdmin, body);
        expect({ title: fixture.title, body, status: answer.status }).toEqual({ title: fixture.title, body, status: 400 });
        expect(answer.body.message).toContain(fixture.title);
      }
    }
    // The committee's own plan reaches every branch: a course shown to the west alone is refused there too.
    const committeePlan = await plan(committeeAdmin, { compulsoryLectureIds: [westOnly.lectureIds[0]] });
    expect(committeePlan.status).toBe(400);
    expect(committeePlan.body.message).toContain(westOnly.title);
    expect(await planCount()).toBe(before);
  });

  it('still refuses removed lectures, and accepts courses every unit of the plan can watch', async () => {
    await db().query(`UPDATE lectures SET archived_at = now() WHERE id = $1`, [forEveryone.lectureIds[1]]);
    const removed = await plan(eastAdmin, { compulsoryLectureIds: [forEveryone.lectureIds[1]] });
    expect(removed.status).toBe(400);
    expect(removed.body.message).toMatch(/compulsoryLectureIds/);

    const branchWide = await plan(eastAdmin, {
      courseIds: [forEveryone.id, forCommittee.id],
      compulsoryLectureIds: [forCommittee.lectureIds[0], forEveryone.lectureIds[0]],
    });
    expect(branchWide.status).toBe(201);
    const group = await plan(eastAdmin, {
      unitIds: [units['committee/east/group-1']],
      courseIds: [eastGroup.id],
      compulsoryLectureIds: [eastGroup.lectureIds[0]],
    });
    expect(group.status).toBe(201);
    expect(group.body.courseIds).toEqual([eastGroup.id]);
  });
});
