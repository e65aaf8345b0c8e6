// A unified exam after training, walked in the page from start to end: the editor imports a question bank
// from a spreadsheet and builds the exam from it; the branch's plan requires it; a member sits it on a
// phone, loses the connection half-way and the page after that, resumes and hands in; a grader scores the
// short answer; the branch admin sees the member's plan met, with the exam's score in the plan's export.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { captureDownload, expectConsoleErrors, signInAs } from '../support/browser.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, signInLabels } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(240_000);

const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const zh = messagesOf('zh-CN');
const examTitle = '社区治理培训结业考试';
const planName = '社区治理培训计划';
const STEMS = {
  single: '社区议事会的决议由谁作出？',
  trueFalse: '社区议事会的决议应当向居民公示。',
  essay: '请简述你所在小组准备怎样开展议事。',
};
const essayText = '先收集居民的议题，再开议事会协商，最后把决议贴在公告栏。';

/** The bank as an editor fills in the template: three questions for the exam, and one row with a mistake. */
async function bankFile(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('题目');
  sheet.addRow(['题型', '题干', '选项A', '选项B', '选项C', '答案', '分值', '解析', '主题', '难度']);
  sheet.addRow(['单选', STEMS.single, '居委会主任一人', '议事会成员协商', '上级部门', 'B', 2, '议事会集体协商作出决议。', '社区治理', 2]);
  sheet.addRow(['判断', STEMS.trueFalse, '', '', '', '对', 1, '决议要公示，接受居民监督。', '社区治理', 1]);
  sheet.addRow(['简答', STEMS.essay, '', '', '', '说清议题、协商、公示三步即可给满分。', 5, '', '社区治理', 3]);
  sheet.addRow(['单选', '这一行漏了答案', '甲', '乙', '', '', 2, '', '社区治理', 2]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `datetime-local` text for a moment `minutes` from now, in the browser's time zone. */
function localMinutesFromNow(minutes: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(Date.now() + minutes * 60_000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
const studyDay = (offset: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() + offset * 86_400_000));

let examId = '';
let planId = '';
let attemptId = '';
let lectureId = '';

beforeAll(async () => {
  // A published lecture the member has already studied for the plan's hours: only the exam stands between
  // them and the plan.
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (
    await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: '社区治理培训', categoryId: categories[0]!.id })
  ).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  lectureId = (await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: '第一讲 议事规则', assetId }))
    .id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
}, 180_000);

/** The question on screen, by its stem. */
const onScreen = (page: Page, stem: string) => page.locator('.exam-question').filter({ hasText: stem });

/** Answers the question on screen the way the member does: taps for the two choices, typing for the essay. */
async function answerShown(page: Page): Promise<keyof typeof STEMS> {
  const t = zh.examTake.take;
  const shown = (await page.locator('.exam-question').first().textContent()) ?? '';
  if (shown.includes(STEMS.single)) {
    await page.locator('label.exam-option').filter({ hasText: '议事会成员协商' }).click();
    return 'single';
  }
  if (shown.includes(STEMS.trueFalse)) {
    await page.locator('label.exam-option').filter({ hasText: t.true }).click();
    return 'trueFalse';
  }
  await page.getByLabel(t.shortAnswer).fill(essayText);
  return 'essay';
}

