import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportsService } from '../src/reports/reports.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

/**
 * Plans for the holders of a position or the members of a training class. The people are made here, in
 * a unit of their own, so the demo organisation's positions and classes do not change the counts.
 */
let catalog: CatalogHarness;
let reports: ReportsService;
let committee: string;
let east: string;
let unitT: string;
let unitT1: string;
const ids = new Map<string, string>();
const PASSWORD = 'targets-pass-2026';
const year = new Date().getUTCFullYear();
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

type PlanView = {
  id: string;
  memberCount: number;
  positions: string[];
  positionKinds: Array<{ code: string; nameZh: string; nameEn: string }>;
  classIds: string[];
  classes: Array<{ id: string; name: string }>;
  categories: string[];
};

const createPlan = async (body: Record<string, unknown>, token = committee) =>
  catalog
    .http()
    .post('/api/study-plans')
    .set(as(token))
    .send({ periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, ...body });
const planOk = async (body: Record<string, unknown>) => {
  const answer = await createPlan(body);
  expect(answer.status).toBe(201);
  return answer.body as PlanView;
};
const unitPath = async (path: string) =>
  (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

/** The logins the plan's member report lists (live for an open plan, frozen once closed). */
const reported = async (planId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members`).set(as(committee));
  expect(answer.status).toBe(200);
  return (answer.body.items as Array<{ login: string }>).map((m) => m.login).sort();
};
/** The logins in the plan's rollup once it is brought up to date, checked against the overview's totals. */
const rolledUp = async (planId: string) => {
  await reports.rollup.refresh({ wait: true });
  const logins: string[] = (
    await catalog.dataSource.query(
      `SELECT u.login FROM plan_member_totals t JOIN users u ON u.id = t.user_id WHERE t.plan_id = $1 ORDER BY u.login`,
      [planId],
    )
  ).map((r: { login: string }) => r.login);
  const overview = await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(committee));
  expect(overview.status).toBe(200);
  expect(overview.body.source).toBe('rollup');
  expect(overview.body.items[0]?.members ?? 0).toBe(logins.length);
  return logins;
};
/** Whether the member's own My study lists the plan. */
const inMyStudy = async (login: string, planId: string) => {
  const answer = await catalog
    .http()
    .get('/api/me/study')
    .set(as(await catalog.tokenFor(login, PASSWORD)));
  expect(answer.status).toBe(200);
  return (answer.body.plans as Array<{ id: string }>).some((p) => p.id === planId);
};

const appoint = (login: string, position: string, unit = unitT) =>
  catalog.dataSource.query(`INSERT INTO member_positions (user_id, org_unit_id, position_code) VALUES ($1, $2, $3)`, [
    ids.get(login),
    unit,
    position,
  ]);
const endPosition = (login: string, position: string) =>
  catalog.dataSource.query(
    `UPDATE member_positions SET ended_on = current_date WHERE user_id = $1 AND position_code = $2 AND ended_on IS NULL`,
    [ids.get(login), position],
  );
const newClass = async (name: string, ownerUnit: string) =>
  (
    await catalog.dataSource.query(
      `INSERT INTO training_classes (name, owner_unit_id, starts_on, ends_on) VALUES ($1, $2, $3, $4) RETURNING id`,
      [name, ownerUnit, `${year}-09-01`, `${year + 1}-06-30`],
    )
  )[0].id as string;
const enrol = (classId: string, ...logins: string[]) =>
  catalog.dataSource.query(`INSERT INTO training_class_members (class_id, user_id) SELECT $1, unnest($2::uuid[])`, [
    classId,
    logins.map((l) => ids.get(l)),
  ]);
const withdraw = (classId: string, login: string) =>
  catalog.dataSource.query(`UPDATE training_class_members SET withdrawn_at = now() WHERE class_id = $1 AND user_id = $2`, [
    classId,
    ids.get(login),
  ]);

beforeAll(async () => {
  catalog = await startCatalog();
  reports = catalog.app.get(ReportsService);
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  const addUnit = async (parentId: string, slug: string, name: string) => {
    const answer = await catalog.http().post('/api/org-units').set(as(committee)).send({ parentId, slug, name, kind: 'branch' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  unitT = await addUnit(await unitPath('committee'), 'targets', '定向支部');
  unitT1 = await addUnit(unitT, 'targets-1', '定向一组');
  const people: Array<[string, string, string]> = [
    ['t-sec-1', unitT, 'retired'],
    ['t-sec-2', unitT1, 'on-the-job'],
    ['t-plain', unitT, 'retired'],
    ['t-deputy', unitT1, 'retired'],
    ['t-class-1', unitT, 'retired'],
    ['t-class-2', unitT1, 'on-the-job'],
    ['t-class-3', unitT1, 'retired'],
  ];
  for (const [login, orgUnitId, category] of people) {
    const answer = await catalog
      .http()
      .post('/api/members')
      .set(as(committee))
      .send({ login, name: login, role: 'member', orgUnitId, category, password: PASSWORD });
    expect(answer.status).toBe(201);
    ids.set(login, answer.body.id);
  }
  // Signing in with a password an admin set may ask for a new one first; these people sign in as they are.
  await catalog.dataSource.query(`UPDATE users SET must_change_password = false WHERE login LIKE 't-%'`);
  await appoint('t-sec-1', 'secretary');
  await appoint('t-sec-2', 'secretary', unitT1);
  await appoint('t-deputy', 'deputy-secretary', unitT1);
  // An ended position is history, not a current one.
  await appoint('t-plain', 'secretary');
  await endPosition('t-plain', 'secretary');
}, 120_000);
afterAll(() => catalog.close());

describe('a plan for a position', () => {
  let plan: PlanView;

  it('"secretaries: 56 h this year" applies to the current secretaries only', async () => {
    plan = await planOk({ name: 'secretaries: 56 h this year', requiredHours: 56, unitIds: [unitT], positions: ['Secretary'] });
    expect(plan.positions).toEqual(['secretary']);
    expect(plan.positionKinds).toEqual([expect.objectContaining({ code: 'secretary', nameEn: 'Secretary' })]);
    expect(plan.classIds).toEqual([]);
    expect(plan.memberCount).toBe(2);
    expect(await reported(plan.id)).toEqual(['t-sec-1', 't-sec-2']);
    expect(await rolledUp(plan.id)).toEqual(['t-sec-1', 't-sec-2']);
    const viewed = await catalog.http().get(`/api/study-plans/${plan.id}`).set(as(committee));
    expect(viewed.body).toMatchObject({ positions: ['secretary'], memberCount: 2 });
    expect(await inMyStudy('t-sec-1', plan.id)).toBe(true);
    expect(await inMyStudy('t-plain', plan.id)).toBe(false);
    expect(await inMyStudy('t-deputy', plan.id)).toBe(false);
  });

  it('takes in a member appointed secretary, once the rollup is refreshed', async () => {
    await appoint('t-plain', 'secretary');
    expect(await rolledUp(plan.id)).toEqual(['t-plain', 't-sec-1', 't-sec-2']);
    expect(await reported(plan.id)).toEqual(['t-plain', 't-sec-1', 't-sec-2']);
    expect(await inMyStudy('t-plain', plan.id)).toBe(true);
  });

  it('lets go of a member whose position ended, while the plan is open', async () => {
    await endPosition('t-sec-1', 'secretary');
    expect(await rolledUp(plan.id)).toEqual(['t-plain', 't-sec-2']);
    expect(await reported(plan.id)).toEqual(['t-plain', 't-sec-2']);
    expect(await inMyStudy('t-sec-1', plan.id)).toBe(false);
    expect((await catalog.http().get(`/api/study-plans/${plan.id}`).set(as(committee))).body.memberCount).toBe(2);
  });

  it('keeps who was in it when it closes, whatever happens to their positions afterwards', async () => {
    const closed = await catalog.http().post(`/api/reports/plans/${plan.id}/close`).set(as(committee));
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ members: 2 });
    await endPosition('t-sec-2', 'secretary');
    await appoint('t-sec-1', 'secretary');
    expect(await reported(plan.id)).toEqual(['t-plain', 't-sec-2']);
    expect(await inMyStudy('t-sec-2', plan.id)).toBe(true);
    expect(await inMyStudy('t-sec-1', plan.id)).toBe(false);
  });

  it('names a position that does not exist, and takes no position of another branch', async () => {
    const unknown = await createPlan({ name: 'x', requiredHours: 1, positions: ['secretary', 'chairman'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('"chairman"');
    expect(unknown.body.message).not.toContain('"secretary"');
    await catalog.dataSource.query(
      `INSERT INTO position_kinds (code, name_zh, name_en, owner_unit_id) SELECT 'west-liaison', '联络员', 'Liaison', id FROM org_units WHERE path = 'committee/west'`,
    );
    const foreign = await createPlan({ name: 'x', requiredHours: 1, positions: ['west-liaison'] }, east);
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain('"west-liaison"');
    expect((await createPlan({ name: 'x', requiredHours: 1, positions: ['west-liaison'] })).status).toBe(201);
    for (const positions of [[''], ['x'.repeat(41)], ['sec\u0000retary'], ['秘书'], 'secretary', [42], Array(51).fill('secretary')]) {
      expect((await createPlan({ name: 'x', requiredHours: 1, positions })).status).toBe(400);
    }
  });
});

describe('a plan for a training class', () => {
  let classId: string;
  let plan: PlanView;

  beforeAll(async () => {
    classId = await newClass('2027 积极分子培训班', unitT);
    await enrol(classId, 't-class-1', 't-class-2', 't-class-3');
  });

  it('"2027 activists\' class: 40 h" applies to the enrolled members only', async () => {
    plan = await planOk({ name: "2027 activists' class: 40 h", requiredHours: 40, classIds: [classId] });
    expect(plan.classIds).toEqual([classId]);
    expect(plan.classes).toEqual([expect.objectContaining({ id: classId, name: '2027 积极分子培训班' })]);
    expect(plan.positions).toEqual([]);
    expect(plan.memberCount).toBe(3);
    expect(await reported(plan.id)).toEqual(['t-class-1', 't-class-2', 't-class-3']);
    expect(await rolledUp(plan.id)).toEqual(['t-class-1', 't-class-2', 't-class-3']);
    expect(await inMyStudy('t-class-2', plan.id)).toBe(true);
    expect(await inMyStudy('t-plain', plan.id)).toBe(false);
  });

  it('lets go of a member who withdrew', async () => {
    await withdraw(classId, 't-class-3');
    expect(await rolledUp(plan.id)).toEqual(['t-class-1', 't-class-2']);
    expect(await reported(plan.id)).toEqual(['t-class-1', 't-class-2']);
    expect(await inMyStudy('t-class-3', plan.id)).toBe(false);
    expect(await inMyStudy('t-class-1', plan.id)).toBe(true);
  });

  it("takes no class from outside the admin's subtree, nor one that does not exist", async () => {
    const westClass = await newClass('西区培训班', await unitPath('committee/west'));
    for (const classIds of [[westClass], [classId, '00000000-0000-4000-8000-000000000000']]) {
      const answer = await createPlan({ name: 'x', requiredHours: 1, classIds }, east);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('no such class in your organisation');
    }
    expect((await createPlan({ name: 'x', requiredHours: 1, classIds: ['not-an-id'] })).status).toBe(400);
    expect((await createPlan({ name: 'x', requiredHours: 1, classIds: [westClass] })).status).toBe(201);
  });
});

describe('targets combined', () => {
  it('applies units, categories, positions and classes together', async () => {
    const classId = await newClass('联合班', unitT);
    await enrol(classId, 't-deputy', 't-sec-2', 't-class-3', 't-plain');
    await appoint('t-class-3', 'deputy-secretary', unitT1);
    // In T1, retired, holding secretary or deputy secretary, enrolled in the class:
    // t-deputy and t-class-3 (t-sec-2 is on the job and no longer secretary; t-plain is in T).
    const plan = await planOk({
      name: 'combined',
      requiredHours: 4,
      unitIds: [unitT1],
      categories: ['retired'],
      positions: ['secretary', 'deputy-secretary'],
      classIds: [classId],
    });
    expect(plan).toMatchObject({
      categories: ['retired'],
      positions: ['secretary', 'deputy-secretary'],
      classIds: [classId],
      memberCount: 2,
    });
    expect(await reported(plan.id)).toEqual(['t-class-3', 't-deputy']);
    expect(await rolledUp(plan.id)).toEqual(['t-class-3', 't-deputy']);
    expect(await inMyStudy('t-deputy', plan.id)).toBe(true);
    expect(await inMyStudy('t-sec-2', plan.id)).toBe(false);
    expect(await inMyStudy('t-plain', plan.id)).toBe(false);

    await catalog.dataSource.query(`UPDATE users SET category = 'on-the-job' WHERE login = 't-deputy'`);
    expect(await rolledUp(plan.id)).toEqual(['t-class-3']);
    expect(await inMyStudy('t-deputy', plan.id)).toBe(false);
    // The same rows, live: the member report and the rollup agree.
    expect(await reported(plan.id)).toEqual(['t-class-3']);
  });
});
