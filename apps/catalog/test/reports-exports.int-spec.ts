import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { formatDuration } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

/**
 * Exports say what the screen says (names, not paths or codes; the viewer's language; the shared duration
 * and percentage rule) under a file name that says what they are, and every count is of active members of
 * the caller's own subtree.
 */

let catalog: CatalogHarness;
let committee: string;
let east: string;
let planId: string;
let lectureId: string;
let courseId: string;
const planName = '2026 年度学习';
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
let today = '';

const members = async (path: string) =>
  (await catalog.dataSource.query(
    `SELECT u.id, u.login, u.category, u.active FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE u.role = 'member' AND (o.path = $1 OR o.path LIKE $1 || '/%') ORDER BY u.login`,
    [path],
  )) as Array<{ id: string; login: string; category: string | null; active: boolean }>;

async function studied(userId: string, seconds: number) {
  await catalog.dataSource.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)`, [
    userId,
    lectureId,
    today,
    seconds,
  ]);
  await catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec) VALUES ($1, $2, '[[0, 90]]', 90, $3, 90)`,
    [userId, lectureId, seconds],
  );
}

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

/** The UTF-8 file name of a Content-Disposition, and its ASCII fallback. */
function fileNames(disposition: string): { utf8: string; ascii: string } {
  const star = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const plain = /filename="([^"]+)"/.exec(disposition);
  return { utf8: decodeURIComponent(star?.[1] ?? ''), ascii: plain?.[1] ?? '' };
}

async function csvOf(path: string, token: string) {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  const text = (answer.body as Buffer).toString('utf8');
  return { text, names: fileNames(answer.headers['content-disposition']), records: parse(text.replace(/^\ufeff/, '')) as string[][] };
}

async function xlsxOf(path: string, token: string) {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(answer.body);
  const sheet = book.worksheets[0]!;
  const width = sheet.getRow(1).cellCount;
  const cells = Array.from({ length: sheet.rowCount }, (_, r) =>
    Array.from({ length: width }, (_, c) => sheet.getRow(r + 1).getCell(c + 1)),
  );
  return { names: fileNames(answer.headers['content-disposition']), sheet, cells };
}

interface Screen {
  columns: Array<{ key: string; label: string }>;
  rows: Array<Record<string, string>>;
}
/** The screen's table as text cells (`format=table`): what each export row must hold. */
const screenOf = async (path: string, token: string) =>
  (
    await catalog
      .http()
      .get(`${path}${path.includes('?') ? '&' : '?'}format=table`)
      .set(as(token))
  ).body as Screen;
const cellsOf = (screen: Screen) => screen.rows.map((row) => screen.columns.map((c) => row[c.key]));

beforeAll(async () => {
  catalog = await startCatalog();
  committee = await catalog.tokenFor('admin');
  east = await catalog.tokenFor('east-admin');
  today = new Intl.DateTimeFormat('en-CA', { timeZone: catalog.env.STUDY_TIME_ZONE }).format(new Date());
  const editor = await catalog.tokenFor('editor');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  courseId = (await catalog.http().post('/api/courses').set(as(editor)).send({ title: '理论学习', categoryId: categories.body[0].id })).body
    .id;
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  await catalog.dataSource.query(`UPDATE lecture_media SET duration_sec = 90 WHERE asset_id = $1`, [assetId]);
  lectureId = (await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: '第一讲', assetId })).body.id;
  await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor));
  planId = (
    await catalog
      .http()
      .post('/api/study-plans')
      .set(as(committee))
      .send({ name: planName, periodStart: daysFromToday(-10), periodEnd: daysFromToday(10), requiredHours: 1 })
  ).body.id;
  // The demo member (离退休, 东区第一小组) studied 90 s; another east member 45 min.
  const [demo] = (await members('committee/east/group-1')).filter((m) => m.login === 'member');
  await studied(demo!.id, 90);
  const other = (await members('committee/east/group-2'))[0]!;
  await studied(other.id, 45 * 60);
}, 120_000);
afterAll(() => catalog.close());

