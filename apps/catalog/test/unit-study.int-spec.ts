import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/**
 * The period report by unit: each day's credited study counts for the unit the member belonged to on
 * that day, so a dated transfer splits a member's study between the units before and after it.
 */

let catalog: CatalogHarness;
let admin: string;
let eastAdmin: string;
let inspector: string;
let units: Record<string, string>;
let lectureId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());
const ago = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

interface Row {
  unitId: string;
  path: string;
  depth: number;
  ownSec: number;
  ownMembers: number;
  totalSec: number;
  totalMembers: number;
  totalHours: number;
}

const report = async (token: string, query: Record<string, string>) => {
  const answer = await catalog.http().get('/api/reports/units/study').query(query).set(as(token));
  expect(answer.status).toBe(200);
  return new Map((answer.body.items as Row[]).map((r) => [r.path, r]));
};
const newMember = async (unit: string, login: string) => {
  const created = await catalog
    .http()
    .post('/api/members')
    .set(as(admin))
    .send({ login, name: login, orgUnitId: units[unit], password: 'unit-study-pass-1' });
  expect(created.status).toBe(201);
  // In the unit since long before the days studied here.
  await catalog.dataSource.query(`UPDATE member_unit_periods SET from_day = $2 WHERE user_id = $1`, [created.body.id, ago(90)]);
  return created.body.id as string;
};
const credit = (userId: string, day: string, seconds: number) =>
  catalog.dataSource.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)`, [
    userId,
    lectureId,
    day,
    seconds,
  ]);

let mover: string;
let stayer: string;

beforeAll(async () => {
  catalog = await startCatalog();
  admin = await catalog.tokenFor('admin');
  eastAdmin = await catalog.tokenFor('east-admin');
  const editor = await catalog.tokenFor('editor');
  units = Object.fromEntries(
    ((await catalog.dataSource.query(`SELECT id, path FROM org_units`)) as Array<{ id: string; path: string }>).map((u) => [u.path, u.id]),
  );
  const made = await catalog.http().post('/api/members').set(as(admin)).send({
    login: 'east-inspector',
    name: '东区督查',
    role: 'inspector',
    orgUnitId: units['committee/east'],
    password: 'inspector-pass-1',
  });
  expect(made.status).toBe(201);
  inspector = await catalog.tokenFor('east-inspector', 'inspector-pass-1');

  const categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: '单位学时', categoryId });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  lectureId = (await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: '一讲', assetId })).body
    .id;

  mover = await newMember('committee/east/group-1', 'unit-study-mover');
  stayer = await newMember('committee/east/group-2', 'unit-study-stayer');
  await credit(mover, ago(20), 1800);
  await credit(mover, ago(10), 3600);
  await credit(stayer, ago(8), 900);
  // Moved to the west branch, dated five days ago; the study after that is the west's.
  const moved = await catalog
    .http()
    .post('/api/transfers')
    .set(as(admin))
    .send({ userId: mover, toUnitId: units['committee/west/group-1'], effectiveOn: ago(5), reason: '调动' });
  expect(moved.status).toBe(201);
  expect(moved.body.status).toBe('done');
  await credit(mover, ago(5), 1200);
  await credit(mover, ago(1), 600);
}, 120_000);
afterAll(() => catalog.close());

describe('study by unit and period', () => {
  it("attributes each day's study to the unit of that day, and rolls it up each unit's subtree", async () => {
    const rows = await report(admin, { from: ago(30), to: today() });
    expect(rows.get('committee/east/group-1')).toMatchObject({ ownSec: 5400, ownMembers: 1, totalSec: 5400, totalMembers: 1 });
    expect(rows.get('committee/east/group-2')).toMatchObject({ ownSec: 900, ownMembers: 1, totalSec: 900 });
    expect(rows.get('committee/east')).toMatchObject({ ownSec: 0, ownMembers: 0, totalSec: 6300, totalMembers: 2, totalHours: 1.75 });
    expect(rows.get('committee/west/group-1')).toMatchObject({ ownSec: 1800, ownMembers: 1 });
    expect(rows.get('committee/west')).toMatchObject({ totalSec: 1800, totalMembers: 1 });
    expect(rows.get('committee/north')).toMatchObject({ totalSec: 0, totalMembers: 0 });
    // The member who moved is one person in the committee's total.
    expect(rows.get('committee')).toMatchObject({ totalSec: 8100, totalMembers: 2 });
    expect([...rows.keys()][0]).toBe('committee');
  });

  it('counts only the days of the period: the transfer day itself is the new unit’s', async () => {
    const after = await report(admin, { from: ago(5), to: today() });
    expect(after.get('committee/east')).toMatchObject({ totalSec: 0, totalMembers: 0 });
    expect(after.get('committee/west/group-1')).toMatchObject({ ownSec: 1800, ownMembers: 1 });
    const before = await report(admin, { from: ago(30), to: ago(6) });
    expect(before.get('committee/east/group-1')).toMatchObject({ ownSec: 5400 });
    expect(before.get('committee/west')).toMatchObject({ totalSec: 0 });
    const oneDay = await report(admin, { from: ago(10), to: ago(10) });
    expect(oneDay.get('committee')).toMatchObject({ totalSec: 3600, totalMembers: 1 });
  });

  it("keeps to the caller's subtree, and to a unit in it", async () => {
    const east = await report(eastAdmin, { from: ago(30), to: today() });
    expect([...east.keys()].every((path) => path.startsWith('committee/east'))).toBe(true);
    expect(east.get('committee/east')).toMatchObject({ totalSec: 6300, totalMembers: 2 });
    const byInspector = await report(inspector, { from: ago(30), to: today() });
    expect(byInspector.get('committee/east')).toMatchObject({ totalSec: 6300 });
    expect(byInspector.has('committee')).toBe(false);
    const group = await report(eastAdmin, { from: ago(30), to: today(), unitId: units['committee/east/group-2'] });
    expect([...group.keys()]).toEqual(['committee/east/group-2']);
    const west = await report(admin, { from: ago(30), to: today(), unitId: units['committee/west'] });
    expect(west.get('committee/west')).toMatchObject({ totalSec: 1800 });

    const query = (token: string, q: Record<string, string>) => catalog.http().get('/api/reports/units/study').query(q).set(as(token));
    expect((await query(eastAdmin, { from: ago(30), to: today(), unitId: units['committee/west'] })).status).toBe(404);
    expect((await query(await catalog.tokenFor('member'), { from: ago(30), to: today() })).status).toBe(403);
    expect((await query(await catalog.tokenFor('editor'), { from: ago(30), to: today() })).status).toBe(403);
    expect((await query(eastAdmin, { from: today(), to: ago(1) })).status).toBe(400);
    expect((await query(eastAdmin, { from: '2026-02-30', to: today() })).status).toBe(400);
    expect((await query(eastAdmin, { from: ago(1) })).status).toBe(400);
    expect((await query(eastAdmin, { from: ago(1), to: today(), unitId: 'x' })).status).toBe(400);
    expect((await query(eastAdmin, { from: '0000-00-00', to: today() })).status).toBe(400);
    expect((await query(eastAdmin, { from: ago(1), to: today(), format: 'pdf' })).status).toBe(400);
    expect((await query(eastAdmin, { from: ago(1), to: today(), unitId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    // A period far wider than any study is fine: empty figures, not an error.
    expect((await query(eastAdmin, { from: '0001-01-01', to: '9999-12-31' })).status).toBe(200);
  });

  it('exports the same table as CSV and XLSX, named for the unit and the period', async () => {
    const csv = await catalog
      .http()
      .get('/api/reports/units/study')
      .query({ from: ago(30), to: today(), format: 'csv', lang: 'en' })
      .set(as(eastAdmin));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`attachment; filename="committee-east-study-by-unit-${ago(30)}-${today()}.csv"`);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Unit,Unit path,Hours in this unit,Hours in this unit (h),Members studying in this unit,Hours with units below,Hours with units below (h),Members studying with units below',
    );
    expect(lines[1]).toMatch(/^东区分会,东区分会,.*,0\.00,0,.*,1\.75,2$/);
    const zh = await catalog
      .http()
      .get('/api/reports/units/study')
      .query({ from: ago(30), to: today(), format: 'csv' })
      .set(as(eastAdmin));
    expect(zh.text.replace(/^\ufeff/, '').split('\r\n')[0]).toContain('单位,单位路径,本单位学时');
    expect(zh.headers['content-disposition']).toContain(encodeURIComponent('东区分会 - 单位学时'));

    const xlsx = await catalog
      .http()
      .get('/api/reports/units/study')
      .query({ from: ago(30), to: today(), format: 'xlsx' })
      .set(as(eastAdmin))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });
});
