import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReportsService } from '../src/reports/reports.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let reports: ReportsService;
let committee: string;
let east: string;
let north: string;
let lectureId: string;
const plans = { openEast: '', openNorth: '', closedEast: '' };
/** The members of committee/east/group-2 and of the sub-unit created below it, before the move. */
let moved: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const membersUnder = async (path: string) =>
  (
    await catalog.dataSource.query(
      `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND (o.path = $1 OR o.path LIKE $1 || '/%') ORDER BY u.id`,
      [path],
    )
  ).map((r: { id: string }) => r.id) as string[];

type UnitRow = { path: string; members: number; totalHours: number };
const overview = async (token: string, planId: string, fresh = false) => {
  const answer = await catalog
    .http()
    .get(`/api/reports/plans/${planId}/overview${fresh ? '?fresh=true' : ''}`)
    .set(as(token));
  expect(answer.status).toBe(200);
  return answer.body as { source: string; items: UnitRow[] };
};
const membersOfUnit = (items: UnitRow[], path: string) => items.find((u) => u.path === path)?.members ?? 0;
const planMembers = async (token: string, planId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members?limit=500`).set(as(token));
  expect(answer.status).toBe(200);
  return answer.body.items as Array<{ userId: string; unitPath: string; earnedHours: number }>;
};
const listedMembers = async (token: string) => {
  const answer = await catalog.http().get('/api/members?limit=200').set(as(token));
  expect(answer.status).toBe(200);
  return (answer.body.items as Array<{ id: string }>).map((m) => m.id);
};
const move = (token: string, id: string, parentId: string) =>
  catalog.http().post(`/api/org-units/${id}/move`).set(as(token)).send({ parentId });
const createPlan = async (name: string, unitPath: string) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(committee))
    .send({ name, periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 1, unitIds: [await unitId(unitPath)] });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};
/** An admin account at `path` that signs in with the demo password. */
const adminAt = async (login: string, path: string) => {
  await catalog.dataSource.query(
    `INSERT INTO users (login, name, role, org_unit_id, password_hash)
     SELECT $1, $1, 'admin', o.id, a.password_hash FROM org_units o, users a WHERE o.path = $2 AND a.login = 'admin'`,
    [login, path],
  );
  return catalog.tokenFor(login);
};

beforeAll(async () => {
  catalog = await startCatalog();
  reports = catalog.app.get(ReportsService);
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  north = await adminAt('north-admin', 'committee/north');

  const [{ id: editor }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'editor'`);
  const [{ id: course }] = await catalog.dataSource.query(
    `INSERT INTO courses (title, category_id, status, created_by, published_at)
     SELECT '理论学习', id, 'published', $1, now() FROM course_categories ORDER BY code LIMIT 1 RETURNING id`,
    [editor],
  );
  const [{ asset_id }] = await catalog.dataSource.query(
    `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES (gen_random_uuid(), 'ready', 'video', 100, '{}') RETURNING asset_id`,
  );
  [{ id: lectureId }] = await catalog.dataSource.query(
    `INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, 0, '第一讲', $2) RETURNING id`,
    [course, asset_id],
  );

  // A unit below group-2 with one of its members, so the move carries a subtree two levels deep.
  const created = await catalog
    .http()
    .post('/api/org-units')
    .set(as(east))
    .send({ parentId: await unitId('committee/east/group-2'), slug: 'team-a', name: '二组甲队', kind: 'unit' });
  expect(created.status).toBe(201);
  const [first] = await membersUnder('committee/east/group-2');
  await catalog.dataSource.query(`UPDATE users SET org_unit_id = $2 WHERE id = $1`, [first, created.body.id]);
  moved = await membersUnder('committee/east/group-2');
  expect(moved.length).toBeGreaterThanOrEqual(3);
  // Everyone who moves has studied an hour today.
  await catalog.dataSource.query(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) SELECT unnest($1::uuid[]), $2, $3, 3600`,
    [moved, lectureId, daysFromToday(0)],
  );

  plans.openEast = await createPlan('东区年度学习', 'committee/east');
  plans.openNorth = await createPlan('北区年度学习', 'committee/north');
  plans.closedEast = await createPlan('东区上期学习', 'committee/east');
  expect((await catalog.http().post(`/api/reports/plans/${plans.closedEast}/close`).set(as(committee))).status).toBe(200);
  await reports.rollup.refresh({ wait: true });
}, 120_000);
afterAll(() => catalog.close());

describe('before the move', () => {
  it('counts group-2 in the east branch, its plans and its admin’s lists', async () => {
    const eastOverview = await overview(committee, plans.openEast);
    expect(eastOverview.source).toBe('rollup');
    expect(membersOfUnit(eastOverview.items, 'committee/east/group-2')).toBe(moved.length);
    expect(membersOfUnit((await overview(committee, plans.openNorth)).items, 'committee/east/group-2')).toBe(0);
    expect(await listedMembers(east)).toEqual(expect.arrayContaining(moved));
    expect((await listedMembers(north)).filter((id) => moved.includes(id))).toEqual([]);
    const frozen = (await planMembers(committee, plans.closedEast)).filter((m) => moved.includes(m.userId));
    expect(frozen).toHaveLength(moved.length);
    expect(frozen.every((m) => m.unitPath.startsWith('committee/east/group-2'))).toBe(true);
  });
});

describe('moving a unit', () => {
  it('refuses a parent that already has a unit with the same short name, and changes nothing', async () => {
    const before = await catalog.dataSource.query(`SELECT id, parent_id, path, depth FROM org_units ORDER BY path`);
    const answer = await move(committee, await unitId('committee/east/group-2'), await unitId('committee/west'));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(
      '"西区分会" already has a unit with the short name "group-2" ("西区第二小组"). Change the short name of one of them first, then move.',
    );
    expect(await catalog.dataSource.query(`SELECT id, parent_id, path, depth FROM org_units ORDER BY path`)).toEqual(before);
  });

  it('moves group-2 with its sub-unit under the north branch, rewriting paths and depths of the whole subtree', async () => {
    const group = await unitId('committee/east/group-2');
    const team = await unitId('committee/east/group-2/team-a');
    const northId = await unitId('committee/north');
    const answer = await move(committee, group, northId);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: group, parentId: northId, path: 'committee/north/group-2', depth: 2 });
    const rows = await catalog.dataSource.query(`SELECT id, parent_id, path, depth FROM org_units WHERE id = ANY($1) ORDER BY depth`, [
      [group, team],
    ]);
    expect(rows).toEqual([
      { id: group, parent_id: northId, path: 'committee/north/group-2', depth: 2 },
      { id: team, parent_id: group, path: 'committee/north/group-2/team-a', depth: 3 },
    ]);
    // The whole tree is consistent: every path is its parent's path and its slug, every depth one more.
    expect(
      await catalog.dataSource.query(
        `SELECT c.path FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id
          WHERE (p.id IS NULL AND (c.depth <> 0 OR c.path <> c.slug))
             OR (p.id IS NOT NULL AND (c.path <> p.path || '/' || c.slug OR c.depth <> p.depth + 1))`,
      ),
    ).toEqual([]);
    expect(await catalog.dataSource.query(`SELECT 1 FROM org_units WHERE path LIKE 'committee/east/group-2%'`)).toEqual([]);
    expect(await membersUnder('committee/north/group-2')).toEqual(moved);
  });

  it('moves the members into the new branch admin’s lists and out of the old one’s', async () => {
    expect((await listedMembers(east)).filter((id) => moved.includes(id))).toEqual([]);
    expect(await listedMembers(north)).toEqual(expect.arrayContaining(moved));
    const one = await catalog.http().get(`/api/members/${moved[0]}`).set(as(east));
    expect(one.status).toBe(404);
    expect((await catalog.http().get(`/api/members/${moved[0]}`).set(as(north))).status).toBe(200);
    const tree = await catalog.http().get('/api/org-units').set(as(north));
    expect(tree.body.map((u: { path: string }) => u.path)).toEqual([
      'committee/north',
      'committee/north/group-2',
      'committee/north/group-2/team-a',
      'committee/north/village-1',
    ]);
    expect(tree.body[0].subtreeMemberCount).toBe((await membersUnder('committee/north')).length);
  });

  it('takes the members out of the open plan covering the old branch and into the one covering the new, live and in the rollup', async () => {
    for (const fresh of [true, false]) {
      const eastPlan = await overview(committee, plans.openEast, fresh);
      expect(eastPlan.source).toBe(fresh ? 'live' : 'rollup');
      expect(membersOfUnit(eastPlan.items, 'committee/north/group-2')).toBe(0);
      expect(membersOfUnit(eastPlan.items, 'committee/east/group-2')).toBe(0);
      expect(membersOfUnit(eastPlan.items, 'committee')).toBe((await membersUnder('committee/east')).length);
      const northPlan = await overview(committee, plans.openNorth, fresh);
      expect(membersOfUnit(northPlan.items, 'committee/north/group-2')).toBe(moved.length);
      expect(membersOfUnit(northPlan.items, 'committee/north/group-2/team-a')).toBe(1);
      expect(membersOfUnit(northPlan.items, 'committee/north')).toBe((await membersUnder('committee/north')).length);
    }
    expect((await planMembers(committee, plans.openEast)).filter((m) => moved.includes(m.userId))).toEqual([]);
    const inNorth = (await planMembers(north, plans.openNorth)).filter((m) => moved.includes(m.userId));
    expect(inNorth).toHaveLength(moved.length);
    expect(inNorth.every((m) => m.unitPath.startsWith('committee/north/group-2') && m.earnedHours === 1)).toBe(true);

    // After the background refresh the rollup agrees with the live figures for both plans.
    await reports.rollup.refresh({ wait: true });
    for (const planId of [plans.openEast, plans.openNorth]) {
      const rolled = await overview(committee, planId);
      expect(rolled.source).toBe('rollup');
      expect(rolled.items).toEqual((await overview(committee, planId, true)).items);
    }
  });

  it('keeps a closed plan’s frozen results under the unit, at its new path', async () => {
    const results = await catalog.dataSource.query(
      `SELECT count(*)::int AS n FROM study_plan_results WHERE plan_id = $1 AND user_id = ANY($2)`,
      [plans.closedEast, moved],
    );
    expect(results[0].n).toBe(moved.length);
    const frozen = await overview(committee, plans.closedEast);
    expect(frozen.source).toBe('frozen');
    expect(membersOfUnit(frozen.items, 'committee/north/group-2')).toBe(moved.length);
    expect(membersOfUnit(frozen.items, 'committee/north/group-2/team-a')).toBe(1);
    const rows = (await planMembers(committee, plans.closedEast)).filter((m) => moved.includes(m.userId));
    expect(rows).toHaveLength(moved.length);
    expect(rows.every((m) => m.unitPath.startsWith('committee/north/group-2') && m.earnedHours === 1)).toBe(true);
    // The east admin's view of the closed plan no longer holds them.
    expect((await planMembers(east, plans.closedEast)).filter((m) => moved.includes(m.userId))).toEqual([]);
  });

  it('moving a unit to the parent it already has changes nothing', async () => {
    const group = await unitId('committee/north/group-2');
    const answer = await move(north, group, await unitId('committee/north'));
    expect(answer.status).toBe(200);
    expect(answer.body.path).toBe('committee/north/group-2');
  });
});

describe('concurrent moves', () => {
  it('never make a cycle: of two units moved under each other at once, one moves and the other is refused', async () => {
    const west = await unitId('committee/west');
    const make = async (slug: string) =>
      (await catalog.http().post('/api/org-units').set(as(committee)).send({ parentId: west, slug, name: slug })).body.id as string;
    const [x, y] = [await make('x'), await make('y')];
    const answers = await Promise.all([move(committee, x, y), move(committee, y, x)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const paths = (await catalog.dataSource.query(`SELECT path FROM org_units WHERE id = ANY($1) ORDER BY depth`, [[x, y]])).map(
      (r: { path: string }) => r.path,
    );
    expect([
      ['committee/west/x', 'committee/west/x/y'],
      ['committee/west/y', 'committee/west/y/x'],
    ]).toContainEqual(paths);
  });
});

describe('moves that are refused', () => {
  it('answers 404 to a branch admin moving a unit out of their subtree or in from outside', async () => {
    const out = await move(east, await unitId('committee/east/group-1'), await unitId('committee/west'));
    expect(out.status).toBe(404);
    expect(out.body.message).toBe('No such unit in your organisation.');
    const into = await move(east, await unitId('committee/west/group-1'), await unitId('committee/east'));
    expect(into.status).toBe(404);
    expect(await unitId('committee/east/group-1')).toBeTruthy();
    expect(await unitId('committee/west/group-1')).toBeTruthy();
    expect((await move(east, '00000000-0000-4000-8000-000000000000', await unitId('committee/east'))).status).toBe(404);
  });

  it('refuses moving one’s own top unit and the root', async () => {
    const own = await move(east, await unitId('committee/east'), await unitId('committee/east/group-1'));
    expect(own.status).toBe(409);
    expect(own.body.message).toBe('You cannot move your own top unit. Ask an administrator of the unit above it.');
    const root = await move(committee, await unitId('committee'), await unitId('committee/west'));
    expect(root.status).toBe(409);
    expect(root.body.message).toBe('The top unit of the organisation cannot be moved.');
  });

  it('refuses moving a unit under itself or its own descendant', async () => {
    const group = await unitId('committee/north/group-2');
    const self = await move(committee, group, group);
    expect(self.status).toBe(400);
    expect(self.body.message).toBe('"东区第二小组" cannot be moved under itself or one of its own sub-units. Choose a unit outside it.');
    const below = await move(committee, await unitId('committee/north'), await unitId('committee/north/group-2/team-a'));
    expect(below.status).toBe(400);
    expect(await unitId('committee/north/group-2/team-a')).toBeTruthy();
  });

  it.each([[{}], [{ parentId: 'nope' }], [{ parentId: 7 }], [{ parentId: 'a\u0000' }]])(
    'refuses the body %j with a plain sentence',
    async (body) => {
      const answer = await catalog
        .http()
        .post(`/api/org-units/${await unitId('committee/west/group-1')}/move`)
        .set(as(committee))
        .send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.join(' ')).toContain('parentId');
    },
  );

  it('refuses a unit id that is not an id, and members', async () => {
    expect(
      (
        await catalog
          .http()
          .post('/api/org-units/nope/move')
          .set(as(committee))
          .send({ parentId: await unitId('committee') })
      ).status,
    ).toBe(400);
    const member = await catalog.tokenFor('member');
    expect((await move(member, await unitId('committee/west/group-1'), await unitId('committee/north'))).status).toBe(403);
  });
});
