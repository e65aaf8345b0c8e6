import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

let catalog: CatalogHarness;
let committee: string;
let east: string;
let planId: string;
let lectureId: string;
let courseId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const members = async (prefix: string) =>
  (await catalog.dataSource.query(
    `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.role = 'member' AND o.path LIKE $1 ORDER BY u.login`,
    [`${prefix}%`],
  )) as Array<{ id: string; login: string }>;

/** Study as the heartbeat ingest records it: daily credit plus per-lecture progress with coverage. */
async function studied(userId: string, seconds: number, coverage: Array<[number, number]>) {
  await catalog.dataSource.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)`, [
    userId,
    lectureId,
    today(),
    seconds,
  ]);
  const covered = coverage.reduce((s, [a, b]) => s + b - a, 0);
  await catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, completed_at)
     VALUES ($1, $2, $3, $4::float8, $5, 100, CASE WHEN $4::float8 >= 95 THEN now() END)`,
    [userId, lectureId, JSON.stringify(coverage), covered, seconds],
  );
}

beforeAll(async () => {
  catalog = await startCatalog();
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  const editor = await catalog.tokenFor('editor');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  courseId = (await catalog.http().post('/api/courses').set(as(editor)).send({ title: '理论学习', categoryId: categories.body[0].id })).body
    .id;
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  await catalog.dataSource.query(`UPDATE lecture_media SET duration_sec = 100 WHERE asset_id = $1`, [assetId]);
  lectureId = (await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: '第一讲', assetId })).body.id;
  await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor));
  const plan = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(committee))
    .send({ name: '年度学习', periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 1 });
  planId = plan.body.id;
  const [e1, e2] = await members('committee/east/');
  const [w1] = await members('committee/west/');
  await studied(e1.id, 3600, [[0, 100]]);
  await studied(e2.id, 1800, [[0, 50]]);
  await studied(w1.id, 7200, [[50, 100]]);
}, 120_000);
afterAll(() => catalog.close());

describe('scoped reports (two sibling branches)', () => {
  it('rolls the plan up over the branch admin subtree only', async () => {
    const answer = await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(east));
    expect(answer.status).toBe(200);
    const paths = answer.body.items.map((u: { path: string }) => u.path);
    expect(paths[0]).toBe('committee/east');
    expect(paths.every((p: string) => p.startsWith('committee/east'))).toBe(true);
    const branch = answer.body.items[0];
    const eastMembers = await members('committee/east/');
    expect(branch).toMatchObject({ members: eastMembers.length, met: 1, totalHours: 1.5 });
    const whole = await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(committee));
    expect(whole.body.items[0]).toMatchObject({ path: 'committee', met: 2, totalHours: 3.5 });
  });

  it('drills down, filters and sorts members within the branch', async () => {
    const all = await catalog.http().get(`/api/reports/plans/${planId}/members?sort=earnedHours&order=desc`).set(as(east));
    expect(all.body.items.every((m: { unitPath: string }) => m.unitPath.startsWith('committee/east/'))).toBe(true);
    expect(all.body.items[0]).toMatchObject({ earnedHours: 1, status: 'met', remainingHours: 0 });
    const behind = await catalog.http().get(`/api/reports/plans/${planId}/members?status=not_started`).set(as(east));
    expect(behind.body.items.every((m: { status: string }) => m.status === 'not_started')).toBe(true);
    const west = (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`))[0].id;
    expect((await catalog.http().get(`/api/reports/plans/${planId}/members?unitId=${west}`).set(as(east))).status).toBe(404);
  });

  it('exports the same rows as CSV and XLSX, with no foreign rows', async () => {
    const json = await catalog.http().get(`/api/reports/plans/${planId}/members`).set(as(east));
    const csv = await catalog.http().get(`/api/reports/plans/${planId}/members?format=csv`).set(as(east)).buffer(true);
    expect(csv.headers['content-type']).toContain('text/csv');
    const records: string[][] = parse(csv.text.replace(/^\ufeff/, ''));
    expect(records[0]).toEqual(json.body.columns.map((c: { label: string }) => c.label));
    expect(records[0][0]).toBe('姓名');
    expect(records.slice(1).map((r) => r[1])).toEqual(json.body.items.map((m: { login: string }) => m.login));

    const xlsx = await catalog
      .http()
      .get(`/api/reports/plans/${planId}/members?format=xlsx&lang=en`)
      .set(as(east))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Name',
      'Login',
      'Unit',
      'Category',
      'Hours earned',
      'Hours required',
      'Hours remaining',
      'Compulsory missing',
      'Last study date',
      'Status',
    ]);
    expect(sheet.rowCount - 1).toBe(json.body.items.length);
    const logins = sheet.getColumn(2).values.slice(2);
    expect(logins).toEqual(json.body.items.map((m: { login: string }) => m.login));
  });

  it('counts only the branch in course and lecture reports, with a retention curve', async () => {
    const courses = await catalog.http().get('/api/reports/courses').set(as(east));
    const row = courses.body.items.find((c: { courseId: string }) => c.courseId === courseId);
    expect(row).toMatchObject({ viewers: 2, completions: 1, totalHours: 1.5, completionRate: 0.5 });
    const lecture = await catalog.http().get(`/api/reports/lectures/${lectureId}`).set(as(east));
    expect(lecture.body).toMatchObject({ viewers: 2, completions: 1, averageCoverage: 0.75 });
    expect(lecture.body.retention[0].share).toBe(1);
    expect(lecture.body.retention.at(-1).share).toBe(0.5);
  });

  it('hides a member of another branch and shows one of its own', async () => {
    const [w1] = await members('committee/west/');
    const [e1] = await members('committee/east/');
    expect((await catalog.http().get(`/api/reports/members/${w1.id}`).set(as(east))).status).toBe(404);
    const mine = await catalog.http().get(`/api/reports/members/${e1.id}`).set(as(east));
    expect(mine.body.daily).toEqual([{ day: today(), hours: 1 }]);
    expect(mine.body.plans[0]).toMatchObject({ name: '年度学习', status: 'met' });
  });

  it('reports the daily trend of the subtree', async () => {
    const trend = await catalog.http().get(`/api/reports/plans/${planId}/trend`).set(as(east));
    expect(trend.body.items).toHaveLength(21);
    expect(trend.body.items.find((d: { day: string }) => d.day === today())).toEqual({ day: today(), hours: 1.5, members: 2 });
  });

  it('freezes results when the plan closes; later study does not change them', async () => {
    expect((await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(east))).status).toBe(404);
    const closed = await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(committee));
    expect(closed.status).toBe(200);
    const before = (await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(east))).body.items;
    const [, e2] = await members('committee/east/');
    await catalog.dataSource.query(`UPDATE study_daily SET credited_sec = credited_sec + 7200 WHERE user_id = $1`, [e2.id]);
    expect((await catalog.http().get(`/api/reports/plans/${planId}/overview`).set(as(east))).body.items).toEqual(before);
    expect((await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(committee))).status).toBe(409);
  });

  it('keeps members out of reports', async () => {
    expect(
      (
        await catalog
          .http()
          .get(`/api/reports/plans/${planId}/overview`)
          .set(as(await catalog.tokenFor('member')))
      ).status,
    ).toBe(403);
  });
});
