import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let committee: string;
let east: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

interface TreeUnit {
  id: string;
  parentId: string | null;
  path: string;
  kind: string;
  memberCount: number;
  subtreeMemberCount: number;
  childCount: number;
  secretary: { id: string; name: string } | null;
}
const tree = async (token: string) => {
  const answer = await catalog.http().get('/api/org-units').set(as(token));
  expect(answer.status).toBe(200);
  return answer.body as TreeUnit[];
};
const byPath = (units: TreeUnit[], path: string) => units.find((u) => u.path === path)!;
/** Active members directly in, and in and under, a unit: counted the plain way. */
const counted = async (path: string) =>
  (
    await catalog.dataSource.query(
      `SELECT count(*) FILTER (WHERE o.path = $1)::int AS direct, count(*)::int AS total
         FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND u.active AND (o.path = $1 OR o.path LIKE $1 || '/%')`,
      [path],
    )
  )[0] as { direct: number; total: number };
const appoint = (login: string, path: string, startedOn: string, endedOn: string | null = null) =>
  catalog.dataSource.query(
    `INSERT INTO member_positions (user_id, org_unit_id, position_code, started_on, ended_on)
     SELECT u.id, o.id, 'secretary', $3, $4 FROM users u, org_units o WHERE u.login = $1 AND o.path = $2`,
    [login, path, startedOn, endedOn],
  );

beforeAll(async () => {
  catalog = await startCatalog();
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
}, 60_000);
afterAll(() => catalog.close());

