import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyPlan } from '#contracts';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { startWithStudiedMember } from './support/exam-rows.js';

/**
 * Plans that require accepted learning reflections: a member meets the plan only once the hours, the
 * compulsory lectures, the exams and as many accepted reflections as it requires are done. A reflection
 * counts when read or excellent, and written for the plan or, for no plan, on a day of its period. My study,
 * the members report and its files, the live overview and the rollup agree; closing the plan freezes the count.
 */

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);

type Status = 'draft' | 'submitted' | 'returned' | 'read' | 'excellent' | 'withdrawn';
/** A reflection written straight to the table (the reflection endpoints are another part's), begun `daysAgo` days ago. */
const reflection = async (
  userId: string,
  status: Status,
  { daysAgo = 0, planId = null }: { daysAgo?: number; planId?: string | null } = {},
) => {
  const [row] = await q(
    `INSERT INTO reflections (user_id, org_unit_id, plan_id, title, body, status, version, submitted_at, accepted_at, created_at)
     SELECT u.id, u.org_unit_id, $3, '学习心得', '认真学习，收获很大。', $2, CASE WHEN $2 = 'draft' THEN 0 ELSE 1 END,
            CASE WHEN $2 IN ('draft', 'withdrawn') THEN NULL ELSE now() END,
            CASE WHEN $2 IN ('read', 'excellent') THEN now() END, now() - make_interval(days => $4::int)
       FROM users u WHERE u.id = $1
     RETURNING id`,
    [userId, status, planId, daysAgo],
  );
  return row.id as string;
};
const accept = (id: string) => q(`UPDATE reflections SET status = 'read', accepted_at = now() WHERE id = $1`, [id]);

const createPlan = (body: Record<string, unknown>) =>
  catalog
    .http()
    .post('/api/study-plans')
    .set(as(eastAdmin))
    .send({ name: 'Plan', periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 0.5, ...body });

type MyStudyPlan = MyPlan & { reflections: { required: number; accepted: number } };
const myPlan = async (planId: string) =>
  ((await catalog.http().get('/api/me/study').set(as(member))).body.plans as MyStudyPlan[]).find((p) => p.id === planId)!;

interface Row {
  login: string;
  status: string;
  reflectionsRequired?: number;
  reflectionsAccepted?: number;
}
/**
 * Every change committed so far is in the rollup: a report asked while a background chunk holds a change
 * answers as of before it (and says so), so the tests wait for that state rather than race the chunk.
 */
const settled = () => catalog.app.get(ReportsService).rollup.refresh({ wait: true });
const reportRows = async (planId: string, fresh = false) => {
  if (!fresh) await settled();
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members?fresh=${fresh}`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return answer.body.items as Row[];
};
const overview = async (planId: string, fresh: boolean) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=${fresh}`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return answer.body.items as Array<{ path: string; members: number; met: number; onTrack: number; behind: number; notStarted: number }>;
};

/** My study, the members report (rollup and live), the live overview and the rollup all say the same. */
async function expectAgreement(planId: string, expected: string, accepted: number) {
  const mine = await myPlan(planId);
  expect(mine.status).toBe(expected);
  expect(mine.reflections).toEqual({ required: 2, accepted });
  for (const fresh of [false, true]) {
    const rows = await reportRows(planId, fresh);
    expect(rows.find((r) => r.login === 'member')).toMatchObject({
      status: expected,
      reflectionsRequired: 2,
      reflectionsAccepted: accepted,
    });
  }
  await settled();
  const live = await overview(planId, true);
  const rolled = await overview(planId, false);
  expect(rolled).toEqual(live);
}

beforeAll(async () => {
  // The member has the plan's hours: only reflections can stand between them and the plan.
  ({ catalog, eastAdmin, member, memberId } = await startWithStudiedMember('学习心得课', 3600));
}, 120_000);
afterAll(() => catalog.close());

