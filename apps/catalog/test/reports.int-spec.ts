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
      'Unit path',
      'Category',
      'Hours earned',
      'Hours earned (h)',
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
    expect(lecture.body.items[0].share).toBe(1);
    expect(lecture.body.items.at(-1).share).toBe(0.5);
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
    expect(trend.body.items.find((d: { day: string }) => d.day === today())).toEqual({
      day: today(),
      hours: 1.5,
      seconds: 5400,
      members: 2,
    });
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

/** A report file as text (CSV) or bytes (XLSX), with the response it came in. */
const download = (path: string, token: string) =>
  catalog
    .http()
    .get(path)
    .set(as(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

async function csvOf(path: string, token: string): Promise<{ disposition: string; records: string[][] }> {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toContain('text/csv');
  const text = (answer.body as Buffer).toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  return { disposition: answer.headers['content-disposition'], records: parse(text.slice(1)) };
}

async function xlsxOf(path: string, token: string): Promise<{ disposition: string; records: unknown[][] }> {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toContain('spreadsheetml');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(answer.body);
  const sheet = book.worksheets[0]!;
  const width = sheet.getRow(1).cellCount;
  const records = Array.from({ length: sheet.rowCount }, (_, r) =>
    Array.from({ length: width }, (_, c) => sheet.getRow(r + 1).getCell(c + 1).value),
  );
  return { disposition: answer.headers['content-disposition'], records };
}

interface JsonTable {
  columns: Array<{ key: string; label: string }>;
  /** Every cell is the text the screen shows. */
  rows: Array<Record<string, string>>;
}
/** The JSON table's display rows in column order: what each export row must hold. */
const cellsOf = (table: JsonTable) => table.rows.map((row) => table.columns.map((c) => row[c.key]));

const memberLectureHeaders = {
  'zh-CN': ['姓名', '账号', '单位', '单位路径', '课时', '课程', '已计时长', '已计学时（小时）', '观看比例', '是否学完', '最近学习'],
  en: ['Name', 'Login', 'Unit', 'Unit path', 'Lecture', 'Course', 'Credited', 'Hours credited (h)', 'Watched', 'Completed', 'Last studied'],
};
const retentionHeaders = {
  'zh-CN': ['视频位置', '观看人数比例'],
  en: ['Position in the video', 'Share of viewers'],
};
/** The file name a Content-Disposition gives in UTF-8. */
const utf8Name = (disposition: string) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '');
const studyToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());

