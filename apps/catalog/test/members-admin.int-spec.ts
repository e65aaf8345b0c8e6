import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { ONE_TIME_PASSWORD_ALPHABET } from '../src/members/one-time-password.js';

/** Administering the people of a subtree: the list, edits, deactivation and password resets. */
let catalog: CatalogHarness;
let committee: string;
let east: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;
const login = (name: string, password: string) => catalog.http().post('/api/auth/login').send({ login: name, password });

interface Item {
  id: string;
  login: string;
  name: string;
  role: string;
  category: string | null;
  active: boolean;
  createdAt: string;
  orgUnit: { id: string; path: string; name: string };
  unitNames: string[];
  positions: string[];
}
const list = async (token: string, query = '') => {
  const answer = await catalog.http().get(`/api/members?limit=200${query}`).set(as(token));
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
  return answer.body as { items: Item[]; total: number };
};
const logins = (page: { items: Item[] }) => page.items.map((i) => i.login);

beforeAll(async () => {
  catalog = await startCatalog();
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
}, 120_000);
afterAll(() => catalog.close());

describe('the member list', () => {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  it.each([
    ['name', (a: Item, b: Item) => cmp(a.name, b.name) || cmp(a.login, b.login) || cmp(a.id, b.id)],
    ['login', (a: Item, b: Item) => cmp(a.login, b.login)],
    ['unit', (a: Item, b: Item) => cmp(a.orgUnit.path, b.orgUnit.path) || cmp(a.name, b.name) || cmp(a.id, b.id)],
    ['category', (a: Item, b: Item) => cmp(a.category ?? '\uffff', b.category ?? '\uffff') || cmp(a.name, b.name) || cmp(a.id, b.id)],
    ['createdAt', (a: Item, b: Item) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id)],
  ])('sorts by %s both ways, ties broken by id', async (sort, compare) => {
    const up = await list(committee, `&sort=${sort}&order=asc`);
    expect(up.items.length).toBe(up.total);
    expect(logins(up)).toEqual(logins({ items: [...up.items].sort(compare) }));
    const down = await list(committee, `&sort=${sort}&order=desc`);
    expect(logins(down)).toEqual(logins({ items: [...up.items].sort((a, b) => compare(b, a)) }));
  });

  it('pages without overlap or gaps, with the total on every page', async () => {
    const all = await list(committee, '&sort=category');
    const seen: string[] = [];
    for (let offset = 0; offset < all.total; offset += 7) {
      const page = await catalog.http().get(`/api/members?sort=category&limit=7&offset=${offset}`).set(as(committee));
      expect(page.body.total).toBe(all.total);
      seen.push(...logins(page.body));
    }
    expect(seen).toEqual(logins(all));
    const past = await catalog
      .http()
      .get(`/api/members?limit=7&offset=${all.total + 10}`)
      .set(as(committee));
    expect(past.body).toEqual({ items: [], total: all.total });
  });

  it('gives each member the names of their unit path and the positions they hold now', async () => {
    const { items } = await list(east, '&q=member05');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      login: 'member05',
      unitNames: ['示范委员会', '东区分会', expect.any(String)],
      positions: ['secretary'],
    });
    const leader = (await list(east, '&q=member')).items.find((i) => i.login === 'member')!;
    expect(leader.unitNames).toEqual(['示范委员会', '东区分会', '东区第一小组']);
    expect(leader.positions).toEqual(['group-leader']);
    const plain = (await list(east)).items.find((i) => i.login === 'member16');
    expect(plain?.positions).toEqual([]);
  });

  it('filters by unit subtree, category, role, status and search', async () => {
    const group = await list(committee, `&unitId=${await unitId('committee/east/group-1')}`);
    expect(group.total).toBeGreaterThan(0);
    for (const i of group.items) expect(i.orgUnit.path).toBe('committee/east/group-1');
    const branch = await list(committee, `&unitId=${await unitId('committee/east')}`);
    expect(new Set(branch.items.map((i) => i.orgUnit.path))).toEqual(
      new Set(['committee/east', 'committee/east/group-1', 'committee/east/group-2']),
    );
    expect(branch.total).toBe((await list(east)).total);

    const retired = await list(east, '&category=retired');
    expect(retired.total).toBeGreaterThan(0);
    for (const i of retired.items) expect(i.category).toBe('retired');

    expect(logins(await list(east, '&role=admin'))).toEqual(['east-admin']);
    expect((await list(east, '&role=member')).items.every((i) => i.role === 'member')).toBe(true);

    expect(logins(await list(east, '&q=MEMBER1'))).toEqual(expect.arrayContaining(['member10', 'member11']));
    expect((await list(east, '&q=%25')).total).toBe(0);
    expect(logins(await list(east, `&q=${encodeURIComponent('东区管理')}`))).toEqual(['east-admin']);
  });

  it('filters by a position held now, not one that ended', async () => {
    expect(logins(await list(committee, '&position=secretary&sort=login'))).toEqual(['member05', 'member07', 'member09']);
    expect(logins(await list(east, '&position=secretary'))).toEqual(['member05']);
    await catalog.dataSource.query(
      `UPDATE member_positions SET ended_on = current_date WHERE position_code = 'committee-member' AND user_id = $1`,
      [await userId('member11')],
    );
    expect((await list(east, '&position=committee-member')).total).toBe(0);
  });

  it('filters by a class the member is enrolled in now, and by active or not', async () => {
    const [{ id: classId }] = await catalog.dataSource.query(`SELECT id FROM training_classes ORDER BY created_at LIMIT 1`);
    await catalog.dataSource.query(`UPDATE training_class_members SET withdrawn_at = now() WHERE class_id = $1 AND user_id = $2`, [
      classId,
      await userId('member16'),
    ]);
    expect(logins(await list(committee, `&classId=${classId}&sort=login`))).toEqual([
      'member11',
      'member12',
      'member13',
      'member14',
      'member15',
    ]);
    // Another branch's class enrolments are still only the caller's own people.
    for (const i of (await list(east, `&classId=${classId}`)).items) expect(i.orgUnit.path).toMatch(/^committee\/east/);

    const leaving = await userId('member20');
    expect((await catalog.http().patch(`/api/members/${leaving}`).set(as(committee)).send({ active: false })).status).toBe(200);
    const inactive = await list(committee, '&active=false');
    expect(logins(inactive)).toEqual(['member20']);
    expect(logins(await list(committee, '&active=true'))).not.toContain('member20');
    expect((await catalog.http().patch(`/api/members/${leaving}`).set(as(committee)).send({ active: true })).status).toBe(200);
    expect((await list(committee, '&active=false')).total).toBe(0);
  });

  it.each([
    ['an unknown sort', '?sort=age', 'sort'],
    ['an unknown order', '?order=up', 'order'],
    ['a zero limit', '?limit=0', 'limit'],
    ['a huge limit', '?limit=99999999999', 'limit'],
    ['a negative offset', '?offset=-1', 'offset'],
    ['an offset beyond int4', '?offset=4294967296', 'offset'],
    ['a NUL in the search', '?q=a%00b', 'q'],
    ['a very long search', `?q=${'x'.repeat(101)}`, 'q'],
    ['a unit that is no id', '?unitId=east', 'unitId'],
    ['a class that is no id', '?classId=1', 'classId'],
    ['a bad status', '?active=maybe', 'active'],
    ['an unknown role', '?role=owner', 'role'],
  ])('answers 400 for %s', async (_case, query, field) => {
    const answer = await catalog.http().get(`/api/members${query}`).set(as(east));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.message)).toContain(field);
  });
});

