import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '#auth';
import type { ReportTableAnswer, UnitRollup } from '#contracts';
import { ReportsService } from '../src/reports/reports.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let reports: ReportsService;
let committee: string;
let east: string;
const lectures: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const today = () => daysFromToday(0);

type Unit = UnitRollup;
type Overview = ReportTableAnswer<Unit> & { asOf: string; source: 'rollup' | 'live' | 'frozen' };

const person = async (login: string) =>
  (
    await catalog.dataSource.query(
      `SELECT u.id, u.login, u.role, u.org_unit_id AS "orgUnitId", o.path AS "orgPath" FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $1`,
      [login],
    )
  )[0] as { id: string; login: string; role: Principal['role']; orgUnitId: string; orgPath: string };
const principal = async (login: string): Promise<Principal> => {
  const p = await person(login);
  return { userId: p.id, login: p.login, role: p.role, orgUnitId: p.orgUnitId, orgPath: p.orgPath };
};
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

/** Study as the heartbeat ingest records it. */
const credit = (login: string, lecture: number, day: string, seconds: number) =>
  catalog.dataSource.query(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) SELECT id, $2, $3, $4 FROM users WHERE login = $1
     ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec`,
    [login, lectures[lecture], day, seconds],
  );
const complete = (login: string, lecture: number) =>
  catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec, completed_at)
     SELECT id, $2, 100, 100, 100, now() FROM users WHERE login = $1
     ON CONFLICT (user_id, lecture_id) DO UPDATE SET completed_at = now()`,
    [login, lectures[lecture]],
  );

const overview = async (token: string, planId: string, fresh = false) => {
  const answer = await catalog
    .http()
    .get(`/api/reports/plans/${planId}/overview${fresh ? '?fresh=true' : ''}`)
    .set(as(token));
  expect(answer.status).toBe(200);
  return answer.body as Overview;
};
/** The rollup and the live computation side by side; they must agree on every figure of every unit. */
async function expectSameAsLive(token: string, planId: string): Promise<Unit[]> {
  const rolled = await overview(token, planId);
  const live = await overview(token, planId, true);
  expect(rolled.source).toBe('rollup');
  expect(live.source).toBe('live');
  expect(rolled.items).toEqual(live.items);
  return rolled.items;
}
const createPlan = async (body: Record<string, unknown>) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(committee))
    .send({ name: 'Rollup', periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 1, ...body });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};
const unitOf = (items: Unit[], path: string) => items.find((u) => u.path === path)!;

let planId: string;