describe('a unified exam after training, from the bank to the plan report', () => {
  it('the editor imports the bank from a spreadsheet and builds and publishes the exam from it', async () => {
    const m = zh.examEditor;
    const page = await suite.open(suite.stack.demo.editor, { locale: 'zh-CN', viewport: phone });
    await page.goto('/studio/questions/import');
    await page.getByRole('heading', { level: 1, name: m.import.title }).waitFor();
    await page.getByLabel(m.import.pick).setInputFiles({
      name: '社区治理题库.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await bankFile(),
    });
    await page.getByText(fillTemplate(m.import.accept_other, { count: 3 }), { exact: true }).waitFor();
    await page.getByText(fillTemplate(m.import.reject_one, { count: 1 }), { exact: true }).waitFor();
    await expectTidy(page, 'exam-walk-1-import');
    await page.getByRole('button', { name: fillTemplate(m.import.confirm_other, { count: 3 }) }).click();
    await page.getByText(fillTemplate(m.import.done_other, { count: 3 })).waitFor();
    // The true-or-false question gets a picture (a 1×1 PNG), as the question editor attaches one.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await suite.db.query(
      `WITH image AS (
         INSERT INTO exam_images (content_type, bytes, sha256, created_by)
         SELECT 'image/png', $1, encode(sha256($1), 'hex'), id FROM users WHERE login = 'editor' RETURNING id)
       UPDATE exam_questions SET image_id = (SELECT id FROM image) WHERE stem = $2`,
      [png, STEMS.trueFalse],
    );

    await page.goto('/studio/exams/new');
    await page.getByRole('heading', { level: 1, name: m.exam.newTitle }).waitFor();
    await page.getByLabel(m.exam.titleLabel).fill(examTitle);
    for (const stem of Object.values(STEMS)) {
      await page.getByLabel(m.exam.findLabel).fill(stem.slice(0, 8));
      await page.getByRole('button', { name: m.exam.find, exact: true }).click();
      await page.getByRole('button', { name: fillTemplate(m.exam.addNamed, { stem }) }).click();
      await page.locator('.paper-item').filter({ hasText: stem }).waitFor();
    }
    // Open from a few minutes ago, so the branch can sit it at once.
    await page.getByLabel(m.exam.opensAt, { exact: true }).fill(localMinutesFromNow(-5));
    await page.getByRole('checkbox', { name: '东区分会' }).check();
    await expectTidy(page, 'exam-walk-2-build');
    await page.getByRole('button', { name: m.exam.saveDraft }).click();
    await page.getByRole('heading', { level: 1, name: m.exam.editTitle }).waitFor();
    await page.getByRole('button', { name: m.exam.publish }).click();
    await page.getByRole('status').getByText(m.exam.published).waitFor();
    const [exam] = await suite.db.query(
      `SELECT e.id, e.status, count(i.*)::int AS items FROM exams e JOIN exam_fixed_items i ON i.exam_id = e.id WHERE e.title = $1 GROUP BY e.id`,
      [examTitle],
    );
    expect(exam).toMatchObject({ status: 'published', items: 3 });
    examId = exam.id;

    // The branch's plan requires it; the member already has its hours.
    const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
    planId = (
      await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
        name: planName,
        periodStart: studyDay(-30),
        periodEnd: studyDay(60),
        requiredHours: 1,
        examIds: [examId],
      })
    ).id;
    const [member] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [suite.stack.demo.member.login]);
    await suite.db.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, 3600)`, [
      member.id,
      lectureId,
      studyDay(-1),
    ]);
  });

  it('the member sits it on a phone, loses the connection and then the page, resumes and hands in', async () => {
    const t = zh.examTake;
    const page = await suite.open(suite.stack.demo.member, { locale: 'zh-CN', viewport: phone });
    const context = page.context();
    await page.goto('/study');
    const planExam = page.locator('.plan-card').filter({ hasText: planName }).locator('.plan-exam').filter({ hasText: examTitle });
    await planExam.waitFor();
    await planExam.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: examTitle }).waitFor();
    await page.getByRole('button', { name: t.detail.start, exact: true }).click();
    await page.getByRole('button', { name: t.detail.confirmYes }).click();
    await page.waitForURL(/\/attempts\/[0-9a-f-]+$/);
    attemptId = page.url().split('/').pop()!;

    // The first question by a tap, saved at once.
    const save = page.locator('.exam-save');
    expect(await answerShown(page)).toBe('single');
    await save.filter({ hasText: t.take.status.saved }).waitFor();
    await page.getByRole('button', { name: t.take.next }).click();

    // The paper keeps the order it was built in: the true-or-false question comes next, with its picture
    // (fetched with the member's sign-in, not by a bare link).
    await onScreen(page, STEMS.trueFalse).waitFor();
    await page.waitForFunction(`document.querySelector('img.exam-question__image')?.naturalWidth === 1`);

    // The connection drops: the next tap is kept on the phone, shown as not saved, and saved when it returns.
    expectConsoleErrors(new RegExp(`ERR_INTERNET_DISCONNECTED \\(\\S+/api/me/attempts/${attemptId}/answers/\\d:`));
    await context.setOffline(true);
    expect(await answerShown(page)).toBe('trueFalse');
    await save.filter({ hasText: t.take.status.unsaved }).waitFor();
    await expectTidy(page, 'exam-walk-3-offline');
    await context.setOffline(false);
    await save.filter({ hasText: t.take.status.saved }).waitFor({ timeout: 60_000 });
    const [{ deadline }] = await suite.db.query(`SELECT deadline_at AS deadline FROM exam_attempts WHERE id = $1`, [attemptId]);

    // The page is lost; the member comes back on the same phone to the same paper and the same clock.
    await page.close();
    const again = await context.newPage();
    await again.goto('/');
    await signInAs(again, suite.stack.demo.member, signInLabels('zh-CN'));
    await again.goto(`/exams/${examId}`);
    await again.getByRole('button', { name: t.detail.continue }).click();
    await again.waitForURL(new RegExp(`/attempts/${attemptId}$`));
    await onScreen(again, STEMS.essay).waitFor();
    const [{ deadline: after, answers }] = await suite.db.query(
      `SELECT a.deadline_at AS deadline, (SELECT count(*)::int FROM exam_answers x WHERE x.attempt_id = a.id) AS answers
         FROM exam_attempts a WHERE a.id = $1`,
      [attemptId],
    );
    expect(after).toEqual(deadline);
    expect(answers).toBe(2);

    await answerShown(again);
    await again.locator('.exam-save').filter({ hasText: t.take.status.saved }).waitFor();
    await expectTidy(again, 'exam-walk-4-essay');
    await again.getByRole('button', { name: t.take.submit }).last().click();
    await again.getByText(t.take.confirmAll).waitFor();
    await again.getByRole('button', { name: t.take.confirmYes }).click();
    await again.waitForURL(new RegExp(`/attempts/${attemptId}/result$`));
    await again.getByText(fillTemplate(t.resultPage.pendingItems, { count: 1 })).waitFor();
    await expectTidy(again, 'exam-walk-5-waiting');
  });

  it('a grader scores the short answer in the page', async () => {
    const g = zh.examAdmin.grading;
    const page = await suite.open(suite.stack.demo.editor, { locale: 'zh-CN', viewport: phone });
    await page.goto('/grading');
    const item = page.getByRole('listitem').filter({ hasText: STEMS.essay });
    await item.getByText(g.pendingCount.replace('{{count}}', '1')).waitFor();
    await item.getByRole('link').first().click();
    const card = page.locator('.grading-card');
    expect(await card.locator('.grading-card__answer').innerText()).toBe(essayText);
    await page.getByLabel('得分（0–5）').fill('4');
    await page.getByLabel(g.comment).fill('三步都说到了，公示可以更具体。');
    await page.getByRole('button', { name: g.saveNext }).click();
    await page.getByText(g.allDone).waitFor();
    await expectTidy(page, 'exam-walk-6-graded');
    const [attempt] = await suite.db.query(`SELECT status, score::float8 AS score, passed FROM exam_attempts WHERE id = $1`, [attemptId]);
    // 2 (single choice) + 1 (true or false) + 4 of 5 (short answer) = 7 of 8: passed at 60 %.
    expect(attempt).toEqual({ status: 'graded', score: 7, passed: true });
  });

  it('the branch admin sees the member’s plan met, with the exam’s score on the screen and in the export', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN', viewport: phone, acceptDownloads: true });
    await page.goto(`/reports/plans/${planId}/members`);
    const row = page.locator('tr[data-login="member"]');
    await row.getByText(zh.planStatus.met).waitFor();
    await row.getByText(zh.examAdmin.report.outcomes.passed, { exact: true }).waitFor();
    await expect(row.locator(`td[data-label="${fillTemplate(zh.reports.col.examScore, { title: examTitle })}"]`).innerText()).resolves.toBe(
      '7',
    );
    await expectTidy(page, 'exam-walk-7-plan-members');

    const file = await captureDownload(page, () =>
      page.getByRole('button', { name: new RegExp(`^${escapeRegExp(zh.exports.xlsx)}`) }).click(),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const scoreColumn = header.indexOf(`${examTitle} 成绩`);
    const statusColumn = header.indexOf('状态');
    expect(scoreColumn).toBeGreaterThan(0);
    let found = false;
    sheet.eachRow((r) => {
      if (r.getCell(2).value === 'member') {
        found = true;
        expect(Number(r.getCell(scoreColumn).value)).toBe(7);
        expect(r.getCell(statusColumn).value).toBe('已达标');
      }
    });
    expect(found).toBe(true);
  });
});