describe('scope', () => {
  it('never shows or lets a branch admin touch another branch’s member: 404', async () => {
    const west = await userId('member07');
    expect(logins(await list(east))).not.toContain('member07');
    expect((await list(east, '&q=member07')).total).toBe(0);
    for (const call of [
      catalog.http().get(`/api/members/${west}`),
      catalog.http().patch(`/api/members/${west}`).send({ name: 'Taken' }),
      catalog.http().patch(`/api/members/${west}`).send({ active: false }),
      catalog.http().post(`/api/members/${west}/reset-password`),
    ]) {
      const answer = await call.set(as(east));
      expect(answer.status).toBe(404);
      expect(answer.body).not.toHaveProperty('login');
    }
    expect(
      (
        await catalog
          .http()
          .get(`/api/members?unitId=${await unitId('committee/west')}`)
          .set(as(east))
      ).status,
    ).toBe(404);
    const [row] = await catalog.dataSource.query(`SELECT name, active, must_change_password FROM users WHERE id = $1`, [west]);
    expect(row).toMatchObject({ active: true, must_change_password: false });
    expect(row.name).not.toBe('Taken');
  });

  it('lets a branch admin create a member in their branch only, and no editor', async () => {
    const made = await catalog
      .http()
      .post('/api/members')
      .set(as(east))
      .send({ login: 'east-new', name: '新成员', orgUnitId: await unitId('committee/east/group-2'), category: 'rural' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ login: 'east-new', role: 'member', active: true, orgUnit: { path: 'committee/east/group-2' } });
    const editor = await catalog
      .http()
      .post('/api/members')
      .set(as(east))
      .send({ login: 'east-editor', name: 'E', role: 'editor', orgUnitId: await unitId('committee/east') });
    expect(editor.status).toBe(403);
    const foreign = await catalog
      .http()
      .post('/api/members')
      .set(as(east))
      .send({ login: 'east-west', name: 'W', orgUnitId: await unitId('committee/west') });
    expect(foreign.status).toBe(404);
    const taken = await catalog
      .http()
      .post('/api/members')
      .set(as(east))
      .send({ login: 'east-new', name: 'Again', orgUnitId: await unitId('committee/east') });
    expect(taken.status).toBe(409);
  });

  it('refuses a branch admin resetting an editor’s password in their branch: 403', async () => {
    const made = await catalog
      .http()
      .post('/api/members')
      .set(as(committee))
      .send({ login: 'east-editor2', name: '东区编辑', role: 'editor', orgUnitId: await unitId('committee/east') });
    expect(made.status).toBe(201);
    const answer = await catalog.http().post(`/api/members/${made.body.id}/reset-password`).set(as(east));
    expect(answer.status).toBe(403);
    expect(answer.body.message).toContain('committee administrator');
  });
});