describe('lecture and member exports', () => {
  it('exports one member’s lectures as CSV and XLSX: the JSON table’s rows, each naming the member', async () => {
    const [e1] = await members('committee/east/');
    const json = await catalog.http().get(`/api/reports/members/${e1.id}?lang=en`).set(as(east));
    expect(json.status).toBe(200);
    // The screen's fields stay as they were; the table rides along.
    expect(json.body).toMatchObject({
      member: { id: e1.id, login: e1.login },
      plans: [{ name: '年度学习' }],
      daily: [{ day: today(), hours: 1 }],
    });
    // The lectures are the table's items, sent once.
    expect(json.body.items).toEqual([expect.objectContaining({ lectureId, title: '第一讲', courseTitle: '理论学习', completed: true })]);
    expect(json.body).not.toHaveProperty('lectures');
    expect(json.body).not.toHaveProperty('rows');
    expect(json.body.columns.map((c: { label: string }) => c.label)).toEqual(memberLectureHeaders.en);
    const { name, unitName } = json.body.member;
    // The day of the last study on the platform's calendar, not the test machine's.
    const studiedDay = new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(
      new Date(json.body.items[0].lastStudiedAt),
    );
    expect(json.body.items[0].lastStudiedDay).toBe(studiedDay);
    const cells = await catalog.http().get(`/api/reports/members/${e1.id}?lang=en&format=table`).set(as(east));
    expect(cellsOf(cells.body)).toEqual([
      [name, e1.login, unitName, `东区分会 / ${unitName}`, '第一讲', '理论学习', '1 h', '1.00', '100.0%', 'Completed', studiedDay],
    ]);

    for (const lang of ['zh-CN', 'en'] as const) {
      const screen = (await catalog.http().get(`/api/reports/members/${e1.id}?lang=${lang}&format=table`).set(as(east))).body as JsonTable;
      const csv = await csvOf(`/api/reports/members/${e1.id}?format=csv&lang=${lang}`, east);
      expect(utf8Name(csv.disposition)).toBe(
        `${name} (${e1.login}) - ${unitName} - ${lang === 'en' ? 'lectures' : '课时记录'} - ${studyToday()}.csv`,
      );
      expect(csv.records[0]).toEqual(memberLectureHeaders[lang]);
      expect(csv.records.slice(1)).toEqual(cellsOf(screen));

      const xlsx = await xlsxOf(`/api/reports/members/${e1.id}?format=xlsx&lang=${lang}`, east);
      expect(utf8Name(xlsx.disposition)).toMatch(/\.xlsx$/);
      expect(xlsx.records[0]).toEqual(memberLectureHeaders[lang]);
      // The same cells, with the decimal hours and the share kept as numbers a spreadsheet can sum.
      expect(xlsx.records.slice(1)).toEqual(cellsOf(screen).map((row) => row.map((v, i) => (i === 7 ? Number(v) : i === 8 ? 1 : v))));
    }
    const zh = await csvOf(`/api/reports/members/${e1.id}?format=csv`, east);
    expect(zh.records[1]![9]).toBe('已学完');
  });

  it('exports a lecture’s audience retention as CSV and XLSX, counting only the caller’s subtree', async () => {
    const json = await catalog.http().get(`/api/reports/lectures/${lectureId}`).set(as(east));
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      lectureId,
      title: '第一讲',
      courseTitle: '理论学习',
      viewers: 2,
      completions: 1,
      averageCoverage: 0.75,
    });
    // The retention is the table's items, sent once.
    expect(json.body.items).toHaveLength(50);
    expect(json.body).not.toHaveProperty('retention');
    expect(json.body.columns.map((c: { label: string }) => c.label)).toEqual(retentionHeaders['zh-CN']);
    const table = (await catalog.http().get(`/api/reports/lectures/${lectureId}?format=table`).set(as(east))).body as JsonTable;
    expect(table.rows).toHaveLength(50);
    expect(table.rows[0]).toEqual({ position: '0:01', share: '100.0%' });
    expect(table.rows.at(-1)).toEqual({ position: '1:39', share: '50.0%' });

    for (const lang of ['zh-CN', 'en'] as const) {
      const screen = (await catalog.http().get(`/api/reports/lectures/${lectureId}?lang=${lang}&format=table`).set(as(east)))
        .body as JsonTable;
      const csv = await csvOf(`/api/reports/lectures/${lectureId}?format=csv&lang=${lang}`, east);
      expect(utf8Name(csv.disposition)).toBe(
        `第一讲 - 东区分会 - ${lang === 'en' ? 'audience retention' : '观看留存'} - ${studyToday()}.csv`,
      );
      expect(csv.records[0]).toEqual(retentionHeaders[lang]);
      expect(csv.records.slice(1)).toEqual(cellsOf(screen));

      const xlsx = await xlsxOf(`/api/reports/lectures/${lectureId}?format=xlsx&lang=${lang}`, east);
      expect(xlsx.records[0]).toEqual(retentionHeaders[lang]);
      expect(xlsx.records.slice(1)).toEqual(cellsOf(screen).map(([position, share]) => [position, Number(share.replace('%', '')) / 100]));
    }

    // The west member's viewing is in the committee's file and not in the east branch's.
    const whole = await xlsxOf(`/api/reports/lectures/${lectureId}?format=xlsx`, committee);
    expect(whole.records[1]).toEqual(['0:01', 0.667]);
    expect(whole.records.at(-1)).toEqual(['1:39', 0.667]);
  });

  it('refuses an export outside the caller’s subtree exactly as it refuses the JSON', async () => {
    const [w1] = await members('committee/west/');
    const refused = await catalog.http().get(`/api/reports/members/${w1.id}`).set(as(east));
    expect(refused.status).toBe(404);
    for (const format of ['csv', 'xlsx']) {
      const answer = await catalog.http().get(`/api/reports/members/${w1.id}?format=${format}&lang=en`).set(as(east));
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(answer.headers['content-disposition']).toBeUndefined();
      expect(answer.body).toEqual(refused.body);
    }
    // The committee reaches the west member.
    expect((await catalog.http().get(`/api/reports/members/${w1.id}?format=csv`).set(as(committee))).status).toBe(200);

    // Lectures belong to no branch; one that does not exist is refused the same way in every format.
    const missing = '00000000-0000-4000-8000-000000000000';
    const noLecture = await catalog.http().get(`/api/reports/lectures/${missing}`).set(as(east));
    expect(noLecture.status).toBe(404);
    for (const format of ['csv', 'xlsx']) {
      const answer = await catalog.http().get(`/api/reports/lectures/${missing}?format=${format}`).set(as(east));
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(noLecture.body);
    }

    const member = await catalog.tokenFor('member');
    expect((await catalog.http().get(`/api/reports/lectures/${lectureId}?format=csv`).set(as(member))).status).toBe(403);
    expect((await catalog.http().get(`/api/reports/members/${w1.id}?format=xlsx`).set(as(member))).status).toBe(403);
  });

  it('answers an unknown format or language with 400 and says which values it takes', async () => {
    const [e1] = await members('committee/east/');
    for (const path of [`/api/reports/members/${e1.id}`, `/api/reports/lectures/${lectureId}`]) {
      const format = await catalog.http().get(`${path}?format=pdf`).set(as(east));
      expect(format.status).toBe(400);
      expect(format.body.message).toBe('Invalid request: format: must be json, table, csv or xlsx');
      const lang = await catalog.http().get(`${path}?format=csv&lang=fr`).set(as(east));
      expect(lang.status).toBe(400);
      expect(lang.body.message).toBe('Invalid request: lang: must be zh-CN or en');
    }
  });
});