describe('exports say what the screen says', () => {
  it('names units and categories as the screen does, in the viewer’s language, never by path or code', async () => {
    for (const [lang, retired, kind] of [
      ['zh-CN', '离退休', '学员'],
      ['en', 'Retired', 'members'],
    ] as const) {
      const screen = await screenOf(`/api/reports/plans/${planId}/members?lang=${lang}`, east);
      const csv = await csvOf(`/api/reports/plans/${planId}/members?format=csv&lang=${lang}`, east);
      expect(csv.text).not.toMatch(/committee\//);
      expect(csv.records[0]).toEqual(screen.columns.map((c) => c.label));
      expect(csv.records.slice(1)).toEqual(cellsOf(screen));
      const header = csv.records[0]!;
      const demo = csv.records.find((r) => r[1] === 'member')!;
      expect(demo[header.indexOf(lang === 'en' ? 'Unit' : '单位')]).toBe('东区第一小组');
      expect(demo[header.indexOf(lang === 'en' ? 'Unit path' : '单位路径')]).toBe('东区分会 / 东区第一小组');
      expect(demo[header.indexOf(lang === 'en' ? 'Category' : '人员类别')]).toBe(retired);
      expect(demo[header.indexOf(lang === 'en' ? 'Hours earned' : '已获学时')]).toBe(formatDuration(90, lang));
      expect(csv.names.utf8).toBe(`${planName} - 东区分会 - ${kind} - ${today}.csv`);
      expect(csv.names.ascii).toBe(`plan-committee-east-members-${today}.csv`);

      const xlsx = await xlsxOf(`/api/reports/plans/${planId}/members?format=xlsx&lang=${lang}`, east);
      expect(xlsx.names.utf8).toBe(`${planName} - 东区分会 - ${kind} - ${today}.xlsx`);
      // The same cells; counts and decimal hours stay numbers a spreadsheet can sum.
      expect(xlsx.cells.map((row) => row.map((cell) => cell.value))).toEqual(
        csv.records.map((row, r) => row.map((text, c) => (r > 0 && typeof xlsx.cells[r]![c]!.value === 'number' ? Number(text) : text))),
      );
    }
  });

  it('names the file of one unit’s members after that unit', async () => {
    const [group] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`);
    const csv = await csvOf(`/api/reports/plans/${planId}/members?format=csv&unitId=${group.id}`, east);
    expect(csv.names.utf8).toBe(`${planName} - 东区第一小组 - 学员 - ${today}.csv`);
    expect(csv.names.ascii).toBe(`plan-committee-east-group-1-members-${today}.csv`);
  });

  it('exports the overview with the on-track column, unindented unit names beside their path of names, and percentages', async () => {
    const screen = await screenOf(`/api/reports/plans/${planId}/overview`, east);
    const csv = await csvOf(`/api/reports/plans/${planId}/overview?format=csv`, east);
    expect(csv.records[0]).toEqual(screen.columns.map((c) => c.label));
    expect(csv.records[0]).toContain('进度正常');
    expect(csv.records.slice(1)).toEqual(cellsOf(screen));
    expect(csv.records.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ['东区分会', '东区分会'],
      ['东区第一小组', '东区分会 / 东区第一小组'],
      ['东区第二小组', '东区分会 / 东区第二小组'],
    ]);
    for (const record of csv.records) for (const cell of record) expect(cell).toBe(cell.trim());
    const percent = csv.records[0]!.indexOf('达标率');
    for (const record of csv.records.slice(1)) expect(record[percent]).toMatch(/^\d+\.\d%$/);
    expect(csv.names.utf8).toBe(`${planName} - 东区分会 - 单位汇总 - ${today}.csv`);

    const xlsx = await xlsxOf(`/api/reports/plans/${planId}/overview?format=xlsx&lang=en`, east);
    const header = xlsx.cells[0]!.map((c) => c.text);
    expect(header).toContain('On track');
    const cell = xlsx.cells[1]![header.indexOf('% met')]!;
    expect(typeof cell.value).toBe('number');
    expect(cell.numFmt).toBe('0.0%');
    expect(xlsx.names.utf8).toBe(`${planName} - 东区分会 - units - ${today}.xlsx`);
  });

  it('words durations by one rule in the course, lecture and member exports, and names each file', async () => {
    const courses = await csvOf(`/api/reports/courses?format=csv`, east);
    const course = courses.records.find((r) => r[0] === '理论学习')!;
    expect(course[courses.records[0]!.indexOf('总学时')]).toBe(formatDuration(90 + 45 * 60, 'zh-CN'));
    expect(course[courses.records[0]!.indexOf('总学时（小时）')]).toBe('0.78');
    expect(courses.names.utf8).toBe(`东区分会 - 课程统计 - ${today}.csv`);

    const lecture = await csvOf(`/api/reports/lectures/${lectureId}?format=csv&lang=en`, east);
    expect(lecture.names.utf8).toBe(`第一讲 - 东区分会 - audience retention - ${today}.csv`);
    expect(lecture.names.ascii).toBe(`lecture-committee-east-audience-retention-${today}.csv`);
    expect(lecture.records[1]).toEqual(['0:00', '100.0%']);

    const [demo] = (await members('committee/east/group-1')).filter((m) => m.login === 'member');
    const screen = await screenOf(`/api/reports/members/${demo!.id}?lang=en`, east);
    const member = await csvOf(`/api/reports/members/${demo!.id}?format=csv&lang=en`, east);
    expect(member.records.slice(1)).toEqual(cellsOf(screen));
    expect((screen as unknown as { member: { unitTrail: string } }).member.unitTrail).toBe('东区分会 / 东区第一小组');
    expect(member.records[1]!.slice(2, 4)).toEqual(['东区第一小组', '东区分会 / 东区第一小组']);
    expect(member.records[1]![member.records[0]!.indexOf('Credited')]).toBe('1 min 30 s');
    expect(member.names.utf8).toBe(`王秀英 (member) - 东区第一小组 - lectures - ${today}.csv`);
  });
});

describe('the trend export', () => {
  it('lists the days up to today, as the chart draws them, with the day’s study in words and in hours', async () => {
    const csv = await csvOf(`/api/reports/plans/${planId}/trend?format=csv`, east);
    expect(csv.records[0]).toEqual(['日期', '学时', '学时（小时）', '学习人数']);
    expect(csv.records.at(-1)).toEqual([today, formatDuration(90 + 45 * 60, 'zh-CN'), '0.78', '2']);
    expect(csv.records[1]![0]).toBe(daysFromToday(-10));
    expect(csv.records.slice(1).every(([day]) => day! <= today)).toBe(true);
    expect(csv.names.utf8).toBe(`${planName} - 东区分会 - 学习趋势 - ${today}.csv`);
  });
});

describe('counts are of active members of the caller’s subtree', () => {
  it('counts only active members in the unit picker', async () => {
    const group = await members('committee/east/group-1');
    const before = (await catalog.http().get('/api/org-units').set(as(east))).body as Array<{ path: string; memberCount: number }>;
    expect(before.find((u) => u.path === 'committee/east/group-1')!.memberCount).toBe(group.filter((m) => m.active).length);
    const gone = group.find((m) => m.login !== 'member' && m.active)!;
    await catalog.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [gone.id]);
    try {
      const after = (await catalog.http().get('/api/org-units').set(as(east))).body as Array<{ path: string; memberCount: number }>;
      expect(after.find((u) => u.path === 'committee/east/group-1')!.memberCount).toBe(group.filter((m) => m.active).length - 1);
    } finally {
      await catalog.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [gone.id]);
    }
  });

  it('gives each plan’s member count within the caller’s subtree, as its overview counts them', async () => {
    const eastActive = (await members('committee/east')).filter((m) => m.active).length;
    const allActive = (await members('committee')).filter((m) => m.active).length;
    const mine = await catalog.http().get('/api/reports/plans/member-counts').set(as(east));
    expect(mine.status).toBe(200);
    expect(mine.body.counts[planId]).toBe(eastActive);
    const whole = await catalog.http().get('/api/reports/plans/member-counts').set(as(committee));
    expect(whole.body.counts[planId]).toBe(allActive);
    expect(allActive).toBeGreaterThan(eastActive);
    const overview = await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=true`).set(as(east));
    expect(overview.body.items[0].members).toBe(eastActive);
    expect(
      (
        await catalog
          .http()
          .get('/api/reports/plans/member-counts')
          .set(as(await catalog.tokenFor('member')))
      ).status,
    ).toBe(403);
  });

  it('gives the overview’s averages in seconds, so a little study does not read as 0', async () => {
    const overview = await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=true`).set(as(east));
    const branch = overview.body.items[0];
    expect(branch.totalSec).toBe(Math.round((90 + 45 * 60) / 36) * 36);
    expect(branch.averageSec).toBe(Math.round(branch.totalSec / branch.members));
    expect(branch.averageSec).toBeGreaterThan(0);
  });
});
