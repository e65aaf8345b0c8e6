import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { completeLecture, creditStudy, publishedCourse } from '../../../test/support/study-fixtures.js';

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
let lectures: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

const credit = (userId: string, lectureId: string, day: string, seconds: number) => creditStudy(catalog, userId, lectureId, day, seconds);
const complete = (userId: string, lectureId: string) => completeLecture(catalog, userId, lectureId);

const createPlan = async (body: Record<string, unknown>) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(eastAdmin))
    .send({ name: 'Plan', periodStart: daysFromToday(-30), periodEnd: daysFromToday(30), requiredHours: 1, ...body });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; memberCount: number };
};
const myPlan = async (planId: string, token = member) =>
  ((await catalog.http().get('/api/me/study').set(as(token))).body.plans as Array<{ id: string }>).find((p) => p.id === planId) as
    { earnedHours: number; status: string; percent: number; compulsoryMissing: Array<{ title: string }>; daysLeft: number } | undefined;

beforeAll(async () => {
  catalog = await startCatalog();
  eastAdmin = await catalog.tokenFor('east-admin');
  member = await catalog.tokenFor('member');
  memberId = (await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`))[0].id;
  ({ lectures } = await publishedCourse(catalog, '党史', ['第一讲', '第二讲']));
}, 120_000);
afterAll(() => catalog.close());

describe('study plans', () => {
  it('counts credited study inside the period toward a member of the plan units', async () => {
    const plan = await createPlan({ name: '2026 东区学习', requiredHours: 2, compulsoryLectureIds: [lectures[1]] });
    expect(plan.memberCount).toBeGreaterThan(0);
    await credit(memberId, lectures[0], today(), 1800);
    await credit(memberId, lectures[0], daysFromToday(-45), 3600);
    const mine = await myPlan(plan.id);
    expect(mine).toMatchObject({ earnedHours: 0.5, percent: 25, compulsoryMissing: [{ title: '第二讲' }] });
    expect(mine!.daysLeft).toBeGreaterThanOrEqual(30);
  });

  it('needs the compulsory lectures as well as the hours', async () => {
    const plan = await createPlan({ requiredHours: 0.1, compulsoryLectureIds: [lectures[1]] });
    expect((await myPlan(plan.id))!.status).not.toBe('met');
    await complete(memberId, lectures[1]);
    expect((await myPlan(plan.id))!.status).toBe('met');
  });

  it('grants fixed hours per completed lecture in per-lecture mode', async () => {
    const plan = await createPlan({ mode: 'per_lecture', creditHoursPerLecture: 1.5, requiredHours: 3 });
    expect((await myPlan(plan.id))!.earnedHours).toBe(1.5);
  });

  it('applies only to the chosen units and categories', async () => {
    const group2 = await createPlan({ unitIds: [await unitId('committee/east/group-2')] });
    expect(await myPlan(group2.id)).toBeUndefined();
    const rural = await createPlan({ categories: ['rural'] });
    expect(await myPlan(rural.id)).toBeUndefined();
    const retired = await createPlan({ categories: ['retired'] });
    expect(await myPlan(retired.id)).toBeDefined();
  });

  it('keeps a branch admin from planning for another branch, and hides the plan from that branch admin', async () => {
    const foreign = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(eastAdmin))
      .send({
        name: 'x',
        periodStart: today(),
        periodEnd: today(),
        requiredHours: 1,
        unitIds: [await unitId('committee/west')],
      });
    expect(foreign.status).toBe(404);
    const plan = await createPlan({ name: 'East only' });
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, password_hash, role, org_unit_id) SELECT 'west-admin', 'W', password_hash, 'admin', (SELECT id FROM org_units WHERE path = 'committee/west') FROM users WHERE login = 'east-admin'`,
    );
    const westAdmin = await catalog.tokenFor('west-admin');
    expect((await catalog.http().get(`/api/study-plans/${plan.id}`).set(as(westAdmin))).status).toBe(404);
    expect(
      ((await catalog.http().get('/api/study-plans').set(as(westAdmin))).body as Array<{ id: string }>).map((p) => p.id),
    ).not.toContain(plan.id);
  });

  it.each([
    [{ periodStart: '2026-12-01', periodEnd: '2026-01-01' }, 'periodEnd'],
    [{ requiredHours: -3 }, 'requiredHours'],
    [{ mode: 'per_lecture' }, 'creditHoursPerLecture'],
    [{ periodStart: '31/12/2026' }, 'periodStart'],
    [{ categories: ['astronauts'] }, 'categories'],
  ])('rejects %j', async (body, field) => {
    const answer = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(eastAdmin))
      .send({ name: 'x', periodStart: today(), periodEnd: today(), requiredHours: 1, ...body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(field);
  });

  it('opens a make-up window after the period for those who fell short; their make-up study counts, only for them', async () => {
    const plan = await createPlan({ name: 'Last month', periodStart: daysFromToday(-40), periodEnd: daysFromToday(-10), requiredHours: 1 });
    const other = (
      await catalog.dataSource.query(
        `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE 'committee/east/%' AND u.login <> 'member' AND u.role = 'member' LIMIT 1`,
      )
    )[0];
    await credit(other.id, lectures[0], daysFromToday(-20), 3600);
    const opened = await catalog
      .http()
      .post(`/api/study-plans/${plan.id}/makeup`)
      .set(as(eastAdmin))
      .send({ until: daysFromToday(10) });
    expect(opened.status).toBe(200);
    await credit(memberId, lectures[1], today(), 1200);
    await credit(other.id, lectures[1], today(), 1200);
    // Everything the member studied today falls in the window: 1800 s from the first test and 1200 s now.
    expect((await myPlan(plan.id))!.earnedHours).toBeCloseTo((1800 + 1200) / 3600, 5);
    // Met the hours in the period, so not granted the window: today's study does not count.
    expect((await myPlan(plan.id, await catalog.tokenFor(other.login)))!.earnedHours).toBe(1);
    const early = await createPlan({ name: 'Running' });
    expect(
      (
        await catalog
          .http()
          .post(`/api/study-plans/${early.id}/makeup`)
          .set(as(eastAdmin))
          .send({ until: daysFromToday(60) })
      ).status,
    ).toBe(409);
  });

  it('keeps a member granted the make-up window when it is extended, so their make-up study still counts', async () => {
    const plan = await createPlan({ name: 'Extended', periodStart: daysFromToday(-40), periodEnd: daysFromToday(-10), requiredHours: 1 });
    const makeup = (until: string) => catalog.http().post(`/api/study-plans/${plan.id}/makeup`).set(as(eastAdmin)).send({ until });
    expect((await makeup(daysFromToday(5))).status).toBe(200);
    await credit(memberId, lectures[0], today(), 3600);
    const caughtUp = await myPlan(plan.id);
    expect(caughtUp!.status).toBe('met');
    // The window is extended: the member met the plan only through make-up study, and that study still counts.
    expect((await makeup(daysFromToday(10))).status).toBe(200);
    expect(await myPlan(plan.id)).toEqual({ ...caughtUp, daysLeft: expect.any(Number), makeupUntil: daysFromToday(10) });
  });
});
