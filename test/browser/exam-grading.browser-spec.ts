import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { captureDownload, type SignInDetails } from '../support/browser.js';
import { browserSuite, desktop, expectTidy, messagesOf, namedLike, phone, type Locale, type Viewport } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const examTitle = '社区治理结业考试';
const shortStem = '请简述社区议事会的三个步骤。';
const reference = '提出议题、协商讨论、形成决议并公示。';
const memberText = '第一步，居民提出议题；\n第二步，议事会协商讨论；\n第三步，形成决议并在公告栏公示。';
const trueFalseStem = '社区议事会的决议应当向居民公示。';
const device = 'exam-grading-spec-device-0001';
let examId = '';
let attemptId = '';
let shortQuestionId = '';

/** A published exam for the east branch, straight into the database: a true/false and a short answer, 10 points each. */
async function publishExam(): Promise<string> {
  const db = suite.db;
  const [{ unitId, editorId }] = await db.query(
    `SELECT (SELECT id FROM org_units WHERE path = 'committee') AS "unitId", (SELECT id FROM users WHERE login = 'editor') AS "editorId"`,
  );
  const question = async (kind: string, stem: string, answer: unknown) =>
    (
      await db.query(
        `INSERT INTO exam_questions (owner_unit_id, kind, stem, options, answer, points, explanation, created_by)
         VALUES ($1, $2, $3, '[]', $4, 10, '', $5) RETURNING id`,
        [unitId, kind, stem, JSON.stringify(answer), editorId],
      )
    )[0].id as string;
  const trueFalseId = await question('true_false', trueFalseStem, { value: true });
  shortQuestionId = await question('short_answer', shortStem, { reference });
  const questionIds = [trueFalseId, shortQuestionId];
  const [{ id }] = await db.query(
    `INSERT INTO exams (owner_unit_id, title, paper_kind, time_limit_min, pass_percent, max_attempts, shuffle_questions,
                        shuffle_options, opens_at, closes_at, show_answers, status, created_by, published_at)
     VALUES ($1, $2, 'fixed', 30, 60, 1, false, false, now() - interval '1 day', now() + interval '30 days', false, 'published', $3, now())
     RETURNING id`,
    [unitId, examTitle, editorId],
  );
  await db.query(
    `INSERT INTO exam_fixed_items (exam_id, question_id, position) SELECT $1, q, n - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(q, n)`,
    [id, questionIds],
  );
  await db.query(`INSERT INTO exam_units (exam_id, org_unit_id) SELECT $1, id FROM org_units WHERE path = 'committee/east'`, [id]);
  return id;
}

/** One call of the member's exam API, from the member's one device. */
async function asMember<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${suite.stack.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-exam-device': device },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  examId = await publishExam();
  // The demo member sits it: the true/false right, the short answer in three lines, then submits.
  const member = await suite.tokenOf(suite.stack.demo.member);
  const paper = await asMember<{ attemptId: string; questions: Array<{ item: number; kind: string }> }>(
    member,
    'POST',
    `/api/me/exams/${examId}/attempts`,
  );
  attemptId = paper.attemptId;
  for (const q of paper.questions) {
    const answer = q.kind === 'true_false' ? { value: true } : { text: memberText };
    await asMember(member, 'PUT', `/api/me/attempts/${attemptId}/answers/${q.item}`, { answer, baseRevision: 0 });
  }
  const result = await asMember<{ status: string; pendingItems: number }>(member, 'POST', `/api/me/attempts/${attemptId}/submit`);
  expect(result).toMatchObject({ status: 'grading', pendingItems: 1 });
}, 180_000);

const open = (user: SignInDetails, locale: Locale, viewport: Viewport) => suite.open(user, { locale, viewport, acceptDownloads: true });

/** The member's row of the report's members table. */
const memberRow = (page: Page) => page.locator('tr[data-login="member"]');

