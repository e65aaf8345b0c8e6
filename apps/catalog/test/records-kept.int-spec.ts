import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/** Study records are never erased by a user's action: removing lectures, deleting or renaming units, closing plans. */
let catalog: CatalogHarness;
let editor: string;
let committee: string;
let east: string;
let member: string;
let memberId: string;
let courseId: string;
let firstLecture: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

const addLecture = async (title: string, durationSec = 600) => {
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  await catalog.dataSource.query(`UPDATE lecture_media SET duration_sec = $2 WHERE asset_id = $1`, [assetId, durationSec]);
  const answer = await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title, assetId });
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 201 });
  return answer.body.id as string;
};

/**
 * A member studies `seconds` of a lecture: a playback session opened as the player does, then the credit
 * the heartbeat ingest records for it (daily credit and per-lecture progress).
 */
async function study(token: string, userId: string, lectureId: string, seconds: number): Promise<void> {
  const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(token));
  expect({ status: session.status, body: session.body }).toMatchObject({ status: 201 });
  await catalog.dataSource.query(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, current_date, $3)
     ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + $3`,
    [userId, lectureId, seconds],
  );
  await catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec)
     VALUES ($1, $2, $3, $4, $4, 600, $4)
     ON CONFLICT (user_id, lecture_id) DO UPDATE SET credited_sec = lecture_progress.credited_sec + $4`,
    [userId, lectureId, JSON.stringify([[0, seconds]]), seconds],
  );
}

const createPlan = async (token: string, body: Record<string, unknown>) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(token))
    .send({ name: 'Plan', periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 1, ...body });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};
const myStudy = async (token = member) => (await catalog.http().get('/api/me/study').set(as(token))).body;
const myPlan = async (planId: string, token = member) =>
  ((await myStudy(token)).plans as Array<{ id: string; earnedHours: number }>).find((p) => p.id === planId);
const planMembers = async (token: string, planId: string, query = '') => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members${query}`).set(as(token));
  expect(answer.status).toBe(200);
  return (answer.body.items ?? answer.body) as Array<{ login: string; earnedHours: number; unitPath: string }>;
};
const overview = async (token: string, planId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(token));
  expect(answer.status).toBe(200);
  return (answer.body.items ?? answer.body.rows) as Array<{ unitId: string; members: number; totalHours: number }>;
};

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  member = await catalog.tokenFor('member');
  memberId = (await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`))[0].id;
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  courseId = (await catalog.http().post('/api/courses').set(as(editor)).send({ title: '农业技术', categoryId: categories.body[0].id })).body
    .id;
  firstLecture = await addLecture('果树修剪');
  expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBe(200);
}, 120_000);
afterAll(() => catalog.close());

