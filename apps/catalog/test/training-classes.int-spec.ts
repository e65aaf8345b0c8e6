import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let east: string;
let committee: string;
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const membersOf = async (pattern: string) =>
  (await catalog.dataSource.query(
    `SELECT u.id, u.login, u.category FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path LIKE $1 AND u.role = 'member' ORDER BY u.login`,
    [pattern],
  )) as Array<{ id: string; login: string; category: string | null }>;

const createClass = async (token: string, body: object = {}) => {
  const answer = await catalog
    .http()
    .post('/api/training-classes')
    .set(as(token))
    .send({ name: '春季培训班', description: '学习', startsOn: '2025-03-01', endsOn: '2025-06-30', ...body });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; ownerUnit: { path: string }; enrolledCount: number };
};
const importRoster = (classId: string, body: string | Buffer) =>
  catalog.http().post(`/api/training-classes/${classId}/members/import`).set(as(east)).set('Content-Type', 'text/csv').send(body);

beforeAll(async () => {
  catalog = await startCatalog();
  east = await catalog.tokenFor('east-admin');
  committee = await catalog.tokenFor('admin');
}, 60_000);
afterAll(() => catalog.close());

describe('training classes', () => {
  it('creates, reads, edits, lists with counts and archives a class, never deleting it', async () => {
    const made = await createClass(east);
    expect(made).toMatchObject({
      name: '春季培训班',
      ownerUnit: { path: 'committee/east' },
      startsOn: '2025-03-01',
      endsOn: '2025-06-30',
      enrolledCount: 0,
    });

    const edited = await catalog
      .http()
      .patch(`/api/training-classes/${made.id}`)
      .set(as(east))
      .send({ name: '春季班', endsOn: '2025-07-31' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '春季班', endsOn: '2025-07-31', description: '学习' });
    const backwards = await catalog.http().patch(`/api/training-classes/${made.id}`).set(as(east)).send({ endsOn: '2025-01-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain('on or after the start date');

    const [one] = await membersOf('committee/east/%');
    await catalog
      .http()
      .post(`/api/training-classes/${made.id}/members`)
      .set(as(east))
      .send({ userIds: [one.id] });
    const listed = await catalog.http().get('/api/training-classes').set(as(east));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: made.id, enrolledCount: 1 })]);

    const archived = await catalog.http().post(`/api/training-classes/${made.id}/archive`).set(as(east));
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await catalog.http().get('/api/training-classes').set(as(east))).body.items).toEqual([]);
    const withArchived = await catalog.http().get('/api/training-classes?includeArchived=true').set(as(east));
    expect(withArchived.body.items).toEqual([expect.objectContaining({ id: made.id, enrolledCount: 1 })]);
    expect((await catalog.http().post(`/api/training-classes/${made.id}/archive`).set(as(east))).status).toBe(409);
    expect(
      (
        await catalog
          .http()
          .post(`/api/training-classes/${made.id}/members`)
          .set(as(east))
          .send({ userIds: [one.id] })
      ).status,
    ).toBe(409);
    expect((await catalog.http().patch(`/api/training-classes/${made.id}`).set(as(east)).send({ name: 'x' })).status).toBe(409);
    expect(await catalog.dataSource.query(`SELECT count(*)::int AS n FROM training_class_members WHERE class_id = $1`, [made.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('keeps a branch admin out of another branch’s classes and members (404)', async () => {
    const west = await createClass(committee, { name: '西区班', ownerUnitId: await unitId('committee/west') });
    expect((await catalog.http().get(`/api/training-classes/${west.id}`).set(as(east))).status).toBe(404);
    expect((await catalog.http().get(`/api/training-classes/${west.id}/members`).set(as(east))).status).toBe(404);
    expect((await catalog.http().patch(`/api/training-classes/${west.id}`).set(as(east)).send({ name: 'mine' })).status).toBe(404);
    expect((await catalog.http().post(`/api/training-classes/${west.id}/archive`).set(as(east))).status).toBe(404);
    expect((await catalog.http().get('/api/training-classes').set(as(east))).body.items.map((c: { id: string }) => c.id)).not.toContain(
      west.id,
    );
    const created = await catalog
      .http()
      .post('/api/training-classes')
      .set(as(east))
      .send({ name: 'x', ownerUnitId: await unitId('committee/west'), startsOn: '2025-01-01', endsOn: '2025-01-02' });
    expect(created.status).toBe(404);

    const mine = await createClass(east, { name: '东区班' });
    const [westMember] = await membersOf('committee/west/%');
    const [eastMember] = await membersOf('committee/east/%');
    const foreign = await catalog
      .http()
      .post(`/api/training-classes/${mine.id}/members`)
      .set(as(east))
      .send({ userIds: [eastMember.id, westMember.id] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toContain('not in your organisation');
    expect(await catalog.dataSource.query(`SELECT count(*)::int AS n FROM training_class_members WHERE class_id = $1`, [mine.id])).toEqual([
      { n: 0 },
    ]);
    const foreignClasses = await catalog.http().get(`/api/members/${westMember.id}/classes`).set(as(east));
    expect(foreignClasses.status).toBe(404);
    // Filtering on a unit of another branch is refused too.
    const byForeignUnit = await catalog
      .http()
      .post(`/api/training-classes/${mine.id}/members/by-filter`)
      .set(as(east))
      .send({ unitId: await unitId('committee/west') });
    expect(byForeignUnit.status).toBe(404);
    // A committee admin cannot put a west member into the east branch's class either.
    const outsideOwner = await catalog
      .http()
      .post(`/api/training-classes/${mine.id}/members`)
      .set(as(committee))
      .send({ userIds: [westMember.id] });
    expect(outsideOwner.status).toBe(400);
    expect(outsideOwner.body.message).toContain('which runs this class');
  });

  it('enrols one by one idempotently, withdraws keeping the row, and re-enrols a withdrawn member', async () => {
    const made = await createClass(east, { name: '逐个班' });
    const [a, b] = await membersOf('committee/east/%');
    const enrol = (ids: string[]) => catalog.http().post(`/api/training-classes/${made.id}/members`).set(as(east)).send({ userIds: ids });
    expect((await enrol([a.id])).body).toEqual({ enrolled: 1, alreadyIn: 0 });
    expect((await enrol([a.id, b.id, b.id])).body).toEqual({ enrolled: 1, alreadyIn: 1 });

    const withdrawn = await catalog.http().post(`/api/training-classes/${made.id}/members/${a.id}/withdraw`).set(as(east));
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnAt).not.toBeNull();
    expect((await catalog.http().post(`/api/training-classes/${made.id}/members/${a.id}/withdraw`).set(as(east))).status).toBe(409);
    const notIn = (await membersOf('committee/east/%'))[2];
    expect((await catalog.http().post(`/api/training-classes/${made.id}/members/${notIn.id}/withdraw`).set(as(east))).status).toBe(404);
    const rows = await catalog.dataSource.query(
      `SELECT user_id, withdrawn_at IS NOT NULL AS withdrawn FROM training_class_members WHERE class_id = $1 ORDER BY withdrawn`,
      [made.id],
    );
    expect(rows).toEqual([
      { user_id: b.id, withdrawn: false },
      { user_id: a.id, withdrawn: true },
    ]);

    const page = await catalog.http().get(`/api/training-classes/${made.id}/members?limit=1`).set(as(east));
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(2);
    expect(page.body.items).toEqual([
      expect.objectContaining({ userId: b.id, withdrawnAt: null, enrolledBy: expect.objectContaining({ name: '东区管理员' }) }),
    ]);
    const second = await catalog.http().get(`/api/training-classes/${made.id}/members?limit=1&offset=1`).set(as(east));
    expect(second.body.items).toEqual([expect.objectContaining({ userId: a.id, withdrawnAt: expect.any(String) })]);
    const classesOfA = await catalog.http().get(`/api/members/${a.id}/classes`).set(as(east));
    expect(classesOfA.body).toContainEqual(expect.objectContaining({ classId: made.id, withdrawnAt: expect.any(String) }));

    expect((await enrol([a.id])).body).toEqual({ enrolled: 1, alreadyIn: 0 });
    const back = await catalog.dataSource.query(`SELECT withdrawn_at FROM training_class_members WHERE class_id = $1 AND user_id = $2`, [
      made.id,
      a.id,
    ]);
    expect(back).toEqual([{ withdrawn_at: null }]);
  });

  it('enrols by the member list’s filter in one go and counts who was added and who was already in', async () => {
    const made = await createClass(east, { name: '筛选班' });
    const eastMembers = await membersOf('committee/east/%');
    const retired = eastMembers.filter((m) => m.category === 'retired');
    expect(retired.length).toBeGreaterThan(1);
    const byFilter = (body: object) => catalog.http().post(`/api/training-classes/${made.id}/members/by-filter`).set(as(east)).send(body);

    await catalog
      .http()
      .post(`/api/training-classes/${made.id}/members`)
      .set(as(east))
      .send({ userIds: [retired[0].id] });
    const preview = await byFilter({ category: 'retired', role: 'member', preview: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ matched: retired.length, enrolled: retired.length - 1, alreadyIn: 1 });
    expect((await catalog.http().get(`/api/training-classes/${made.id}`).set(as(east))).body.enrolledCount).toBe(1);

    const done = await byFilter({ category: 'retired', role: 'member' });
    expect(done.body).toEqual({ matched: retired.length, enrolled: retired.length - 1, alreadyIn: 1 });
    expect((await byFilter({ category: 'retired', role: 'member' })).body).toEqual({
      matched: retired.length,
      enrolled: 0,
      alreadyIn: retired.length,
    });

    const group2 = eastMembers.length - (await membersOf('committee/east/group-1%')).length;
    const byUnit = await byFilter({ unitId: await unitId('committee/east/group-2'), role: 'member', preview: true });
    expect(byUnit.body.matched).toBe(group2);
    const withQ = await byFilter({ q: 'member0', role: 'member', active: true, preview: true });
    expect(withQ.body.matched).toBe(eastMembers.filter((m) => m.login.startsWith('member0')).length);

    // Only the class's units: a committee admin's filter on the whole tree still stays in the east branch.
    const all = await catalog
      .http()
      .post(`/api/training-classes/${made.id}/members/by-filter`)
      .set(as(committee))
      .send({ role: 'member', preview: true });
    expect(all.body.matched).toBe(eastMembers.length);

    // Holders of a position now.
    const leaders = (await byFilter({ position: 'group-leader', preview: true })).body.matched;
    await catalog
      .http()
      .post(`/api/members/${eastMembers[1].id}/positions`)
      .set(as(east))
      .send({ orgUnitId: await unitId('committee/east/group-1'), positionCode: 'group-leader' });
    expect((await byFilter({ position: 'group-leader', preview: true })).body.matched).toBe(leaders + 1);

    for (const bad of [{ category: 'NOT A CODE!' }, { active: 'yes' }, { unitId: 'east' }, { q: 'x'.repeat(101) }, { preview: 'no' }]) {
      expect((await byFilter(bad)).status).toBe(400);
    }
  });

  it('enrols from a CSV in UTF-8 with a byte-order mark, reporting each bad row', async () => {
    const made = await createClass(east, { name: '名单班' });
    const [a, b] = await membersOf('committee/east/%');
    const [westMember] = await membersOf('committee/west/%');
    await catalog
      .http()
      .post(`/api/training-classes/${made.id}/members`)
      .set(as(east))
      .send({ userIds: [b.id] });
    const csv = `\uFEFFname,login\r\n甲,${a.login}\r\n乙,${b.login}\r\n丙,ghost\r\n丁,${westMember.login}\r\n戊,${a.login.toUpperCase()}\r\n己,\r\n`;
    const answer = await importRoster(made.id, Buffer.from(csv, 'utf8'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      enrolled: 1,
      alreadyIn: 1,
      rejected: [
        { row: 4, login: 'ghost', code: 'unknown', reason: 'no one with the login "ghost" in your organisation' },
        { row: 5, login: westMember.login, code: 'unknown', reason: `no one with the login "${westMember.login}" in your organisation` },
        { row: 6, login: a.login.toUpperCase(), code: 'repeated', reason: `login "${a.login.toUpperCase()}" already appears on row 2` },
        { row: 7, login: '', code: 'no-login', reason: 'the row has no login' },
      ],
    });
  });

  it('enrols from a GBK CSV without a header, rejecting a bad login row', async () => {
    const made = await createClass(east, { name: 'GBK班' });
    const [a] = await membersOf('committee/east/%');
    // "张三" in GBK: not a login of anyone.
    const gbk = Buffer.concat([Buffer.from(`${a.login}\n`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('\n')]);
    const answer = await importRoster(made.id, gbk);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      enrolled: 1,
      alreadyIn: 0,
      rejected: [{ row: 2, login: '张三', code: 'unknown', reason: 'no one with the login "张三" in your organisation' }],
    });
  });

  it.each([
    ['an empty file', '', 'text/csv', 400, 'empty'],
    ['broken CSV', 'login\n"abc\n', 'text/csv', 400, 'not valid CSV'],
    ['a JSON body', JSON.stringify({ logins: [] }), 'application/json', 415, 'text/csv'],
  ])('answers a roster of %s with a clear 4xx', async (_label, body, type, status, message) => {
    const made = await createClass(east, { name: `错误${status}${message}` });
    const answer = await catalog
      .http()
      .post(`/api/training-classes/${made.id}/members/import`)
      .set(as(east))
      .set('Content-Type', type)
      .send(body);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toContain(message);
  });

  it.each([
    ['no name', { startsOn: '2025-01-01', endsOn: '2025-01-02' }],
    ['ends before it starts', { name: 'a', startsOn: '2025-02-01', endsOn: '2025-01-31' }],
    ['an impossible date', { name: 'a', startsOn: '2025-02-30', endsOn: '2025-03-01' }],
    ['a NUL byte', { name: 'a\u0000b', startsOn: '2025-01-01', endsOn: '2025-01-02' }],
    ['a huge name', { name: 'x'.repeat(10_000), startsOn: '2025-01-01', endsOn: '2025-01-02' }],
    ['an owner that is not an id', { name: 'a', ownerUnitId: 'east', startsOn: '2025-01-01', endsOn: '2025-01-02' }],
  ])('answers 400 to a class with %s', async (_label, body) => {
    expect((await catalog.http().post('/api/training-classes').set(as(east)).send(body)).status).toBe(400);
  });

  it('answers 400 and 404 to bad ids, lists and enrolment bodies', async () => {
    const made = await createClass(east, { name: '校验班' });
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect((await catalog.http().get(`/api/training-classes/${nobody}`).set(as(east))).status).toBe(404);
    expect((await catalog.http().get('/api/training-classes/not-an-id').set(as(east))).status).toBe(400);
    expect((await catalog.http().get('/api/training-classes?limit=99999999999').set(as(east))).status).toBe(400);
    expect((await catalog.http().get(`/api/training-classes/${made.id}/members?offset=-1`).set(as(east))).status).toBe(400);
    for (const body of [{}, { userIds: [] }, { userIds: ['x'] }, { userIds: 'abc' }]) {
      expect((await catalog.http().post(`/api/training-classes/${made.id}/members`).set(as(east)).send(body)).status).toBe(400);
    }
    expect(
      (
        await catalog
          .http()
          .post(`/api/training-classes/${made.id}/members`)
          .set(as(east))
          .send({ userIds: [nobody] })
      ).status,
    ).toBe(404);
    expect((await catalog.http().post(`/api/training-classes/${made.id}/members/${nobody}/withdraw`).set(as(east))).status).toBe(404);
    const member = await catalog.tokenFor('member');
    expect((await catalog.http().get('/api/training-classes').set(as(member))).status).toBe(403);
    expect(await userId('member')).toBeTruthy();
  });

  it('lets editors read the classes, position kinds and plans an exam audience names, and change none of them', async () => {
    const editor = await catalog.tokenFor('editor');
    for (const path of ['/api/training-classes', '/api/position-kinds', '/api/study-plans']) {
      expect({ path, status: (await catalog.http().get(path).set(as(editor))).status }).toEqual({ path, status: 200 });
    }
    const classes = (await catalog.http().get('/api/training-classes').set(as(editor))).body as { items: Array<{ name: string }> };
    expect(classes.items.map((c) => c.name)).toContain('2027 年入党积极分子培训班');
    const [committee] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee'`);
    const created = await catalog
      .http()
      .post('/api/training-classes')
      .set(as(editor))
      .send({ name: '编辑不能建班', description: '', ownerUnitId: committee.id, startsOn: '2027-01-01', endsOn: '2027-02-01' });
    expect(created.status).toBe(403);
    expect(
      (await catalog.http().post('/api/position-kinds').set(as(editor)).send({ nameZh: '宣传委员', nameEn: 'Publicity' })).status,
    ).toBe(403);
  });
});
