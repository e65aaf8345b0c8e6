import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let east: string;
let committee: string;
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;

beforeAll(async () => {
  catalog = await startCatalog();
  east = await catalog.tokenFor('east-admin');
  committee = await catalog.tokenFor('admin');
}, 60_000);
afterAll(() => catalog.close());

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('a branch admin sees their own branch only', () => {
  it('lists only members of their branch', async () => {
    const answer = await catalog.http().get('/api/members?limit=200').set(as(east));
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBeGreaterThan(0);
    expect(answer.body.items.length).toBe(answer.body.total);
    for (const person of answer.body.items) expect(person.orgUnit.path).toMatch(/^committee\/east(\/|$)/);
  });

  it('sees the whole tree when committee admin, and more people than the branch', async () => {
    const all = await catalog.http().get('/api/members?limit=200').set(as(committee));
    const branch = await catalog.http().get('/api/members?limit=200').set(as(east));
    expect(all.body.total).toBeGreaterThan(branch.body.total);
    expect(new Set(all.body.items.map((p: { orgUnit: { path: string } }) => p.orgUnit.path.split('/')[1]))).toEqual(
      new Set([undefined, 'east', 'west', 'north']),
    );
  });

  it('gets 404 for one member of another branch, and for filtering by a foreign unit', async () => {
    const westMember = (
      await catalog.dataSource.query(
        `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE 'committee/west/%' LIMIT 1`,
      )
    )[0].id;
    const one = await catalog.http().get(`/api/members/${westMember}`).set(as(east));
    expect(one.status).toBe(404);
    expect(one.body).not.toHaveProperty('login');
    const filtered = await catalog
      .http()
      .get(`/api/members?unitId=${await unitId('committee/west')}`)
      .set(as(east));
    expect(filtered.status).toBe(404);
  });

  it('cannot change, move into, or create people in another branch', async () => {
    const westMember = (
      await catalog.dataSource.query(
        `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE 'committee/west/%' LIMIT 1`,
      )
    )[0].id;
    expect((await catalog.http().patch(`/api/members/${westMember}`).set(as(east)).send({ name: 'Taken' })).status).toBe(404);
    const own = await userId('member');
    const moved = await catalog
      .http()
      .patch(`/api/members/${own}`)
      .set(as(east))
      .send({ orgUnitId: await unitId('committee/west/group-1') });
    // Moves are transfers now; an edit never changes the unit.
    expect(moved.status).toBe(400);
    const created = await catalog
      .http()
      .post('/api/members')
      .set(as(east))
      .send({ login: 'intruder', name: 'X', orgUnitId: await unitId('committee/west/group-1') });
    expect(created.status).toBe(404);
    expect(await catalog.dataSource.query(`SELECT 1 FROM users WHERE login = 'intruder'`)).toEqual([]);
  });

  it('sees only its subtree of units and cannot add a unit under another branch', async () => {
    const units = await catalog.http().get('/api/org-units').set(as(east));
    expect(units.status).toBe(200);
    expect(units.body.map((u: { path: string }) => u.path)).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    const created = await catalog
      .http()
      .post('/api/org-units')
      .set(as(east))
      .send({ parentId: await unitId('committee/west'), slug: 'sneaky', name: 'Sneaky' });
    expect(created.status).toBe(404);
  });
});

describe('organisation units', () => {
  it('creates, renames (rewriting the subtree paths) and deletes a unit', async () => {
    const parent = await unitId('committee/east');
    const created = await catalog
      .http()
      .post('/api/org-units')
      .set(as(east))
      .send({ parentId: parent, slug: 'Group-3', name: '东区第三小组' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path: 'committee/east/group-3', depth: 2, kind: 'group' });
    const child = await catalog.http().post('/api/org-units').set(as(east)).send({ parentId: created.body.id, slug: 'team-a', name: 'A' });
    expect(child.body.path).toBe('committee/east/group-3/team-a');

    const duplicate = await catalog.http().post('/api/org-units').set(as(east)).send({ parentId: parent, slug: 'group-3', name: 'Again' });
    expect(duplicate.status).toBe(409);

    const renamed = await catalog.http().patch(`/api/org-units/${created.body.id}`).set(as(east)).send({ slug: 'group-9' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.path).toBe('committee/east/group-9');
    expect((await catalog.dataSource.query(`SELECT path FROM org_units WHERE id = $1`, [child.body.id]))[0].path).toBe(
      'committee/east/group-9/team-a',
    );

    const notEmpty = await catalog.http().delete(`/api/org-units/${created.body.id}`).set(as(east));
    expect(notEmpty.status).toBe(409);
    expect(notEmpty.body.message).toContain('1 sub-units');
    expect((await catalog.http().delete(`/api/org-units/${child.body.id}`).set(as(east))).status).toBe(204);
    expect((await catalog.http().delete(`/api/org-units/${created.body.id}`).set(as(east))).status).toBe(204);
  });

  it.each([
    [{ parentId: 'not-a-uuid', slug: 'x', name: 'X' }, 'parentId'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'Bad Slug!', name: 'X' }, 'slug'],
    [{ parentId: '00000000-0000-4000-8000-000000000000', slug: 'ok', name: '' }, 'name'],
  ])('rejects bad input %j', async (body, field) => {
    const answer = await catalog.http().post('/api/org-units').set(as(east)).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.join(' ')).toContain(field);
  });
});