describe('editing', () => {
  it('refuses changing the unit by an edit and points to a transfer', async () => {
    const id = await userId('member10');
    const before = (await catalog.dataSource.query(`SELECT org_unit_id FROM users WHERE id = $1`, [id]))[0].org_unit_id;
    const answer = await catalog
      .http()
      .patch(`/api/members/${id}`)
      .set(as(committee))
      .send({ name: '改名', orgUnitId: await unitId('committee/north/village-1') });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.message)).toContain('transfer');
    const after = (await catalog.dataSource.query(`SELECT name, org_unit_id FROM users WHERE id = $1`, [id]))[0];
    expect(after.org_unit_id).toBe(before);
    expect(after.name).not.toBe('改名');
  });

  it.each([
    ['no field', {}],
    ['an empty name', { name: '  ' }],
    ['a long name', { name: 'x'.repeat(101) }],
    ['an unknown role', { role: 'owner' }],
    ['a short password', { password: 'short' }],
    ['a bad category', { category: 'Not A Code!' }],
    ['an unknown category', { category: 'astronaut' }],
    ['a non-boolean active', { active: 'no' }],
  ])('answers 400 for %s', async (_case, body) => {
    const answer = await catalog
      .http()
      .patch(`/api/members/${await userId('member10')}`)
      .set(as(east))
      .send(body);
    expect(answer.status).toBe(400);
  });

  it('answers 400 for an id that is no id and 404 for an unknown one', async () => {
    expect((await catalog.http().get('/api/members/123').set(as(east))).status).toBe(400);
    expect((await catalog.http().post('/api/members/123/reset-password').set(as(east))).status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await catalog.http().get(`/api/members/${unknown}`).set(as(east))).status).toBe(404);
    expect((await catalog.http().post(`/api/members/${unknown}/reset-password`).set(as(east))).status).toBe(404);
  });

  it('edits name and category', async () => {
    const id = await userId('member10');
    const answer = await catalog.http().patch(`/api/members/${id}`).set(as(east)).send({ name: '王新名', category: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: '王新名', category: null });
  });
});