describe('plans that require reflections', () => {
  it('takes the number of reflections, 0 to 50, with a clear message otherwise', async () => {
    const plan = await createPlan({ name: '要写心得的计划', requiredReflections: 3 });
    expect(plan.status).toBe(201);
    expect(plan.body.requiredReflections).toBe(3);
    expect((await createPlan({ name: '不要心得' })).body.requiredReflections).toBe(0);
    for (const bad of [51, -1, 1.5, '2']) {
      const refused = await createPlan({ requiredReflections: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('requiredReflections');
    }
  });

  it('is met once enough reflections are accepted; returned, outside the period and for another plan do not count', async () => {
    const plan = (await createPlan({ name: '两篇心得', requiredReflections: 2 })).body as { id: string };
    const other = (await createPlan({ name: '别的计划', requiredReflections: 1 })).body as { id: string };
    await expectAgreement(plan.id, 'on_track', 0);

    await reflection(memberId, 'read', { daysAgo: 1 });
    const returned = await reflection(memberId, 'returned');
    await reflection(memberId, 'submitted');
    // Accepted, but begun before the period (for no plan), or written for another plan.
    await reflection(memberId, 'excellent', { daysAgo: 20 });
    await reflection(memberId, 'read', { planId: other.id });
    await expectAgreement(plan.id, 'on_track', 1);

    await accept(returned);
    await expectAgreement(plan.id, 'met', 2);

    // The members files carry the column the screen shows.
    const csv = await catalog.http().get(`/api/reports/plans/${plan.id}/members?format=csv&lang=en`).set(as(eastAdmin));
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const columns = header!.split(',');
    expect(columns).toContain('Reflections accepted (of 2)');
    const cells = lines.find((line) => line.includes(',member,'))!.split(',');
    expect(cells[columns.indexOf('Reflections accepted (of 2)')]).toBe('2');
    const json = await catalog.http().get(`/api/reports/plans/${plan.id}/members?lang=zh-CN`).set(as(eastAdmin));
    expect(json.body.columns).toContainEqual({ key: 'reflectionsAccepted', label: '已认可心得体会（应交 2 篇）' });
    // A plan that requires none has no reflections column.
    const none = (await createPlan({ name: '无心得' })).body as { id: string };
    const plain = await catalog.http().get(`/api/reports/plans/${none.id}/members`).set(as(eastAdmin));
    expect(plain.body.columns.map((c: { key: string }) => c.key)).not.toContain('reflectionsAccepted');
  });

  it('counts a reflection written for the plan whenever it was begun, and one accepted is a start', async () => {
    const plan = (await createPlan({ name: '为计划写', requiredReflections: 2, requiredHours: 0.01 })).body as { id: string };
    await reflection(memberId, 'excellent', { planId: plan.id, daysAgo: 30 });
    const mine = await myPlan(plan.id);
    // Two earlier accepted reflections of this period count too (from the test above).
    expect(mine.reflections.accepted).toBeGreaterThanOrEqual(2);

    const [someone] = await q(
      `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path = 'committee/east/group-2' AND u.role = 'member' AND u.active ORDER BY u.login LIMIT 1`,
    );
    const before = (await reportRows(plan.id)).find((r) => r.login === someone.login)!;
    expect(before.status).toBe('not_started');
    await reflection(someone.id, 'read');
    for (const fresh of [false, true]) {
      expect((await reportRows(plan.id, fresh)).find((r) => r.login === someone.login)).toMatchObject({
        status: 'behind',
        reflectionsAccepted: 1,
      });
    }
    await settled();
    expect(await overview(plan.id, false)).toEqual(await overview(plan.id, true));
  });

  it('freezes the reflections counted when the plan closes', async () => {
    const plan = (await createPlan({ name: '将关闭', requiredReflections: 2 })).body as { id: string };
    const late = await reflection(memberId, 'submitted');
    expect((await catalog.http().post(`/api/reports/plans/${plan.id}/close`).set(as(eastAdmin))).status).toBe(200);
    const [frozen] = await q(
      `SELECT status, reflections_required, reflections_accepted FROM study_plan_results WHERE plan_id = $1 AND user_id = $2`,
      [plan.id, memberId],
    );
    const accepted = frozen.reflections_accepted as number;
    expect(frozen).toMatchObject({ reflections_required: 2 });
    await accept(late);
    const mine = await myPlan(plan.id);
    expect(mine.reflections).toEqual({ required: 2, accepted });
    expect((await reportRows(plan.id)).find((r) => r.login === 'member')).toMatchObject({ reflectionsAccepted: accepted });
  });
});
