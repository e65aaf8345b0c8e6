import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyMaterialReading, ReadingReportAnswer } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { memberAndNeighbour, publishedCourse, type TestMember } from '../../../test/support/study-fixtures.js';

// Reading time of course materials: reports bounded by the server's clock, a material counted as read once per
// plan that counts reading, nothing for plans that do not, and no reading of archived materials.

let catalog: CatalogHarness;
let admin: string;
let member: TestMember;
let other: TestMember;
let courseId: string;
let materialId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const report = (id: string, body: object, token = member.token) =>
  catalog.http().post(`/api/materials/${id}/reading`).set(as(token)).send(body);

/** A ready PDF material of the course, as the upload service stores it. */
async function addMaterial(title: string): Promise<string> {
  const [row] = await catalog.dataSource.query(
    `INSERT INTO course_materials (course_id, title, file_name, kind, mime_type, size_bytes, source_key, pdf_key, page_count, state, uploaded_by)
     SELECT $1, $2, $2 || '.pdf', 'pdf', 'application/pdf', 1234, 'materials/' || gen_random_uuid() || '.pdf', NULL, 2, 'ready', id
       FROM users WHERE login = 'editor' RETURNING id`,
    [courseId, title],
  );
  return row.id as string;
}

/** Moves the record's last report back in time, as if `seconds` had passed since it. */
const age = (userId: string, id: string, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE material_reading SET last_report_at = last_report_at - make_interval(secs => $3), spare_ms = 0
      WHERE user_id = $1 AND material_id = $2 RETURNING (extract(epoch FROM last_report_at) * 1000)::float8 AS at`,
    [userId, id, seconds],
  );
const record = async (userId: string, id: string) =>
  (
    await catalog.dataSource.query(
      `SELECT seconds_read, (extract(epoch FROM last_report_at) * 1000)::float8 AS at FROM material_reading WHERE user_id = $1 AND material_id = $2`,
      [userId, id],
    )
  )[0] as { seconds_read: number; at: number };

const createPlan = async (body: Record<string, unknown>) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(admin))
    .send({ name: '阅读计划', requiredHours: 1, periodStart: daysFromToday(-5), periodEnd: daysFromToday(20), ...body });
  expect(answer.status).toBe(201);
  return answer.body as { id: string };
};
const counted = async (planId: string) =>
  (await catalog.dataSource.query(`SELECT user_id, material_id, counted_at FROM material_reading_counted WHERE plan_id = $1`, [
    planId,
  ])) as Array<{
    user_id: string;
    material_id: string;
    counted_at: Date;
  }>;

beforeAll(async () => {
  catalog = await startCatalog();
  admin = await catalog.tokenFor('east-admin');
  ({ member, other } = await memberAndNeighbour(catalog));
  ({ courseId } = await publishedCourse(catalog, '资料课程', ['第一讲']));
  materialId = await addMaterial('学习提纲');
}, 120_000);
afterAll(() => catalog.close());

describe('reading reports', () => {
  it('opens the record with the first report and credits nothing for it', async () => {
    const first = await report(materialId, { seconds: 30, page: 1 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ materialId, secondsRead: 0, creditedSec: 0 });
  });

  it('credits at most the server time since the previous report, whatever is claimed', async () => {
    const [[{ at: before }]] = (await age(member.id, materialId, 20)) as [[{ at: number }], number];
    const claimed = await report(materialId, { seconds: 120, page: 2 });
    expect(claimed.status).toBe(200);
    const after = await record(member.id, materialId);
    // The server's own time between the two reports: what it may credit at most (the claim is 120 s).
    const wallSec = Math.floor((after.at - before) / 1000);
    expect(wallSec).toBeGreaterThanOrEqual(20);
    expect((claimed.body as ReadingReportAnswer).creditedSec).toBe(Math.min(120, wallSec));
    expect(after.seconds_read).toBe((claimed.body as ReadingReportAnswer).secondsRead);

    // At once again, as a second screen would: only the time since the report just accepted, plus its spare (< 1 s).
    const again = await report(materialId, { seconds: 30 });
    const last = await record(member.id, materialId);
    expect((again.body as ReadingReportAnswer).creditedSec).toBeLessThanOrEqual(Math.floor((last.at - after.at) / 1000) + 1);
  });

  it('refuses bad reports with a message that says what to send', async () => {
    const tooMuch = await report(materialId, { seconds: 500 });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toMatch(/at most 120/);
    expect((await report(materialId, { seconds: -1 })).status).toBe(400);
    expect((await report(materialId, { seconds: 1.5 })).status).toBe(400);
    expect((await report(materialId, {})).status).toBe(400);
    expect((await report('not-an-id', { seconds: 1 })).status).toBe(400);
    expect((await report(materialId, { seconds: 1 }, await catalog.tokenFor('editor'))).status).toBe(403);
  });

  it('refuses archived materials and keeps their records', async () => {
    const archived = await addMaterial('旧资料');
    expect((await report(archived, { seconds: 0 })).status).toBe(200);
    await catalog.dataSource.query(
      `UPDATE course_materials SET archived_at = now(), archived_by = (SELECT id FROM users WHERE login = 'editor') WHERE id = $1`,
      [archived],
    );
    const refused = await report(archived, { seconds: 30 });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toMatch(/archived/);
    expect(await record(member.id, archived)).toMatchObject({ seconds_read: 0 });
    await expect(catalog.dataSource.query(`DELETE FROM material_reading WHERE material_id = $1`, [archived])).rejects.toThrow(/kept/);
  });
});

describe('plans that count reading', () => {
  it('counts a material read for N minutes once, shows it in My study, and a plan that does not count reading never does', async () => {
    const counting = await createPlan({ name: '阅读满一分钟', materialReadMinutes: 1 });
    const silent = await createPlan({ name: '阅读不计' });
    const view = await catalog.http().get(`/api/study-plans/${counting.id}`).set(as(admin));
    expect(view.body.studyRules.materialReadMinutes).toBe(1);
    expect((await catalog.http().get(`/api/study-plans/${silent.id}`).set(as(admin))).body.studyRules.materialReadMinutes).toBeNull();
    const refused = await catalog
      .http()
      .post('/api/study-plans')
      .set(as(admin))
      .send({
        name: 'x',
        requiredHours: 1,
        periodStart: daysFromToday(0),
        periodEnd: daysFromToday(1),
        materialReadMinutes: 0,
      });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/materialReadMinutes/);

    const material = await addMaterial('政策文件');
    await report(material, { seconds: 0 }, other.token);
    // 40 s: not yet a minute.
    await age(other.id, material, 40);
    expect((await report(material, { seconds: 40 }, other.token)).body.creditedSec).toBe(40);
    expect(await counted(counting.id)).toEqual([]);
    // 40 s more: read.
    await age(other.id, material, 40);
    expect((await report(material, { seconds: 40 }, other.token)).body.creditedSec).toBe(40);
    const once = await counted(counting.id);
    expect(once).toEqual([expect.objectContaining({ user_id: other.id, material_id: material })]);
    // Reading on: counted once, at the moment it first counted.
    await age(other.id, material, 60);
    await report(material, { seconds: 60 }, other.token);
    expect(await counted(counting.id)).toEqual(once);
    expect(await counted(silent.id)).toEqual([]);

    const mine = (await catalog.http().get('/api/me/material-reading').set(as(other.token))).body as MyMaterialReading;
    expect(mine.plans.map((p) => p.planId)).toContain(counting.id);
    expect(mine.plans.map((p) => p.planId)).not.toContain(silent.id);
    const plan = mine.plans.find((p) => p.planId === counting.id)!;
    expect(plan).toMatchObject({ readMinutes: 1, readCount: 1 });
    expect(plan.materials.find((m) => m.materialId === material)).toMatchObject({
      title: '政策文件',
      courseId,
      secondsRead: 140,
      read: true,
      readOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('counts only reading on the plan\u2019s days', async () => {
    const past = await createPlan({
      name: '上月的计划',
      periodStart: daysFromToday(-40),
      periodEnd: daysFromToday(-10),
      materialReadMinutes: 1,
    });
    const material = await addMaterial('往期资料');
    await report(material, { seconds: 0 });
    await age(member.id, material, 90);
    expect((await report(material, { seconds: 90 })).body.creditedSec).toBe(90);
    // Closed or not, the plan's period is over: today's reading is not its reading.
    expect(await counted(past.id)).toEqual([]);
  });
});