describe('deactivating and reactivating', () => {
  it('keeps every study record, ends the live session, and reactivation lets the member back in with them', async () => {
    const editor = await catalog.tokenFor('editor');
    const categories = await catalog.http().get('/api/course-categories').set(as(editor));
    const courseId = (
      await catalog.http().post('/api/courses').set(as(editor)).send({ title: '停用测试', categoryId: categories.body[0].id })
    ).body.id;
    const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
    const lecture = await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: '第一讲', assetId });
    expect(lecture.status).toBe(201);
    expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBe(200);

    const id = await userId('member21');
    const token = (await login('member21', 'lectern-demo')).body.accessToken as string;
    const session = await catalog.http().post(`/api/lectures/${lecture.body.id}/playback`).set(as(token));
    expect(session.status).toBe(201);
    await catalog.dataSource.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, current_date, 420)`, [
      id,
      lecture.body.id,
    ]);
    await catalog.dataSource.query(
      `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec)
       VALUES ($1, $2, '[[0,420]]', 420, 420, 600, 420)`,
      [id, lecture.body.id],
    );
    const studyRows = async () => ({
      daily: await catalog.dataSource.query(`SELECT lecture_id, day, credited_sec FROM study_daily WHERE user_id = $1`, [id]),
      progress: await catalog.dataSource.query(`SELECT lecture_id, credited_sec FROM lecture_progress WHERE user_id = $1`, [id]),
      sessions: Number((await catalog.dataSource.query(`SELECT count(*) AS n FROM playback_sessions WHERE user_id = $1`, [id]))[0].n),
    });
    const before = await studyRows();
    expect(before.daily).toHaveLength(1);

    const off = await catalog.http().patch(`/api/members/${id}`).set(as(east)).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await studyRows()).toEqual(before);
    const [live] = await catalog.dataSource.query(`SELECT superseded_at, end_reason FROM playback_sessions WHERE user_id = $1`, [id]);
    expect(live).toMatchObject({ superseded_at: expect.any(Date), end_reason: 'deactivated' });
    expect((await catalog.http().get('/api/me').set(as(token))).status).toBe(401);
    expect((await login('member21', 'lectern-demo')).status).toBe(401);
    expect((await catalog.http().get(`/api/reports/members/${id}`).set(as(east))).status).toBe(200);

    const on = await catalog.http().patch(`/api/members/${id}`).set(as(east)).send({ active: true });
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    expect(await studyRows()).toEqual(before);
    const again = await login('member21', 'lectern-demo');
    expect(again.status).toBe(200);
    const mine = await catalog.http().get('/api/me/study').set(as(again.body.accessToken));
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(lecture.body.id);
  });

  it('refuses deactivating yourself', async () => {
    const answer = await catalog
      .http()
      .patch(`/api/members/${await userId('east-admin')}`)
      .set(as(east))
      .send({ active: false });
    expect(answer.status).toBe(409);
  });
});

describe('password reset', () => {
  it('gives a one-time password that allows nothing but choosing a new one', async () => {
    const id = await userId('member25');
    const old = (await login('member25', 'lectern-demo')).body.accessToken as string;
    const reset = await catalog.http().post(`/api/members/${id}/reset-password`).set(as(east));
    expect(reset.status).toBe(200);
    const oneTime = reset.body.oneTimePassword as string;
    expect(oneTime).toMatch(new RegExp(`^[${ONE_TIME_PASSWORD_ALPHABET}]{10}$`));
    expect((await catalog.http().get(`/api/members/${id}`).set(as(east))).body.mustChangePassword).toBe(true);

    // The old password no longer works, and a token from before is held to the change too.
    expect((await login('member25', 'lectern-demo')).status).toBe(401);
    expect((await catalog.http().get('/api/courses').set(as(old))).status).toBe(403);

    const signedIn = await login('member25', oneTime);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.mustChangePassword).toBe(true);
    const token = signedIn.body.accessToken as string;
    for (const call of [
      catalog.http().get('/api/courses'),
      catalog.http().get('/api/me/study'),
      catalog.http().get('/api/member-categories'),
    ]) {
      const refused = await call.set(as(token));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'password_change_required', message: expect.stringContaining('new password') });
    }
    const me = await catalog.http().get('/api/me').set(as(token));
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(true);

    const change = (body: object) => catalog.http().post('/api/account/password').set(as(token)).send(body);
    expect((await change({ currentPassword: 'wrong-password', newPassword: 'brand-new-secret' })).status).toBe(400);
    const same = await change({ currentPassword: oneTime, newPassword: oneTime });
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body.message)).toContain('differ');
    expect((await change({ currentPassword: oneTime, newPassword: 'short' })).status).toBe(400);
    expect((await change({ currentPassword: oneTime })).status).toBe(400);
    expect((await change({ currentPassword: oneTime, newPassword: 'x'.repeat(201) })).status).toBe(400);
    expect((await catalog.http().get('/api/courses').set(as(token))).status).toBe(403);

    const done = await change({ currentPassword: oneTime, newPassword: 'my-own-secret-1' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ login: 'member25', mustChangePassword: false });
    expect((await catalog.http().get('/api/courses').set(as(token))).status).toBe(200);
    expect((await catalog.http().get('/api/courses').set(as(old))).status).toBe(200);

    expect((await login('member25', oneTime)).status).toBe(401);
    const fresh = await login('member25', 'my-own-secret-1');
    expect(fresh.status).toBe(200);
    expect(fresh.body.mustChangePassword).toBe(false);
  });

  it('lets anyone signed in change their own password, but not to the same one', async () => {
    const token = (await login('member26', 'lectern-demo')).body.accessToken as string;
    const change = (body: object) => catalog.http().post('/api/account/password').set(as(token)).send(body);
    expect((await change({ currentPassword: 'lectern-demo', newPassword: 'lectern-demo' })).status).toBe(400);
    expect((await change({ currentPassword: 'lectern-demo', newPassword: 'another-secret' })).status).toBe(200);
    expect((await login('member26', 'another-secret')).status).toBe(200);
    expect((await catalog.http().post('/api/account/password').send({ currentPassword: 'a', newPassword: 'bbbbbbbbbb' })).status).toBe(401);
  });

  it('refuses resetting your own password', async () => {
    const answer = await catalog
      .http()
      .post(`/api/members/${await userId('east-admin')}/reset-password`)
      .set(as(east));
    expect(answer.status).toBe(409);
  });
});
