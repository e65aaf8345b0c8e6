import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyPlan } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { creditStudy, memberAndNeighbour, publishedCourse, type TestMember } from '../../../test/support/study-fixtures.js';

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
let other: TestMember;
let lectureId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Study credited on a given day to the course's one lecture. */
const credit = (userId: string, day: string, seconds: number) => creditStudy(catalog, userId, lectureId, day, seconds);

const createPlan = async (body: Record<string, unknown>) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(eastAdmin))
    .send({ name: 'Plan', requiredHours: 1, ...body });
  expect(answer.status).toBe(201);
  return answer.body as { id: string };
};
const closePlan = async (planId: string) =>
  expect((await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(eastAdmin))).status).toBeLessThan(300);
const myPlan = async (planId: string, token = member): Promise<MyPlan | undefined> => {
  const answer = await catalog.http().get('/api/me/study').set(as(token));
  expect(answer.status).toBe(200);
  return (answer.body.plans as MyPlan[]).find((p) => p.id === planId);
};
/** The admin's report of one member of a plan (frozen for a closed plan). */
const adminRow = async (planId: string, userId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  const rows = answer.body.items as Array<{
    userId: string;
    earnedHours: number;
    status: string;
    makeupHours: number | null;
  }>;
  return rows.find((r) => r.userId === userId);
};

beforeAll(async () => {
  catalog = await startCatalog();
  eastAdmin = await catalog.tokenFor('east-admin');
  const people = await memberAndNeighbour(catalog);
  member = people.member.token;
  memberId = people.member.id;
  other = people.other;
  [lectureId] = (await publishedCourse(catalog, '党史', ['第一讲'])).lectures as [string];
}, 120_000);
afterAll(() => catalog.close());

describe('My study: closed plans', () => {
  it('shows a plan closed before its end as closed, with the result frozen at closing, whatever is studied later', async () => {
    const plan = await createPlan({ name: '提前结束的计划', periodStart: daysFromToday(-10), periodEnd: daysFromToday(18) });
    const live = await myPlan(plan.id);
    expect(live).toMatchObject({ earnedHours: 0, status: 'not_started' });
    expect(live!.daysLeft).toBeGreaterThanOrEqual(18);

    await closePlan(plan.id);
    // Studied after the close, inside the plan's period: the frozen result does not move.
    await credit(memberId, today(), 900);

    const closed = await myPlan(plan.id);
    expect(closed).toMatchObject({
      earnedHours: 0,
      requiredHours: 1,
      remainingHours: 1,
      percent: 0,
      status: 'not_started',
      daysLeft: 0,
      makeupUntil: null,
      makeupHours: null,
      compulsoryMissing: [],
    });
    expect(Date.parse(closed!.closedAt!)).not.toBeNaN();
    // The same figures as the admins' report of the closed plan.
    expect(await adminRow(plan.id, memberId)).toMatchObject({ earnedHours: 0, status: closed!.status });
  });

  it('keeps the make-up window to the members granted it, and reports make-up study beside the frozen result', async () => {
    const plan = await createPlan({ name: '上月计划', periodStart: daysFromToday(-40), periodEnd: daysFromToday(-5), requiredHours: 1 });
    // The other member met the plan in its period; the member did not.
    await credit(other.id, daysFromToday(-20), 3600);
    const opened = await catalog
      .http()
      .post(`/api/study-plans/${plan.id}/makeup`)
      .set(as(eastAdmin))
      .send({ until: daysFromToday(10) });
    expect(opened.status).toBe(200);
    expect(await myPlan(plan.id)).toMatchObject({ makeupUntil: daysFromToday(10) });
    // Not granted the window: no make-up notice, and no days left to study.
    expect(await myPlan(plan.id, other.token)).toMatchObject({ makeupUntil: null, daysLeft: 0, status: 'met' });

    const before = (await myPlan(plan.id))!.earnedHours;
    await closePlan(plan.id);
    await credit(memberId, daysFromToday(0), 1800);

    const mine = await myPlan(plan.id);
    expect(mine).toMatchObject({ earnedHours: before, makeupUntil: daysFromToday(10) });
    expect(mine!.status).not.toBe('met');
    expect(mine!.closedAt).not.toBeNull();
    expect(mine!.daysLeft).toBeGreaterThanOrEqual(10);
    expect(mine!.makeupHours).toBeGreaterThanOrEqual(0.5);
    expect((await adminRow(plan.id, memberId))!.makeupHours).toBeCloseTo(mine!.makeupHours!, 2);

    expect(await myPlan(plan.id, other.token)).toMatchObject({ earnedHours: 1, status: 'met', makeupUntil: null, makeupHours: null });
  });
});