describe('the unit tree', () => {
  it('gives each unit its kind, direct and subtree member counts and number of sub-units', async () => {
    // An inactive member counts nowhere.
    await catalog.dataSource.query(`UPDATE users SET active = false WHERE login = 'member02'`);
    const units = await tree(committee);
    expect(units.map((u) => u.path)).toEqual([
      'committee',
      'committee/east',
      'committee/east/group-1',
      'committee/east/group-2',
      'committee/north',
      'committee/north/village-1',
      'committee/west',
      'committee/west/group-1',
      'committee/west/group-2',
    ]);
    for (const unit of units) {
      const { direct, total } = await counted(unit.path);
      expect({ path: unit.path, memberCount: unit.memberCount, subtreeMemberCount: unit.subtreeMemberCount }).toEqual({
        path: unit.path,
        memberCount: direct,
        subtreeMemberCount: total,
      });
    }
    expect(byPath(units, 'committee')).toMatchObject({
      kind: 'committee',
      parentId: null,
      childCount: 3,
      memberCount: 0,
      subtreeMemberCount: 29,
    });
    expect(byPath(units, 'committee/east')).toMatchObject({ kind: 'branch', childCount: 2 });
    expect(byPath(units, 'committee/east/group-1')).toMatchObject({ kind: 'group', childCount: 0 });
    expect(byPath(units, 'committee/east').subtreeMemberCount).toBe(
      byPath(units, 'committee/east/group-1').memberCount + byPath(units, 'committee/east/group-2').memberCount,
    );
    await catalog.dataSource.query(`UPDATE users SET active = true WHERE login = 'member02'`);
    expect(byPath(await tree(committee), 'committee').subtreeMemberCount).toBe(30);
  });

  it('names the current secretary: the earliest appointed of several, never one whose term ended', async () => {
    const seeded = {
      id: await userId('member05'),
      name: (await catalog.dataSource.query(`SELECT name FROM users WHERE login = 'member05'`))[0].name,
    };
    expect(byPath(await tree(committee), 'committee/east').secretary).toEqual(seeded);
    expect(byPath(await tree(committee), 'committee/east/group-1').secretary).toBeNull();
    await appoint('member03', 'committee/east', daysFromToday(-400), daysFromToday(-30));
    expect(byPath(await tree(committee), 'committee/east').secretary).toEqual(seeded);
    await appoint('member', 'committee/east', daysFromToday(-20));
    const units = await tree(east);
    expect(byPath(units, 'committee/east').secretary).toEqual({ id: await userId('member'), name: '王秀英' });
    expect(byPath(units, 'committee/east/group-1').secretary).toBeNull();
  });

  it('shows a branch admin their subtree only', async () => {
    expect((await tree(east)).map((u) => u.path)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
  });

  it('is for administrators only', async () => {
    expect(
      (
        await catalog
          .http()
          .get('/api/org-units')
          .set(as(await catalog.tokenFor('member')))
      ).status,
    ).toBe(403);
    expect(
      (
        await catalog
          .http()
          .get('/api/org-units/search?q=dq')
          .set(as(await catalog.tokenFor('editor')))
      ).status,
    ).toBe(403);
    expect((await catalog.http().get('/api/org-units')).status).toBe(401);
  });
});

describe('searching units', () => {
  const search = async (token: string, q: string) => {
    const answer = await catalog.http().get('/api/org-units/search').query({ q }).set(as(token));
    expect(answer.status).toBe(200);
    return answer.body as Array<{ path: string; names: string[] }>;
  };

  it('finds units by pinyin initials, name, short name and path, with the names along the path', async () => {
    const dq = await search(committee, 'dq');
    expect(dq.map((u) => u.path)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    expect(dq[1].names).toEqual(['示范委员会', '东区分会', '东区第一小组']);
    expect((await search(committee, 'dqdyxz')).map((u) => u.path)).toEqual(['committee/east/group-1']);
    expect((await search(committee, '农村')).map((u) => u.path)).toEqual(['committee/north/village-1']);
    expect((await search(committee, 'village')).map((u) => u.path)).toEqual(['committee/north/village-1']);
    expect((await search(committee, 'west/group')).map((u) => u.path)).toEqual(['committee/west/group-1', 'committee/west/group-2']);
    expect(await search(committee, '南区')).toEqual([]);
  });

  it('searches only the caller’s subtree and names paths from their own unit', async () => {
    expect(await search(east, 'xq')).toEqual([]);
    expect(await search(east, '西区')).toEqual([]);
    const hits = await search(east, 'dqdyxz');
    expect(hits.map((u) => u.names)).toEqual([['东区分会', '东区第一小组']]);
  });

  it('lets an inspector read and search their subtree, and change nothing', async () => {
    await catalog.dataSource.query(
      `INSERT INTO users (login, name, role, org_unit_id, password_hash)
       SELECT 'east-inspector', '东区督查', 'inspector', o.id, a.password_hash FROM org_units o, users a WHERE o.path = 'committee/east' AND a.login = 'admin'`,
    );
    const inspector = await catalog.tokenFor('east-inspector');
    expect((await tree(inspector)).map((u) => u.path)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    expect((await search(inspector, 'dqdyxz')).map((u) => u.path)).toEqual(['committee/east/group-1']);
    expect(await search(inspector, 'xq')).toEqual([]);
    const moved = await catalog
      .http()
      .post(`/api/org-units/${await unitId('committee/east/group-2')}/move`)
      .set(as(inspector))
      .send({ parentId: await unitId('committee/east/group-1') });
    expect(moved.status).toBe(403);
  });

  it('gives at most 50 results', async () => {
    const parent = await unitId('committee/north');
    await catalog.dataSource.query(
      `INSERT INTO org_units (parent_id, slug, name, kind, path, depth)
       SELECT $1, 'many-' || n, '测试小组' || n, 'group', 'committee/north/many-' || n, 2 FROM generate_series(1, 60) AS n`,
      [parent],
    );
    expect(await search(committee, 'cs')).toHaveLength(50);
    await catalog.dataSource.query(`DELETE FROM org_units WHERE path LIKE 'committee/north/many-%'`);
  });

  it.each([
    ['', 'q'],
    ['   ', 'q'],
    ['x'.repeat(101), 'q'],
  ])('refuses the query %j with a plain sentence', async (q, field) => {
    const answer = await catalog.http().get('/api/org-units/search').query({ q }).set(as(committee));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.join(' ')).toContain(field);
  });

  it('refuses a missing query and survives a NUL byte', async () => {
    expect((await catalog.http().get('/api/org-units/search').set(as(committee))).status).toBe(400);
    const nul = await catalog.http().get('/api/org-units/search?q=%00dq').set(as(committee));
    expect(nul.status).toBe(200);
  });
});

describe('creating, renaming and deleting units', () => {
  it('creates a unit, refusing a short name its parent already has with a plain sentence', async () => {
    const parent = await unitId('committee/east');
    const created = await catalog
      .http()
      .post('/api/org-units')
      .set(as(east))
      .send({ parentId: parent, slug: 'team-z', name: '东区 Z 组', kind: 'unit' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path: 'committee/east/team-z', depth: 2, kind: 'unit', name: '东区 Z 组' });
    const again = await catalog.http().post('/api/org-units').set(as(east)).send({ parentId: parent, slug: 'team-z', name: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('"东区分会" already has a unit with the short name "team-z". Choose another short name.');
  });

  it('renames a unit and refuses a short name a sibling has', async () => {
    const id = await unitId('committee/east/team-z');
    const renamed = await catalog.http().patch(`/api/org-units/${id}`).set(as(east)).send({ name: '东区 Y 组' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '东区 Y 组', path: 'committee/east/team-z' });
    const clash = await catalog.http().patch(`/api/org-units/${id}`).set(as(east)).send({ slug: 'group-1' });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('already uses the short name "group-1"');
    expect((await catalog.dataSource.query(`SELECT path FROM org_units WHERE id = $1`, [id]))[0].path).toBe('committee/east/team-z');
    const own = await catalog
      .http()
      .patch(`/api/org-units/${await unitId('committee/east')}`)
      .set(as(east))
      .send({ slug: 'oriental' });
    expect(own.status).toBe(409);
    expect(own.body.message).toBe('You cannot change the short name of your own top unit.');
  });

  it('refuses to delete a unit with members, sub-units and plans, naming each', async () => {
    const plan = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(committee))
      .send({
        name: '东区专题',
        periodStart: daysFromToday(-1),
        periodEnd: daysFromToday(30),
        requiredHours: 1,
        unitIds: [await unitId('committee/east')],
      });
    expect(plan.status).toBe(201);
    const answer = await catalog
      .http()
      .delete(`/api/org-units/${await unitId('committee/east')}`)
      .set(as(committee));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/^"东区分会" cannot be deleted: it still has /);
    expect(answer.body.message).toContain('3 sub-units (move or delete them first)');
    expect(answer.body.message).toContain('2 administrator, editor or inspector accounts');
    expect(answer.body.message).toContain('1 study plans that it owns or that cover it ("东区专题")');
    expect(answer.body.message).toContain('positions held in it');
    expect(answer.body.blockers).toEqual(
      expect.arrayContaining([
        { code: 'subUnits', count: 3 },
        { code: 'staff', count: 2 },
        { code: 'plans', count: 1, names: ['东区专题'] },
      ]),
    );

    const group = await catalog
      .http()
      .delete(`/api/org-units/${await unitId('committee/east/group-1')}`)
      .set(as(east));
    expect(group.status).toBe(409);
    const { direct } = await counted('committee/east/group-1');
    expect(group.body.message).toContain(`${direct} members (move them to another unit first)`);
    expect(group.body.blockers).toContainEqual({ code: 'members', count: direct });
    expect(await catalog.dataSource.query(`SELECT 1 FROM org_units WHERE path = 'committee/east/group-1'`)).toHaveLength(1);
  });

  it('refuses to delete the caller’s own top unit and units outside their subtree', async () => {
    const own = await catalog
      .http()
      .delete(`/api/org-units/${await unitId('committee/east')}`)
      .set(as(east));
    expect(own.status).toBe(409);
    expect(own.body.message).toBe('You cannot delete your own top unit.');
    const foreign = await catalog
      .http()
      .delete(`/api/org-units/${await unitId('committee/west/group-2')}`)
      .set(as(east));
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe('No such unit in your organisation.');
    const unknown = await catalog.http().delete('/api/org-units/00000000-0000-4000-8000-000000000000').set(as(east));
    expect(unknown.status).toBe(404);
  });

  it('deletes an empty unit', async () => {
    const id = await unitId('committee/east/team-z');
    expect((await catalog.http().delete(`/api/org-units/${id}`).set(as(east))).status).toBe(204);
    expect(await catalog.dataSource.query(`SELECT 1 FROM org_units WHERE id = $1`, [id])).toEqual([]);
    expect((await catalog.http().delete(`/api/org-units/${id}`).set(as(east))).status).toBe(404);
  });

  it('keeps a unit that members once belonged to, and says why', async () => {
    const parent = await unitId('committee/east');
    const created = await catalog.http().post('/api/org-units').set(as(east)).send({ parentId: parent, slug: 'passing', name: '临时组' });
    expect(created.status).toBe(201);
    await catalog.dataSource.query(
      `INSERT INTO member_unit_periods (user_id, org_unit_id, from_day, to_day) VALUES ($1, $2, '2020-01-01', '2020-02-01')`,
      [await userId('member07'), created.body.id],
    );
    const answer = await catalog.http().delete(`/api/org-units/${created.body.id}`).set(as(committee));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(
      '"临时组" cannot be deleted: it still has the history of 1 people who belonged to it, which is kept. A unit that has records can be renamed or moved instead.',
    );
  });

  it.each([
    [{ parentId: 'not-a-uuid', slug: 'x', name: 'X' }, 'parentId'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'Bad Slug!', name: 'X' }, 'slug'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'ok', name: '' }, 'name'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'ok', name: 'x'.repeat(201) }, 'name'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'ok', name: 'X', kind: 'club' }, 'kind'],
  ])('refuses the new unit %j with a plain sentence', async (body, field) => {
    const answer = await catalog.http().post('/api/org-units').set(as(east)).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.join(' ')).toContain(field);
  });

  it('answers 4xx, never 500, for a NUL byte in a name and an empty rename', async () => {
    const parent = await unitId('committee/east');
    const nul = await catalog.http().post('/api/org-units').set(as(east)).send({ parentId: parent, slug: 'nul', name: 'a\u0000b' });
    expect(nul.status).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    const empty = await catalog
      .http()
      .patch(`/api/org-units/${await unitId('committee/east/group-2')}`)
      .set(as(east))
      .send({});
    expect(empty.status).toBe(400);
    expect(empty.body.errors.join(' ')).toContain('give a new name or short name');
  });
});