describe('removing a lecture', () => {
  it('archives a studied lecture: it leaves the outline and search, and its credit stays in My study, plans and reports', async () => {
    const lectureId = await addLecture('水稻栽培');
    const planId = await createPlan(east, { name: '东区农技' });
    await study(member, memberId, lectureId, 300);
    const before = {
      mine: (await myStudy()).lectures.find((l: { lectureId: string }) => l.lectureId === lectureId),
      plan: await myPlan(planId),
      report: (await planMembers(east, planId)).find((m) => m.login === 'member'),
      overview: await overview(east, planId),
      detail: (await catalog.http().get(`/api/reports/members/${memberId}`).set(as(east))).body,
    };
    expect(before.mine.creditedSec).toBe(300);
    expect(before.plan!.earnedHours).toBeGreaterThan(0);
    expect(before.report!.earnedHours).toBeGreaterThan(0);
    expect(((await catalog.http().get('/api/courses?q=水稻').set(as(member))).body.items as unknown[]).length).toBe(1);

    expect((await catalog.http().delete(`/api/lectures/${lectureId}`).set(as(editor))).status).toBe(204);

    // Gone from the outline, the studio, the course card and search ...
    const page = await catalog.http().get(`/api/courses/${courseId}`).set(as(member));
    expect(page.body.lectures.map((l: { id: string }) => l.id)).not.toContain(lectureId);
    expect(page.body.lectureCount).toBe(1);
    const studio = await catalog.http().get(`/api/studio/courses/${courseId}`).set(as(editor));
    expect(studio.body.lectures.map((l: { id: string }) => l.id)).not.toContain(lectureId);
    expect(((await catalog.http().get('/api/courses?q=水稻').set(as(member))).body.items as unknown[]).length).toBe(0);
    // ... while its credit counts everywhere it did ...
    const mine = await myStudy();
    expect(mine.lectures.find((l: { lectureId: string }) => l.lectureId === lectureId)).toEqual(before.mine);
    expect(mine.continueWatching.map((l: { lectureId: string }) => l.lectureId)).not.toContain(lectureId);
    expect(await myPlan(planId)).toEqual(before.plan);
    expect((await planMembers(east, planId)).find((m) => m.login === 'member')).toEqual(before.report);
    expect(await overview(east, planId)).toEqual(before.overview);
    expect((await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=true`).set(as(east))).body.items ?? []).toEqual(
      before.overview,
    );
    expect((await catalog.http().get(`/api/reports/members/${memberId}`).set(as(east))).body.items).toEqual(before.detail.items);
    const exported = await catalog.http().get(`/api/reports/members/${memberId}?format=csv`).set(as(east));
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('水稻栽培');
    // A new plan cannot make a removed lecture compulsory: nobody could complete it.
    const compulsory = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(east))
      .send({ name: 'x', periodStart: daysFromToday(0), periodEnd: daysFromToday(1), requiredHours: 1, compulsoryLectureIds: [lectureId] });
    expect(compulsory.status).toBe(400);
    expect(compulsory.body.message).toContain('compulsoryLectureIds');
    // ... and every record of its study is kept.
    const [row] = await catalog.dataSource.query(
      `SELECT l.archived_at, (SELECT count(*)::int FROM lecture_progress WHERE lecture_id = l.id) AS progress,
              (SELECT count(*)::int FROM study_daily WHERE lecture_id = l.id) AS daily,
              (SELECT count(*)::int FROM playback_sessions WHERE lecture_id = l.id) AS sessions
         FROM lectures l WHERE l.id = $1`,
      [lectureId],
    );
    expect(row).toMatchObject({ progress: 1, daily: 1, sessions: 1 });
    expect(row.archived_at).not.toBeNull();
  });

  it('really deletes a lecture nobody studied, and renumbers the rest', async () => {
    const lectureId = await addLecture('未学过的一讲');
    expect((await catalog.http().delete(`/api/lectures/${lectureId}`).set(as(editor))).status).toBe(204);
    expect(await catalog.dataSource.query(`SELECT 1 FROM lectures WHERE id = $1`, [lectureId])).toEqual([]);
    const studio = await catalog.http().get(`/api/studio/courses/${courseId}`).set(as(editor));
    expect(studio.body.lectures.map((l: { position: number }) => l.position)).toEqual(
      studio.body.lectures.map((_: unknown, i: number) => i),
    );
  });

  it('refuses to remove a lecture that an open plan makes compulsory, naming the plan', async () => {
    const lectureId = await addLecture('必修一讲');
    await createPlan(east, { name: '必修计划', compulsoryLectureIds: [lectureId] });
    const answer = await catalog.http().delete(`/api/lectures/${lectureId}`).set(as(editor));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('必修计划');
  });

  it('keeps study data from ever cascading away: its foreign keys are RESTRICT', async () => {
    // Every key onto a lecture, a course or a unit, and every key of the frozen results and make-up lists.
    const rules: Array<{ rel: string; confdeltype: string }> = await catalog.dataSource.query(
      `SELECT conrelid::regclass::text AS rel, confdeltype FROM pg_constraint
        WHERE contype = 'f' AND (confrelid::regclass::text IN ('lectures', 'courses', 'org_units')
                                 OR conrelid::regclass::text IN ('study_plan_results', 'study_plan_makeup'))
          AND conrelid::regclass::text <> 'course_visibility'`,
    );
    expect(rules.length).toBeGreaterThan(8);
    expect(rules.filter((r) => r.confdeltype === 'c')).toEqual([]);
    const [studied] = await catalog.dataSource.query(`SELECT lecture_id FROM lecture_progress LIMIT 1`);
    await expect(catalog.dataSource.query(`DELETE FROM lectures WHERE id = $1`, [studied.lecture_id])).rejects.toMatchObject({
      code: '23503',
    });
  });
});

describe('deleting a unit', () => {
  it('answers 409 naming the plan when a unit owns a study plan', async () => {
    const unit = await catalog
      .http()
      .post('/api/org-units')
      .set(as(committee))
      .send({ parentId: await unitId('committee'), slug: 'south', name: '南区分会' });
    expect(unit.status).toBe(201);
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, password_hash, role, org_unit_id) SELECT 'south-admin', '南区管理员', password_hash, 'admin', $1 FROM users WHERE login = 'admin'`,
      [unit.body.id],
    );
    await createPlan(await catalog.tokenFor('south-admin'), { name: '南区计划' });
    // The admin moves on; the unit is empty but still owns the plan.
    await catalog.dataSource.query(`UPDATE users SET org_unit_id = $1 WHERE login = 'south-admin'`, [await unitId('committee')]);
    const answer = await catalog.http().delete(`/api/org-units/${unit.body.id}`).set(as(committee));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('南区计划');
    expect(await catalog.dataSource.query(`SELECT 1 FROM org_units WHERE id = $1`, [unit.body.id])).toHaveLength(1);
  });

  it('answers 409 when a plan covers the unit, instead of dropping it from the plan', async () => {
    const unit = await catalog
      .http()
      .post('/api/org-units')
      .set(as(east))
      .send({ parentId: await unitId('committee/east'), slug: 'group-7', name: '东区第七小组' });
    const planId = await createPlan(east, { name: '第七小组计划', unitIds: [unit.body.id] });
    const answer = await catalog.http().delete(`/api/org-units/${unit.body.id}`).set(as(east));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('第七小组计划');
    const plan = await catalog.http().get(`/api/study-plans/${planId}`).set(as(east));
    expect(plan.body.units.map((u: { id: string }) => u.id)).toEqual([unit.body.id]);
  });

  it('still deletes an empty unit nothing refers to', async () => {
    const unit = await catalog
      .http()
      .post('/api/org-units')
      .set(as(east))
      .send({ parentId: await unitId('committee/east'), slug: 'group-8', name: '东区第八小组' });
    expect((await catalog.http().delete(`/api/org-units/${unit.body.id}`).set(as(east))).status).toBe(204);
  });
});

describe('closing a plan', () => {
  it('closes once when two closes race: one 200, the other 409, results frozen once', async () => {
    const planId = await createPlan(committee, { name: '并发关闭' });
    const answers = await Promise.all([1, 2].map(() => catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(committee))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const conflict = answers.find((a) => a.status === 409)!;
    expect(conflict.body.message).toContain('already closed');
    const closed = answers.find((a) => a.status === 200)!;
    const [{ n }] = await catalog.dataSource.query(`SELECT count(*)::int AS n FROM study_plan_results WHERE plan_id = $1`, [planId]);
    expect(closed.body.members).toBeGreaterThan(0);
    expect(n).toBe(closed.body.members);
  });

  it('keeps frozen results in view after their unit is renamed, and the member keeps the plan after moving', async () => {
    const planId = await createPlan(east, { name: '东区年度' });
    await study(member, memberId, firstLecture, 120);
    expect((await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(east))).status).toBe(200);
    const frozen = (await planMembers(east, planId)).find((m) => m.login === 'member')!;
    expect(frozen.earnedHours).toBeGreaterThan(0);
    // Study after the close changes nothing in the result, in the member's own detail report either.
    const [{ earned_hours: frozenHours }] = await catalog.dataSource.query(
      `SELECT earned_hours FROM study_plan_results WHERE plan_id = $1 AND user_id = $2`,
      [planId, memberId],
    );
    await study(member, memberId, firstLecture, 600);
    const detailPlan = async () =>
      ((await catalog.http().get(`/api/reports/members/${memberId}`).set(as(committee))).body.plans as Array<{ planId: string }>).find(
        (p) => p.planId === planId,
      );
    expect(await detailPlan()).toMatchObject({ earnedHours: frozenHours, closedAt: expect.any(String) });
    const group1 = await unitId('committee/east/group-1');
    const before = { east: await overview(east, planId), committee: await overview(committee, planId) };
    expect(before.east.find((u) => u.unitId === group1)!.members).toBeGreaterThan(0);

    // Rename the member's group, then their branch (the east admin's own unit, so the committee renames it).
    const eastId = await unitId('committee/east');
    expect((await catalog.http().patch(`/api/org-units/${group1}`).set(as(east)).send({ slug: 'first' })).status).toBe(200);
    expect((await catalog.http().patch(`/api/org-units/${eastId}`).set(as(committee)).send({ slug: 'dong' })).status).toBe(200);

    for (const token of [east, committee]) {
      const rows = await planMembers(token, planId);
      expect(rows.find((m) => m.login === 'member')).toMatchObject({ earnedHours: frozen.earnedHours, unitPath: 'committee/dong/first' });
      expect(await planMembers(token, planId, `?unitId=${group1}`)).toContainEqual(
        expect.objectContaining({ login: 'member', earnedHours: frozen.earnedHours }),
      );
    }
    const after = { east: await overview(east, planId), committee: await overview(committee, planId) };
    expect(after.east.map((u) => [u.unitId, u.members, u.totalHours])).toEqual(before.east.map((u) => [u.unitId, u.members, u.totalHours]));
    expect(after.committee.map((u) => [u.unitId, u.members, u.totalHours])).toEqual(
      before.committee.map((u) => [u.unitId, u.members, u.totalHours]),
    );
    expect(await myPlan(planId)).toBeDefined();

    // The member moves to the west branch: the closed east plan is still theirs, and still in the east report.
    await catalog.dataSource.query(`UPDATE users SET org_unit_id = $1 WHERE id = $2`, [await unitId('committee/west/group-1'), memberId]);
    try {
      expect(await myPlan(planId)).toBeDefined();
      expect((await planMembers(east, planId)).map((m) => m.login)).toContain('member');
      expect(await detailPlan()).toMatchObject({ earnedHours: frozenHours });
    } finally {
      await catalog.dataSource.query(`UPDATE users SET org_unit_id = $1 WHERE id = $2`, [group1, memberId]);
    }
    // A unit holding frozen results is not deleted from under them.
    const [{ count }] = await catalog.dataSource.query(`SELECT count(*)::int AS count FROM study_plan_results WHERE org_unit_id = $1`, [
      group1,
    ]);
    expect(count).toBeGreaterThan(0);
  });
});
