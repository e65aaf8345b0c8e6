import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { ExamMemberRow, ExamReport, ExamReportListItem } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishedCourse } from '../../../test/support/study-fixtures.js';
import { insertAttempt, insertExam } from './support/exam-rows.js';

/**
 * The exam reports on a small data set whose figures are worked out by hand below: per unit, per question,
 * the pre/post gain, the members table with its pages, and its exports; each confined to the caller's subtree.
 *
 * Post-test paper (10 points): Q1 single (2), Q2 true/false (2), Q3 short answer (6); pass mark 60 %.
 * - A (east/group-1): attempt 1 graded 4 (2, 0, 2): failed; attempt 2 graded 8 (2, 2, 4): passed. Best 80 %.
 * - B (east/group-2): a graded 10 that was voided (ignored); attempt 2 waits for a grader (0, 2, pending).
 * - C (west/group-1): graded 3 (2, unanswered, 1): failed, 30 %.
 * Pre-test: A 5/10 (50 %), C 4/10 (40 %).
 */

let catalog: CatalogHarness;
let admin: string;
let eastAdmin: string;
let inspector: string;
let postId: string;
let preId: string;
let courseId: string;
let lectureId: string;
const people: Record<'A' | 'B' | 'C', { id: string; login: string }> = {} as never;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);
const unitId = async (path: string) => (await q(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;
const Q = {
  one: '00000000-0000-4000-8000-000000000001',
  two: '00000000-0000-4000-8000-000000000002',
  three: '00000000-0000-4000-8000-000000000003',
};

const makeExam = (title: string, preExamId: string | null = null) => insertExam(catalog.dataSource, title, { preExamId });

const paper = () => [
  {
    questionId: Q.one,
    kind: 'single',
    stem: '第一题',
    options: [],
    key: { keys: ['A'] },
    points: 2,
    explanation: '',
    imageId: null,
    topic: '党史',
    courseId,
    lectureId,
  },
  {
    questionId: Q.two,
    kind: 'true_false',
    stem: '第二题',
    options: [],
    key: { value: true },
    points: 2,
    explanation: '',
    imageId: null,
    topic: null,
    courseId: null,
    lectureId: null,
  },
  {
    questionId: Q.three,
    kind: 'short_answer',
    stem: '第三题',
    options: [],
    key: { reference: '' },
    points: 6,
    explanation: '',
    imageId: null,
    topic: null,
    courseId,
    lectureId: null,
  },
];

/** An attempt submitted with the points of each item (undefined: not answered; null: waiting for a grader). */
async function attempt(examId: string, userId: string, points: Array<number | null | undefined>, items = paper()): Promise<string> {
  const pending = points.some((p) => p === null);
  const score = points.reduce<number>((sum, p) => sum + (p ?? 0), 0);
  const attemptId = await insertAttempt(catalog.dataSource, examId, userId, { score, pending, paper: items });
  for (const [item, given] of points.entries()) {
    if (given === undefined) continue;
    await q(`INSERT INTO exam_answers (attempt_id, item, answer, points) VALUES ($1, $2, '{"keys": ["A"]}', $3)`, [attemptId, item, given]);
  }
  return attemptId;
}

/** Everyone the report counts under `path`: the active members and editors there (the exam is for the whole committee). */
const audienceUnder = async (path: string) =>
  (
    await q(
      `SELECT count(*)::int AS n FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role IN ('member', 'editor') AND u.active AND (o.path = $1 OR o.path LIKE $1 || '/%')`,
      [path],
    )
  )[0].n as number;

const get = async <T>(path: string, token: string) => {
  const answer = await catalog.http().get(path).set(as(token));
  expect(answer.status).toBe(200);
  return answer.body as T;
};

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

async function allMembers(examId: string, token: string, query = ''): Promise<ExamMemberRow[]> {
  const rows: ExamMemberRow[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: ExamMemberRow[]; nextCursor: string | null } = await get(
      `/api/reports/exams/${examId}/members?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`,
      token,
    );
    expect(page.items.length).toBeLessThanOrEqual(2);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

beforeAll(async () => {
  catalog = await startCatalog();
  admin = await catalog.tokenFor('admin');
  eastAdmin = await catalog.tokenFor('east-admin');
  inspector = await catalog.tokenFor('inspector');
  ({
    courseId,
    lectures: [lectureId],
  } = (await publishedCourse(catalog, '党史学习', ['第一讲'])) as { courseId: string; lectures: [string] });
  const pick = async (path: string) =>
    (
      await q(
        `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
          WHERE o.path = $1 AND u.role = 'member' AND u.active ORDER BY u.login = 'member' DESC, u.login LIMIT 1`,
        [path],
      )
    )[0];
  people.A = await pick('committee/east/group-1');
  people.B = await pick('committee/east/group-2');
  people.C = await pick('committee/west/group-1');
  preId = await makeExam('前测');
  postId = await makeExam('后测', preId);
  await attempt(postId, people.A.id, [2, 0, 2]);
  await attempt(postId, people.A.id, [2, 2, 4]);
  const voided = await attempt(postId, people.B.id, [2, 2, 6]);
  await q(`UPDATE exam_attempts SET status = 'voided', voided_at = now(), void_reason = 'test: another person sat it' WHERE id = $1`, [
    voided,
  ]);
  await attempt(postId, people.B.id, [0, 2, null]);
  await attempt(postId, people.C.id, [2, undefined, 1]);
  await attempt(preId, people.A.id, [2, 2, 1]);
  await attempt(preId, people.C.id, [2, 0, 2]);
  // A draft is nobody's report yet.
  await q(`UPDATE exams SET status = 'draft' WHERE id = (SELECT id FROM exams WHERE id = $1)`, [await makeExam('草稿')]);
}, 120_000);
afterAll(() => catalog.close());

describe('exam reports', () => {
  it('lists the exams with their audience, taken and passed, drafts left out', async () => {
    const list = await get<ExamReportListItem[]>('/api/reports/exams', admin);
    expect(list.map((e) => e.title).sort()).toEqual(['前测', '后测']);
    expect(list.find((e) => e.examId === postId)).toMatchObject({
      status: 'published',
      audienceCount: await audienceUnder('committee'),
      taken: 3,
      passed: 1,
    });
    expect((await get<ExamReportListItem[]>('/api/reports/exams', inspector)).length).toBe(2);
    expect(
      (
        await catalog
          .http()
          .get('/api/reports/exams')
          .set(as(await catalog.tokenFor('member')))
      ).status,
    ).toBe(403);
  });

  it('counts each unit by its members’ best attempt, voided attempts ignored', async () => {
    const report = await get<ExamReport>(`/api/reports/exams/${postId}`, admin);
    const audience = await audienceUnder('committee');
    expect(report).toMatchObject({ title: '后测', passPercent: 60, maxScore: 10 });
    expect(report.totals).toEqual({ audience, taken: 3, passed: 1, failed: 1, grading: 1, notTaken: audience - 3, averagePercent: 55 });
    const unit = (path: string) => report.units.find((u) => u.unit.path === path);
    expect(unit('committee')).toMatchObject(report.totals);
    expect(unit('committee/east')).toMatchObject({ taken: 2, passed: 1, failed: 0, grading: 1, averagePercent: 80 });
    expect(unit('committee/east/group-2')).toMatchObject({ taken: 1, grading: 1, averagePercent: null });
    expect(unit('committee/west')).toMatchObject({ taken: 1, failed: 1, averagePercent: 30 });
  });

  it('gives each question its pass rate and average share of its points', async () => {
    const { questions } = await get<ExamReport>(`/api/reports/exams/${postId}`, admin);
    expect(questions).toEqual([
      {
        questionId: Q.one,
        stem: '第一题',
        kind: 'single',
        topic: '党史',
        courseTitle: '党史学习',
        lectureTitle: '第一讲',
        answered: 4,
        correctShare: 0.75,
        averageShare: 0.75,
      },
      expect.objectContaining({ questionId: Q.two, answered: 3, correctShare: 0.5, averageShare: 0.5, courseTitle: null }),
      // The pending answer is not counted yet: (2 + 4 + 1) / 6 over three answers.
      expect.objectContaining({
        questionId: Q.three,
        answered: 4,
        correctShare: 0,
        averageShare: Math.round((7 / 18) * 10_000) / 10_000,
        lectureTitle: null,
      }),
    ]);
  });

  it('compares a post-test with its pre-test over the members who sat both', async () => {
    const report = await get<ExamReport>(`/api/reports/exams/${postId}`, admin);
    expect(report.prePost).toEqual({ preExamId: preId, preTitle: '前测', paired: 2, averageBefore: 45, averageAfter: 55, averageGain: 10 });
    expect((await get<ExamReport>(`/api/reports/exams/${preId}`, admin)).prePost).toBeNull();
    const rows = await allMembers(postId, admin);
    expect(rows.find((r) => r.member.id === people.A.id)).toMatchObject({
      outcome: 'passed',
      attempts: 2,
      bestScore: 8,
      bestPercent: 80,
      beforePercent: 50,
      gain: 30,
    });
    expect(rows.find((r) => r.member.id === people.C.id)).toMatchObject({ outcome: 'failed', beforePercent: 40, gain: -10 });
    expect(rows.find((r) => r.member.id === people.B.id)).toMatchObject({ outcome: 'grading', attempts: 1, bestScore: null, gain: null });
  });

  it('pages the members table by unit and login, and filters it by outcome', async () => {
    const rows = await allMembers(postId, admin);
    expect(rows.length).toBe(await audienceUnder('committee'));
    expect(new Set(rows.map((r) => r.member.id)).size).toBe(rows.length);
    const keys = rows.map((r) => [r.member.unitPath, r.member.login]);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] === b[0] ? (a[1]! < b[1]! ? -1 : 1) : a[0]! < b[0]! ? -1 : 1)));
    expect((await allMembers(postId, admin, '&outcome=failed')).map((r) => r.member.id)).toEqual([people.C.id]);
    const notTaken = await allMembers(postId, admin, '&outcome=not_taken');
    expect(notTaken.length).toBe((await audienceUnder('committee')) - 3);
    const west = await allMembers(postId, admin, `&unitId=${await unitId('committee/west')}`);
    expect(west.every((r) => r.member.unitPath.startsWith('committee/west'))).toBe(true);
    expect(west.length).toBe(await audienceUnder('committee/west'));
    const bad = await catalog.http().get(`/api/reports/exams/${postId}/members?outcome=maybe&limit=500`).set(as(admin));
    expect(bad.status).toBe(400);
    const lost = await catalog.http().get(`/api/reports/exams/${postId}/members?cursor=nonsense`).set(as(admin));
    expect(lost.status).toBe(400);
    expect(lost.body.message).toContain('first page');
  });

  it('shows a branch admin only their branch’s members', async () => {
    const report = await get<ExamReport>(`/api/reports/exams/${postId}`, eastAdmin);
    const audience = await audienceUnder('committee/east');
    expect(report.totals).toEqual({ audience, taken: 2, passed: 1, failed: 0, grading: 1, notTaken: audience - 2, averagePercent: 80 });
    expect(report.units.map((u) => u.unit.path).every((p) => p.startsWith('committee/east'))).toBe(true);
    // Q1 over A's two attempts and B's: 2, 2, 0.
    expect(report.questions[0]).toMatchObject({ answered: 3, correctShare: 0.6667, averageShare: 0.6667 });
    // C's pre/post pair is the west's.
    expect(report.prePost).toMatchObject({ paired: 1, averageBefore: 50, averageAfter: 80, averageGain: 30 });
    const rows = await allMembers(postId, eastAdmin);
    expect(rows.length).toBe(audience);
    expect(rows.some((r) => r.member.id === people.C.id)).toBe(false);
    const west = await catalog
      .http()
      .get(`/api/reports/exams/${postId}/members?unitId=${await unitId('committee/west')}`)
      .set(as(eastAdmin));
    expect(west.status).toBe(404);
    const csv = (await download(`/api/reports/exams/${postId}/export.csv`, eastAdmin)).body as Buffer;
    expect(csv.toString('utf8')).not.toContain(people.C.login);
  });

  it('exports the members table’s columns as CSV and XLSX', async () => {
    const rows = await allMembers(postId, admin);
    const csvAnswer = await download(`/api/reports/exams/${postId}/export.csv`, admin);
    expect(csvAnswer.status).toBe(200);
    expect(csvAnswer.headers['content-type']).toContain('text/csv');
    expect(decodeURIComponent(csvAnswer.headers['content-disposition'])).toContain('后测');
    const records = parse((csvAnswer.body as Buffer).toString('utf8').replace(/^\ufeff/, '')) as string[][];
    expect(records[0]).toEqual([
      '姓名',
      '账号',
      '单位',
      '单位路径',
      '考试结果',
      '考试次数',
      '最好成绩',
      '得分率',
      '最近交卷时间',
      '前测得分率',
      '提升（百分点）',
    ]);
    expect(records.length - 1).toBe(rows.length);
    const a = records.find((r) => r[1] === people.A.login)!;
    expect(a.slice(4, 8)).toEqual(['通过', '2', '8', '80.0%']);
    expect(a[8]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(a.slice(9)).toEqual(['50.0%', '30.00']);
    expect(records.find((r) => r[1] === people.B.login)!.slice(4, 8)).toEqual(['待阅卷', '1', '—', '—']);

    const english = parse(
      ((await download(`/api/reports/exams/${postId}/export?format=csv&lang=en`, admin)).body as Buffer)
        .toString('utf8')
        .replace(/^\ufeff/, ''),
    ) as string[][];
    expect(english[0]!.slice(0, 5)).toEqual(['Name', 'Login', 'Unit', 'Unit path', 'Outcome']);
    expect(english.find((r) => r[1] === people.C.login)![4]).toBe('Failed');

    const xlsxAnswer = await download(`/api/reports/exams/${postId}/export.xlsx`, admin);
    expect(xlsxAnswer.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsxAnswer.body);
    const sheet = book.worksheets[0]!;
    const header = Array.from({ length: records[0]!.length }, (_, c) => sheet.getRow(1).getCell(c + 1).value);
    expect(header).toEqual(records[0]);
    expect(sheet.rowCount - 1).toBe(rows.length);
    const row = Array.from({ length: sheet.rowCount }, (_, r) => sheet.getRow(r + 1)).find((r) => r.getCell(2).value === people.A.login)!;
    expect(row.getCell(7).value).toBe(8);
    expect(row.getCell(8).value).toBe(0.8);
    expect(row.getCell(8).numFmt).toBe('0.0%');
  });
});