describe('grading a short answer and reporting the exam', () => {
  it('shows the grader the waiting short answer, in Chinese on a phone, and saves the score', async () => {
    const zh = messagesOf('zh-CN');
    const page = await open(suite.stack.demo.editor, 'zh-CN', phone);
    await page.goto('/grading');
    await page.getByRole('heading', { level: 1, name: zh.examAdmin.grading.title }).waitFor();
    const item = page.getByRole('listitem').filter({ hasText: shortStem });
    await item.getByText(examTitle, { exact: true }).waitFor();
    await item.getByText(zh.examAdmin.grading.pendingCount.replace('{{count}}', '1')).waitFor();
    // Only the short answer waits: the true/false was scored at submission.
    expect(await page.getByRole('listitem').filter({ hasText: trueFalseStem }).count()).toBe(0);
    await expectTidy(page, 'exam-grading-queue-zh-phone');

    await item.getByRole('link', { name: namedLike(zh.examAdmin.grading.open, `：${examTitle} — ${shortStem}`) }).click();
    await page.getByRole('heading', { level: 1, name: `阅卷：${examTitle}` }).waitFor();
    const card = page.locator('.grading-card');
    await card.getByText(suite.stack.demo.member.name, { exact: true }).waitFor();
    await card.getByText('东区第一小组').waitFor();
    await card.getByText(reference).waitFor();
    expect(await card.locator('.grading-card__answer').innerText()).toBe(memberText);
    await expectTidy(page, 'exam-grading-answer-zh-phone');

    // Out of range: refused in the page, nothing sent.
    const score = page.getByLabel('得分（0–10）');
    await score.fill('11');
    await page.getByRole('button', { name: zh.examAdmin.grading.saveNext }).click();
    await page.getByRole('alert').filter({ hasText: '请填写 0 到 10 之间的分数' }).waitFor();
    expect(await score.getAttribute('aria-invalid')).toBe('true');

    // The quick "half" button, then a half point more by hand.
    await page.getByRole('button', { name: '一半（5 分）' }).click();
    expect(await score.inputValue()).toBe('5');
    await score.fill('7.5');
    await page.getByLabel(zh.examAdmin.grading.comment).fill('步骤完整，公示环节可以再具体些。');
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/grading/answers'));
    await page.getByRole('button', { name: zh.examAdmin.grading.saveNext }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText(zh.examAdmin.grading.allDone).waitFor();
    await expectTidy(page, 'exam-grading-done-zh-phone');

    const [answer] = await suite.db.query(
      `SELECT points::float8 AS points, grader_comment FROM exam_answers WHERE attempt_id = $1 AND points IS NOT NULL AND grader_comment IS NOT NULL`,
      [attemptId],
    );
    expect(answer).toEqual({ points: 7.5, grader_comment: '步骤完整，公示环节可以再具体些。' });

    // The graded answer can be opened again from the list.
    await page.getByRole('button', { name: new RegExp(`${suite.stack.demo.member.name}.*已阅 7.5 分`) }).click();
    expect(await page.getByLabel('得分（0–10）').inputValue()).toBe('7.5');
    await page.getByRole('button', { name: zh.examAdmin.grading.regrade }).waitFor();

    // Back on the queue, nothing waits.
    await page.goto('/grading');
    await page.getByText(zh.examAdmin.grading.allDone).waitFor();
    await expectTidy(page, 'exam-grading-empty-zh-phone');

    // The graded answer at a desk, in English: the score and who gave it.
    const en = messagesOf('en');
    const desk = await open(suite.stack.demo.editor, 'en', desktop);
    await desk.goto(`/grading/exams/${examId}/questions/${shortQuestionId}`);
    await desk.getByRole('heading', { level: 1, name: en.examAdmin.grading.title }).waitFor();
    await desk.getByText(en.examAdmin.grading.allDone).waitFor();
    await desk.getByRole('button', { name: new RegExp(`${suite.stack.demo.member.name}.*Graded 7.5`) }).click();
    await desk.getByText(new RegExp(`Graded: 7.5 points, by ${suite.stack.demo.editor.name}`)).waitFor();
    expect(await desk.getByLabel('Score (0–10)').inputValue()).toBe('7.5');
    await expectTidy(desk, 'exam-grading-answer-en-desktop');
  });

  it('shows the branch admin the member passed with the score, in the page and in both exports (English, desktop)', async () => {
    const en = messagesOf('en');
    const page = await open(suite.stack.demo.branchAdmin, 'en', desktop);
    await page.goto('/reports');
    await page.getByRole('link', { name: en.examAdmin.reports.cardTitle }).click();
    await page.getByRole('heading', { level: 1, name: en.examAdmin.reports.title }).waitFor();
    const listRow = page.getByRole('row').filter({ hasText: examTitle });
    await listRow.waitFor();
    await expectTidy(page, 'exam-reports-en-desktop');

    await listRow.getByRole('link', { name: examTitle }).click();
    await page.getByRole('heading', { level: 1, name: examTitle }).waitFor();
    const row = memberRow(page);
    await row.getByText(en.examAdmin.report.outcomes.passed).waitFor();
    // 10 for the true/false and 7.5 for the short answer, of 20.
    await row.getByText('17.5 / 20').waitFor();
    await row.getByText('87.5%').waitFor();
    const totals = page.locator('.stat-grid').first();
    expect(await totals.locator('.stat').filter({ hasText: en.examAdmin.report.passed }).locator('dd').innerText()).toBe('1');
    // The question table: the short answer (not full marks) comes before the true/false.
    const stems = await page.locator('.exam-question-table tbody th').allInnerTexts();
    expect(stems).toEqual([`1. ${shortStem}`, `2. ${trueFalseStem}`]);
    await page.getByRole('img', { name: new RegExp(en.examAdmin.report.questionsChart) }).waitFor();
    await expectTidy(page, 'exam-report-en-desktop');

    const xlsx = await captureDownload(page, () =>
      page.getByRole('button', { name: namedLike(en.exports.xlsx, `: ${en.examAdmin.report.exportName}`) }).click(),
    );
    expect(xlsx.name).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.worksheets[0]!.eachRow((r) => r.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells).toContain(suite.stack.demo.member.name);
    expect(cells.some((value) => value === '17.5' || value.startsWith('17.5'))).toBe(true);

    const csv = await captureDownload(page, () =>
      page.getByRole('button', { name: namedLike(en.exports.csv, `: ${en.examAdmin.report.exportName}`) }).click(),
    );
    expect(csv.name).toMatch(/\.csv$/);
    const rows = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const memberLine = rows.find((line) => line.includes(suite.stack.demo.member.name));
    expect(memberLine).toBeDefined();
    expect(memberLine!.some((value) => value === '17.5' || value.startsWith('17.5'))).toBe(true);
  });

  it('voids the attempt with a reason, grants another, and the audit page lists what happened (Chinese, phone)', async () => {
    const zh = messagesOf('zh-CN');
    const page = await open(suite.stack.demo.branchAdmin, 'zh-CN', phone);
    await page.goto(`/reports/exams/${examId}`);
    await page.getByRole('heading', { level: 1, name: examTitle }).waitFor();
    await memberRow(page).getByText('17.5 / 20').waitFor();
    await expectTidy(page, 'exam-report-zh-phone');

    await memberRow(page)
      .getByRole('button', { name: namedLike(zh.examAdmin.report.attempts, `：${suite.stack.demo.member.name}`) })
      .click();
    const panel = page.locator('.member-attempts');
    await panel.getByRole('heading', { name: `${suite.stack.demo.member.name} 的考试记录` }).waitFor();
    await panel.getByRole('button', { name: namedLike(zh.examAdmin.attempts.void, '：第 1 次') }).click();

    // No reason: refused in the page.
    await panel.getByRole('button', { name: zh.examAdmin.attempts.void, exact: true }).click();
    await panel.getByRole('alert').filter({ hasText: zh.examAdmin.attempts.reasonRequired }).waitFor();
    const reason = '考试时有人代答，经核实作废。';
    await panel.getByLabel(zh.examAdmin.attempts.reason).fill(reason);
    await panel.getByRole('button', { name: zh.examAdmin.attempts.void, exact: true }).click();
    // A second step asks before anything is sent.
    await panel.getByText(`确定要作废 ${suite.stack.demo.member.name} 的第 1 次考试吗？`).waitFor();
    await expectTidy(page, 'exam-void-confirm-zh-phone');
    const voided = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/exam-attempts/${attemptId}/void`));
    await panel.getByRole('button', { name: zh.examAdmin.attempts.voidConfirm }).click();
    expect((await voided).status()).toBe(200);
    await panel.getByText('已作废第 1 次考试。').waitFor();
    await panel.getByText(`作废原因：${reason}`).waitFor();
    // The member no longer counts as passed.
    await memberRow(page).getByText(zh.examAdmin.report.outcomes.not_taken).waitFor();

    await panel.getByRole('button', { name: zh.examAdmin.attempts.grant }).click();
    await panel.getByLabel(zh.examAdmin.attempts.reason).fill('作废后补考一次。');
    await panel.getByRole('button', { name: zh.examAdmin.attempts.grantConfirm }).click();
    await panel.getByText(`已为 ${suite.stack.demo.member.name} 增加一次考试机会。`).waitFor();
    const [grant] = await suite.db.query(`SELECT reason FROM exam_extra_attempts WHERE exam_id = $1`, [examId]);
    expect(grant).toEqual({ reason: '作废后补考一次。' });

    await panel.getByRole('link', { name: namedLike(zh.examAdmin.attempts.audit, '：第 1 次') }).click();
    await page.getByRole('heading', { level: 1, name: zh.examAdmin.audit.title }).waitFor();
    const events = page.locator('.audit-table tbody tr');
    await events.first().waitFor();
    const kinds: Array<string | null> = [];
    for (const event of await events.all()) kinds.push(await event.getAttribute('data-kind'));
    expect(kinds).toEqual(expect.arrayContaining(['started', 'saved', 'submitted', 'graded', 'voided']));
    expect(kinds.indexOf('started')).toBeLessThan(kinds.indexOf('submitted'));
    expect(kinds.indexOf('graded')).toBeLessThan(kinds.indexOf('voided'));
    const voidRow = page.locator('.audit-table tbody tr[data-kind="voided"]');
    await voidRow.getByText(suite.stack.demo.branchAdmin.name).waitFor();
    const gradedRow = page.locator('.audit-table tbody tr[data-kind="graded"]');
    await gradedRow.getByText(suite.stack.demo.editor.name).waitFor();
    await page.getByText(`作废原因：${reason}`).waitFor();
    await page.getByText(/作废后补考一次。/).waitFor();
    await expectTidy(page, 'exam-audit-zh-phone');

    // The same trail in English at a desk.
    const desk = await open(suite.stack.demo.branchAdmin, 'en', desktop);
    await desk.goto(`/reports/attempts/${attemptId}`);
    await desk.getByRole('heading', { level: 1, name: messagesOf('en').examAdmin.audit.title }).waitFor();
    await desk.getByRole('cell', { name: messagesOf('en').examAdmin.audit.kind.voided, exact: true }).waitFor();
    await expectTidy(desk, 'exam-audit-en-desktop');
  });

  it('lets the committee admin require the exam in a new plan (English, phone)', async () => {
    const en = messagesOf('en');
    const page = await open(suite.stack.demo.committeeAdmin, 'en', phone);
    await page.goto('/plans/new');
    await page.getByRole('heading', { level: 1, name: en.plans.new }).waitFor();
    const picker = page.getByRole('group', { name: en.examAdmin.plan.exams });
    await picker.getByText(en.examAdmin.plan.examsHint).waitFor();
    await picker.getByRole('checkbox', { name: examTitle }).check();
    await expectTidy(page, 'exam-plan-form-en-phone');
    await page.getByLabel(en.planForm.name).fill('2026 governance plan with an exam');
    await page.getByLabel(en.planForm.requiredHours).fill('8');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/study-plans'));
    await page.getByRole('button', { name: en.planForm.create }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ examIds: [examId] });
    const { id } = (await response.json()) as { id: string };
    const required = await suite.db.query(`SELECT exam_id FROM study_plan_exams WHERE plan_id = $1`, [id]);
    expect(required).toEqual([{ exam_id: examId }]);
  });
});
