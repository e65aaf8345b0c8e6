import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
let east: string;
let committee: string;
const unitId = async (path: string) => (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const firstMemberOf = async (branch: string) =>
  (
    await catalog.dataSource.query(
      `SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path LIKE $1 AND u.role = 'member' ORDER BY u.login LIMIT 1`,
      [`committee/${branch}/%`],
    )
  )[0].id as string;

beforeAll(async () => {
  catalog = await startCatalog();
  east = await catalog.tokenFor('east-admin');
  committee = await catalog.tokenFor('admin');
}, 60_000);
afterAll(() => catalog.close());

describe('position kinds', () => {
  it('lists the built-ins with both names', async () => {
    const answer = await catalog.http().get('/api/position-kinds').set(as(east));
    expect(answer.status).toBe(200);
    expect(answer.body.slice(0, 4)).toEqual([
      { code: 'secretary', nameZh: '书记', nameEn: 'Secretary', builtin: true, ownerUnit: null },
      expect.objectContaining({ code: 'deputy-secretary' }),
      expect.objectContaining({ code: 'committee-member' }),
      expect.objectContaining({ code: 'group-leader' }),
    ]);
  });

  it('adds a kind owned by the caller’s unit, visible above and inside it but not in another branch', async () => {
    const added = await catalog
      .http()
      .post('/api/position-kinds')
      .set(as(east))
      .send({ code: 'East-Mentor', nameZh: '辅导员', nameEn: 'Mentor' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'east-mentor', builtin: false, ownerUnit: { path: 'committee/east' } });

    const codes = async (token: string) =>
      (await catalog.http().get('/api/position-kinds').set(as(token))).body.map((k: { code: string }) => k.code);
    expect(await codes(east)).toContain('east-mentor');
    expect(await codes(committee)).toContain('east-mentor');
    await catalog.dataSource.query(`UPDATE users SET org_unit_id = $1 WHERE login = 'editor'`, [await unitId('committee/west')]);
    await catalog.dataSource.query(`UPDATE users SET role = 'admin' WHERE login = 'editor'`);
    const westAdmin = await catalog.tokenFor('editor');
    expect(await codes(westAdmin)).not.toContain('east-mentor');

    const again = await catalog
      .http()
      .post('/api/position-kinds')
      .set(as(committee))
      .send({ code: 'east-mentor', nameZh: '另一个', nameEn: 'Other' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('taken');
  });

  it.each([
    [{ code: '', nameZh: '甲', nameEn: 'A' }],
    [{ code: 'has space', nameZh: '甲', nameEn: 'A' }],
    [{ code: 'ok', nameZh: '', nameEn: 'A' }],
    [{ code: 'ok', nameZh: 'x'.repeat(101), nameEn: 'A' }],
    [{ code: 'ok', nameZh: 'a\u0000b', nameEn: 'A' }],
    [{ code: 'ok' }],
  ])('answers 400 to a bad kind %j', async (body) => {
    const answer = await catalog.http().post('/api/position-kinds').set(as(east)).send(body);
    expect(answer.status).toBe(400);
  });

  it('lets only admins add kinds', async () => {
    const member = await catalog.tokenFor('member');
    expect((await catalog.http().post('/api/position-kinds').set(as(member)).send({ code: 'x1', nameZh: '甲', nameEn: 'A' })).status).toBe(
      403,
    );
  });
});

describe('appointments', () => {
  it('appoints, refuses the same position twice at once, ends keeping the row, and allows several positions', async () => {
    const person = await userId('member10');
    const group = await unitId('committee/east/group-1');
    const appoint = (body: object) => catalog.http().post(`/api/members/${person}/positions`).set(as(east)).send(body);

    const first = await appoint({ orgUnitId: group, positionCode: 'secretary', startedOn: '2024-01-01' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      userId: person,
      positionCode: 'secretary',
      positionNameZh: '书记',
      orgUnit: { id: group, path: 'committee/east/group-1' },
      startedOn: '2024-01-01',
      endedOn: null,
      current: true,
    });
    const twice = await appoint({ orgUnitId: group, positionCode: 'secretary' });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('already holds');

    const second = await appoint({ orgUnitId: await unitId('committee/east'), positionCode: 'east-mentor' });
    expect(second.status).toBe(201);

    const holders = await catalog.http().get(`/api/org-units/${group}/positions`).set(as(east));
    expect(holders.status).toBe(200);
    const secretaries = (body: Array<{ positionCode: string; member: { login: string } }>) =>
      body.filter((p) => p.positionCode === 'secretary').map((p) => p.member.login);
    expect(secretaries(holders.body)).toEqual(['member10']);

    const tooEarly = await catalog.http().post(`/api/member-positions/${first.body.id}/end`).set(as(east)).send({ endedOn: '2023-12-31' });
    expect(tooEarly.status).toBe(400);
    const ended = await catalog.http().post(`/api/member-positions/${first.body.id}/end`).set(as(east)).send({ endedOn: '2025-06-30' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: first.body.id, endedOn: '2025-06-30', current: false });
    const endAgain = await catalog.http().post(`/api/member-positions/${first.body.id}/end`).set(as(east)).send({});
    expect(endAgain.status).toBe(409);
    const rows = await catalog.dataSource.query(`SELECT to_char(ended_on, 'YYYY-MM-DD') AS ended FROM member_positions WHERE id = $1`, [
      first.body.id,
    ]);
    expect(rows).toEqual([{ ended: '2025-06-30' }]);
    expect(secretaries((await catalog.http().get(`/api/org-units/${group}/positions`).set(as(east))).body)).toEqual([]);

    // Secretary again after the first term: a new row, the old one kept.
    const again = await appoint({ orgUnitId: group, positionCode: 'secretary', startedOn: '2025-07-01' });
    expect(again.status).toBe(201);
    const history = await catalog.http().get(`/api/members/${person}/positions`).set(as(east));
    expect(history.status).toBe(200);
    expect(history.body.map((p: { positionCode: string; current: boolean }) => [p.positionCode, p.current])).toEqual(
      expect.arrayContaining([
        ['secretary', true],
        ['east-mentor', true],
        ['secretary', false],
      ]),
    );
    expect(history.body).toHaveLength(3);
    expect(history.body[2]).toMatchObject({ current: false, endedOn: '2025-06-30' });

    const ending = await catalog.http().post(`/api/member-positions/${again.body.id}/end`).set(as(east));
    expect(ending.status).toBe(200);
    expect(ending.body.endedOn).toBe(new Date().toISOString().slice(0, 10));
  });

  it('keeps a branch admin to their branch: 404 for another branch’s member, unit or position', async () => {
    const westMember = await firstMemberOf('west');
    const eastMember = await firstMemberOf('east');
    const westUnit = await unitId('committee/west/group-1');
    const eastUnit = await unitId('committee/east/group-2');

    const foreignMember = await catalog
      .http()
      .post(`/api/members/${westMember}/positions`)
      .set(as(east))
      .send({ orgUnitId: eastUnit, positionCode: 'group-leader' });
    expect(foreignMember.status).toBe(404);
    expect(foreignMember.body.message).toBe('No such person in your organisation.');
    const foreignUnit = await catalog
      .http()
      .post(`/api/members/${eastMember}/positions`)
      .set(as(east))
      .send({ orgUnitId: westUnit, positionCode: 'group-leader' });
    expect(foreignUnit.status).toBe(404);
    expect((await catalog.http().get(`/api/members/${westMember}/positions`).set(as(east))).status).toBe(404);
    expect((await catalog.http().get(`/api/org-units/${westUnit}/positions`).set(as(east))).status).toBe(404);

    const westPosition = await catalog
      .http()
      .post(`/api/members/${westMember}/positions`)
      .set(as(committee))
      .send({ orgUnitId: westUnit, positionCode: 'group-leader' });
    expect(westPosition.status).toBe(201);
    expect((await catalog.http().post(`/api/member-positions/${westPosition.body.id}/end`).set(as(east)).send({})).status).toBe(404);
    const still = await catalog.dataSource.query(`SELECT ended_on FROM member_positions WHERE id = $1`, [westPosition.body.id]);
    expect(still).toEqual([{ ended_on: null }]);

    // A kind the east branch added is not one a west unit can use.
    const wrongKind = await catalog
      .http()
      .post(`/api/members/${westMember}/positions`)
      .set(as(committee))
      .send({ orgUnitId: westUnit, positionCode: 'east-mentor' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toContain('not one that');
  });

  it.each([
    ['an unknown position', { positionCode: 'astronaut' }],
    ['a bad date', { positionCode: 'secretary', startedOn: '2024-02-30' }],
    ['a date far out', { positionCode: 'secretary', startedOn: '9999-01-01' }],
    ['no unit', { orgUnitId: undefined, positionCode: 'secretary' }],
    ['a unit id that is not a uuid', { orgUnitId: 'east', positionCode: 'secretary' }],
  ])('answers 400 to %s', async (_label, body) => {
    const person = await userId('member02');
    const answer = await catalog
      .http()
      .post(`/api/members/${person}/positions`)
      .set(as(committee))
      .send({ orgUnitId: await unitId('committee'), ...body });
    expect(answer.status).toBe(400);
    expect(typeof answer.body.message === 'string' || Array.isArray(answer.body.message)).toBe(true);
  });

  it('answers 404 for unknown ids and 400 for ids that are not ids', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect((await catalog.http().get(`/api/members/${nobody}/positions`).set(as(committee))).status).toBe(404);
    expect((await catalog.http().post(`/api/member-positions/${nobody}/end`).set(as(committee)).send({})).status).toBe(404);
    expect((await catalog.http().get(`/api/org-units/${nobody}/positions`).set(as(committee))).status).toBe(404);
    expect((await catalog.http().get(`/api/members/not-an-id/positions`).set(as(committee))).status).toBe(400);
    expect(
      (await catalog.http().post(`/api/member-positions/${nobody}/end`).set(as(committee)).send({ endedOn: 'yesterday' })).status,
    ).toBe(400);
  });
});