beforeAll(async () => {
  catalog = await startCatalog();
  reports = catalog.app.get(ReportsService);
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  const [{ id: editor }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'editor'`);
  const [{ id: course }] = await catalog.dataSource.query(
    `INSERT INTO courses (title, category_id, status, created_by, published_at)
     SELECT '理论学习', id, 'published', $1, now() FROM course_categories ORDER BY code LIMIT 1 RETURNING id`,
    [editor],
  );
  for (let i = 0; i < 3; i++) {
    const [{ asset_id }] = await catalog.dataSource.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES (gen_random_uuid(), 'ready', 'video', 100, '{}') RETURNING asset_id`,
    );
    const [{ id }] = await catalog.dataSource.query(
      `INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [course, i, `第${i + 1}讲`, asset_id],
    );
    lectures.push(id);
  }
  planId = await createPlan({ name: '年度学习', compulsoryLectureIds: [lectures[1]] });
  // A spread of standings: met, on track, behind (little credit, or a completion but no hours), not started
  // (study only before the period), and 90 s = 0.025 h, a tie when rounding to hundredths.
  await credit('member', 0, today(), 4000);
  await complete('member', 1);
  await credit('member02', 0, daysFromToday(-1), 3000);
  await credit('member03', 2, today(), 90);
  await complete('member04', 1);
  await credit('member05', 0, daysFromToday(-30), 7200);
  await credit('member06', 1, today(), 3700);
  await credit('member07', 0, today(), 1234.5678);
  await credit('member07', 2, daysFromToday(-2), 0.0005);
}, 120_000);
afterAll(() => catalog.close());

describe('plan rollup behind the overview', () => {
  it('gives the same figures as the live computation, for the whole tree and for a branch', async () => {
    const whole = await expectSameAsLive(committee, planId);
    expect(whole[0]).toMatchObject({ path: 'committee', members: 30, met: 1 });
    expect(whole[0].onTrack + whole[0].behind).toBeGreaterThanOrEqual(3);
    await expectSameAsLive(east, planId);
  });

  it('answers from the rollup, current as of the request when nothing waits in the change log', async () => {
    const before = Date.now();
    const answer = await overview(committee, planId);
    expect(answer.source).toBe('rollup');
    expect(Date.parse(answer.asOf)).toBeGreaterThanOrEqual(before - 1000);
    expect(Number((await catalog.dataSource.query(`SELECT count(*) FROM report_dirty_users`))[0].count)).toBe(0);
  });

  it('picks up new credit by recomputing only the members who studied', async () => {
    const others = async () =>
      catalog.dataSource.query(`SELECT user_id, xmin::text FROM plan_member_totals WHERE plan_id = $1 AND user_id <> $2 ORDER BY user_id`, [
        planId,
        (await person('member08')).id,
      ]);
    const before = unitOf((await overview(committee, planId)).items, 'committee');
    const untouched = await others();
    await credit('member08', 2, today(), 1800);
    const after = unitOf(await expectSameAsLive(committee, planId), 'committee');
    expect(after.totalHours).toBeCloseTo(before.totalHours + 0.5, 5);
    expect(after.notStarted).toBe(before.notStarted - 1);
    expect(await others()).toEqual(untouched);
    // The ingest upserts lecture_progress on every heartbeat; completing a lecture is the change that counts.
    await catalog.dataSource.query(
      `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec) SELECT id, $1, 50, 50, 100 FROM users WHERE login = 'member08'`,
      [lectures[1]],
    );
    await complete('member08', 1);
    expect(unitOf(await expectSameAsLive(committee, planId), 'committee').compulsoryCompleted).toBe(after.compulsoryCompleted + 1);
  });

  it('answers from the last refresh while a large backlog waits, then catches up in the background', async () => {
    const { syncBacklog } = reports.rollup.options;
    Object.assign(reports.rollup.options, { syncBacklog: 0 });
    try {
      const before = await overview(committee, planId);
      await credit('member09', 0, today(), 3600);
      const stale = await overview(committee, planId);
      expect(stale.items).toEqual(before.items);
      expect(Date.parse(stale.asOf)).toBeLessThanOrEqual(Date.now());
      const refreshed = await reports.rollup.refresh({ wait: false });
      expect(refreshed?.changedMembers).toBe(1);
      const current = await overview(committee, planId);
      expect(Date.parse(current.asOf)).toBeGreaterThan(Date.parse(stale.asOf));
      expect(unitOf(current.items, 'committee').totalHours).toBeCloseTo(unitOf(before.items, 'committee').totalHours + 1, 5);
    } finally {
      Object.assign(reports.rollup.options, { syncBacklog });
    }
  });

  it('counts on track and behind against the pro-rata line of the moment asked', async () => {
    const admin = await principal('admin');
    const start = Date.parse(`${daysFromToday(-10)}T00:00:00+08:00`);
    for (const nowMs of [start + 1000, Date.now(), Date.now() + 5 * DAY, Date.now() + 30 * DAY]) {
      const rolled = await reports.overview(admin, planId, { nowMs });
      const live = await reports.overview(admin, planId, { nowMs, fresh: true });
      expect(rolled.rows).toEqual(live.rows);
    }
    const early = unitOf((await reports.overview(admin, planId, { nowMs: start + 1000 })).rows as Unit[], 'committee');
    const over = unitOf((await reports.overview(admin, planId, { nowMs: Date.now() + 30 * DAY })).rows as Unit[], 'committee');
    expect(over.onTrack).toBe(0);
    expect(over.behind).toBe(early.behind + early.onTrack);
    expect(early.onTrack).toBeGreaterThan(0);
  });

  it('follows members who move, change category or leave, and plans whose rules change', async () => {
    await catalog.dataSource.query(`UPDATE users SET org_unit_id = $1 WHERE login = 'member'`, [await unitId('committee/west/group-1')]);
    let items = await expectSameAsLive(committee, planId);
    expect(unitOf(items, 'committee/east').met).toBe(0);
    await catalog.dataSource.query(`UPDATE users SET active = false WHERE login = 'member02'`);
    items = await expectSameAsLive(committee, planId);
    expect(unitOf(items, 'committee').members).toBe(29);
    // A new compulsory lecture nobody completed: no one meets the plan any more.
    await catalog.dataSource.query(`INSERT INTO study_plan_compulsory (plan_id, lecture_id, position) VALUES ($1, $2, 1)`, [
      planId,
      lectures[2],
    ]);
    items = await expectSameAsLive(committee, planId);
    expect(unitOf(items, 'committee').met).toBe(0);
    const retired = await createPlan({ name: 'Retired only', categories: ['retired'] });
    items = await expectSameAsLive(committee, retired);
    expect(unitOf(items, 'committee').members).toBeLessThan(29);
    await catalog.dataSource.query(`UPDATE users SET category = 'retired' WHERE login = 'member03'`);
    await expectSameAsLive(committee, retired);
  });

  it('rolls the plan up per-lecture and after a make-up window by the same rules', async () => {
    const perLecture = await createPlan({ name: 'Per lecture', mode: 'per_lecture', creditHoursPerLecture: 0.75, requiredHours: 1.5 });
    await expectSameAsLive(committee, perLecture);
    const past = await createPlan({ name: 'Past', periodStart: daysFromToday(-40), periodEnd: daysFromToday(-3), requiredHours: 0.5 });
    await expectSameAsLive(committee, past);
    const makeup = await catalog
      .http()
      .post(`/api/study-plans/${past}/makeup`)
      .set(as(committee))
      .send({ until: daysFromToday(5) });
    expect(makeup.status).toBe(200);
    await credit('member10', 0, today(), 2000);
    const items = await expectSameAsLive(committee, past);
    expect(unitOf(items, 'committee').onTrack).toBe(0);
  });

  it('keeps every figure inside the caller subtree', async () => {
    const before = await overview(east, planId);
    expect(before.items.every((u) => u.path.startsWith('committee/east'))).toBe(true);
    await credit('member07', 1, today(), 3600); // in committee/west
    const after = await expectSameAsLive(east, planId);
    expect(after).toEqual(before.items);
    const westPlan = await createPlan({ name: 'West', unitIds: [await unitId('committee/west')] });
    expect((await catalog.http().get(`/api/reports/plans/${westPlan}/overview`).set(as(east))).status).toBe(404);
  });

  it('drops the rollup of a closed plan and reports its frozen results', async () => {
    const before = await overview(committee, planId);
    expect((await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(committee))).status).toBe(200);
    const closed = await overview(committee, planId);
    expect(closed.source).toBe('frozen');
    expect(closed.items).toEqual(before.items);
    await reports.rollup.refresh({ wait: true });
    expect(await catalog.dataSource.query(`SELECT 1 FROM plan_rollups WHERE plan_id = $1`, [planId])).toHaveLength(0);
    expect(await catalog.dataSource.query(`SELECT 1 FROM plan_member_totals WHERE plan_id = $1`, [planId])).toHaveLength(0);
  });
});
