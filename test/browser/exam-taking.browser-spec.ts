import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { QuestionAnswerKey } from '../../libs/contracts/src/exams.js';
import { insertPublishedExam, type FixtureQuestion } from '../../apps/catalog/src/exams/taking/exam-fixtures.js';
import { expectConsoleErrors, signInAs } from '../support/browser.js';
import {
  browserSuite,
  desktop,
  escapeRegExp,
  expectTidy,
  fillTemplate,
  messagesOf,
  signInLabels,
  type Locale,
} from '../support/browser-suite.js';
import { waitUntil } from '../support/ports.js';

jest.setTimeout(240_000);

/**
 * A member sits an exam on a phone with taps alone: the connection drops half-way and nothing is lost,
 * the page is closed and opened again with the same answers and a clock that did not restart, another
 * device is turned away, and the result shows each question with its answer.
 */
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: 'Asia/Shanghai' });

const QUESTIONS: FixtureQuestion[] = [
  {
    kind: 'single',
    stem: '党的最高领导机关是什么？',
    options: [
      { key: 'A', text: '党的全国代表大会和它所产生的中央委员会' },
      { key: 'B', text: '党的地方委员会' },
      { key: 'C', text: '党的基层组织' },
    ],
    answer: { keys: ['A'] },
    points: 2,
    explanation: '党章总纲的规定。',
  },
  { kind: 'true_false', stem: '党员应当按时交纳党费。', answer: { value: true }, points: 2, explanation: '这是党员的义务。' },
  {
    kind: 'multiple',
    stem: '下列哪些是党员的义务？',
    options: [
      { key: 'A', text: '认真学习' },
      { key: 'B', text: '坚持原则' },
      { key: 'C', text: '随意缺席组织生活' },
    ],
    answer: { keys: ['A', 'B'] },
    points: 3,
  },
  {
    kind: 'single',
    stem: '预备党员的预备期一般为多长？',
    options: [
      { key: 'A', text: '半年' },
      { key: 'B', text: '一年' },
    ],
    answer: { keys: ['B'] },
    points: 3,
  },
];

/** What the member taps on each question, by the option's text (or true/false), in paper order. */
const TAPS: Array<{ texts: string[] } | { value: boolean }> = [
  { texts: ['党的全国代表大会和它所产生的中央委员会'] },
  { value: true },
  { texts: ['认真学习', '随意缺席组织生活'] },
  { texts: ['一年'] },
];

/** The points these taps earn, by the keys: all or nothing per question. */
function expectedScore(): number {
  return QUESTIONS.reduce((sum, q, i) => {
    const tap = TAPS[i]!;
    const key = q.answer as QuestionAnswerKey;
    let right: boolean;
    if ('value' in tap) right = 'value' in key && key.value === tap.value;
    else {
      const chosen = tap.texts.map((text) => q.options!.find((o) => o.text === text)!.key).sort();
      right = 'keys' in key && JSON.stringify([...key.keys].sort()) === JSON.stringify(chosen);
    }
    return sum + (right ? (q.points ?? 1) : 0);
  }, 0);
}
const maxScore = QUESTIONS.reduce((sum, q) => sum + (q.points ?? 1), 0);

/** The seconds the clock shows ("mm:ss"). */
async function clockSeconds(page: Page): Promise<number> {
  const text = (await page.locator('.exam-clock__time').textContent())!.trim();
  const [m, s] = text.split(':').map(Number);
  return m! * 60 + s!;
}

async function tap(page: Page, index: number) {
  const answer = TAPS[index]!;
  const m = messagesOf(currentLocale).examTake.take;
  if ('value' in answer)
    await page
      .locator('label.exam-option')
      .filter({ hasText: answer.value ? m.true : m.false })
      .click();
  else for (const text of answer.texts) await page.locator('label.exam-option').filter({ hasText: text }).click();
}

let currentLocale: Locale = 'zh-CN';
/** A calendar day of the study calendar, `offset` days from today. */
const studyDay = (offset: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offset * 86_400_000));

/** Starts the exam the way a member does: its page, the big button, the confirm; answers the attempt's id. */
async function startFromPage(page: Page, examId: string, locale: Locale): Promise<string> {
  const m = messagesOf(locale).examTake;
  await page.goto(`/exams/${examId}`);
  await page.getByRole('button', { name: m.detail.start, exact: true }).click();
  await page.getByRole('button', { name: m.detail.confirmYes }).click();
  await page.waitForURL(/\/attempts\/[0-9a-f-]+$/);
  return page.url().split('/').pop()!;
}

describe.each<Locale>(['zh-CN', 'en'])('taking an exam on a phone (%s)', (locale) => {
  it('answers by taps, survives a lost connection and a closed page, turns another device away, and shows the result', async () => {
    currentLocale = locale;
    const m = messagesOf(locale).examTake;
    const title = locale === 'en' ? 'Branch members’ exam' : '党员知识测试';
    const { examId } = await insertPublishedExam(suite.db, {
      title,
      questions: QUESTIONS,
      timeLimitMin: 30,
      maxAttempts: 1,
      passPercent: 60,
      showAnswers: true,
      shuffle: false,
    });

    // A plan of the member's committee requires passing it.
    const planName = locale === 'en' ? 'Exam plan (en)' : '考试学习计划';
    const admin = await suite.tokenOf(suite.stack.demo.committeeAdmin);
    await suite.api(admin, 'POST', '/api/study-plans', {
      name: planName,
      periodStart: studyDay(-1),
      periodEnd: studyDay(60),
      requiredHours: 1,
      examIds: [examId],
    });

    // My exams lists it as open, with its facts; the exam page gives the rules and one big button.
    const page = await suite.open(suite.stack.demo.member, { locale });
    const context = page.context();
    await page.goto('/exams');
    const card = page.locator('.exam-card').filter({ hasText: title });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(fillTemplate(m.facts.timeLimit, { count: 30 }));
    await expect(card.textContent()).resolves.toContain(fillTemplate(m.facts.attemptsLeft, { left: 1, max: 1 }));
    await expectTidy(page, `exam-list-${locale}`);
    await card.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText(fillTemplate(m.detail.paper, { count: QUESTIONS.length, max: maxScore, percent: 60 })).waitFor();
    await expectTidy(page, `exam-detail-${locale}`);
    await page.getByRole('button', { name: m.detail.start, exact: true }).click();
    await page.getByText(fillTemplate(m.detail.confirmStart, { count: 30 })).waitFor();
    await page.getByRole('button', { name: m.detail.confirmYes }).click();
    await page.waitForURL(/\/attempts\/[0-9a-f-]+$/);
    const attemptId = page.url().split('/').pop()!;

    // Two questions by taps, each saved at once.
    const status = page.locator('.exam-save');
    for (const index of [0, 1]) {
      await page.getByText(fillTemplate(m.take.question, { n: index + 1, total: QUESTIONS.length })).waitFor();
      await tap(page, index);
      await status.filter({ hasText: m.take.status.saved }).waitFor();
      if (index === 0) await expectTidy(page, `exam-attempt-${locale}`);
      await page.getByRole('button', { name: m.take.next }).click();
    }

    // The connection drops: the third answer is kept on the phone and shown as not saved.
    expectConsoleErrors(new RegExp(`ERR_INTERNET_DISCONNECTED \\(\\S+/api/me/attempts/${attemptId}/answers/2:`));
    await context.setOffline(true);
    await page.getByText(fillTemplate(m.take.question, { n: 3, total: QUESTIONS.length })).waitFor();
    await tap(page, 2);
    await status.filter({ hasText: m.take.status.unsaved }).waitFor();
    await page.getByText(m.take.offline).waitFor();
    const kept = await page.evaluate<string | null>(`localStorage.getItem('lectern.examAnswer.${attemptId}.2')`);
    expect(kept).not.toBeNull();
    await expectTidy(page, `exam-attempt-offline-${locale}`);

    // Back online: it is saved without the member doing anything.
    await context.setOffline(false);
    await status.filter({ hasText: m.take.status.saved }).waitFor({ timeout: 60_000 });
    const saved = await suite.db.query(`SELECT item, answer FROM exam_answers WHERE attempt_id = $1 ORDER BY item`, [attemptId]);
    expect(saved.map((row: { item: number }) => row.item)).toEqual([0, 1, 2]);
    expect([...(saved[2].answer as { keys: string[] }).keys].sort()).toEqual(['A', 'C']);

    // The page is closed (closing the tab signs out); opened again on the same phone, the exam goes on.
    const shownBefore = await clockSeconds(page);
    const [{ deadline: deadlineBefore }] = await suite.db.query(`SELECT deadline_at AS deadline FROM exam_attempts WHERE id = $1`, [
      attemptId,
    ]);
    await page.close();
    const again = await context.newPage();
    await again.goto('/');
    await signInAs(again, suite.stack.demo.member, signInLabels(locale));
    await again.goto(`/exams/${examId}`);
    await again.getByRole('button', { name: m.detail.continue }).waitFor();
    await again.getByText(new RegExp(escapeRegExp(m.detail.continueLeft).replace('\\{\\{time\\}\\}', '\\d\\d:\\d\\d'))).waitFor();
    await again.getByRole('button', { name: m.detail.continue }).click();
    await again.waitForURL(new RegExp(`/attempts/${attemptId}$`));
    // It opens at the first question not answered, with the others answered in the navigator.
    await again.getByText(fillTemplate(m.take.question, { n: 4, total: QUESTIONS.length })).waitFor();
    for (const n of [1, 2, 3]) {
      await again.getByRole('button', { name: fillTemplate(m.take.navItem, { n, state: m.take.answered }) }).waitFor();
    }
    expect(await clockSeconds(again)).toBeLessThanOrEqual(shownBefore);
    const [{ deadline: deadlineAfter }] = await suite.db.query(`SELECT deadline_at AS deadline FROM exam_attempts WHERE id = $1`, [
      attemptId,
    ]);
    expect(deadlineAfter).toEqual(deadlineBefore);
    await again.getByRole('button', { name: fillTemplate(m.take.navItem, { n: 3, state: m.take.answered }) }).click();
    for (const text of (TAPS[2] as { texts: string[] }).texts) {
      await expect(again.getByRole('checkbox', { name: new RegExp(escapeRegExp(text)) }).isChecked()).resolves.toBe(true);
    }

    // At the largest text size the question still fits a phone.
    if (locale === 'zh-CN') {
      await again.evaluate(`localStorage.setItem('lectern.textSize', 'extra-large')`);
      await again.reload();
      await again.getByText(fillTemplate(m.take.question, { n: 4, total: QUESTIONS.length })).waitFor();
      await expectTidy(again, `exam-attempt-xl-${locale}`);
      await again.evaluate(`localStorage.setItem('lectern.textSize', 'standard')`);
      await again.reload();
    }

    // Another phone of the same member is turned away with the server's reason.
    expectConsoleErrors(
      new RegExp(`status of 409 \\(Conflict\\) \\(\\S+/api/me/attempts/${attemptId}:\\d+\\) on \\S+/attempts/${attemptId}$`),
    );
    const other = await suite.open(suite.stack.demo.member, { locale });
    await other.goto(`/exams/${examId}`);
    await other.getByText(m.block.in_progress_elsewhere).waitFor();
    await expect(other.getByRole('button', { name: m.detail.start, exact: true }).count()).resolves.toBe(0);
    await other.goto(`/attempts/${attemptId}`);
    await other.getByText(m.refusal.other_device).waitFor();
    await expectTidy(other, `exam-other-device-${locale}`);

    // The last answer, then hand in; the confirm says nothing is left unanswered.
    await again.getByRole('button', { name: fillTemplate(m.take.navItem, { n: 4, state: m.take.unanswered }) }).click();
    await tap(again, 3);
    await again.locator('.exam-save').filter({ hasText: m.take.status.saved }).waitFor();
    await again.getByRole('button', { name: m.take.submit }).last().click();
    await again.getByText(m.take.confirmAll).waitFor();
    await again.getByRole('button', { name: m.take.confirmYes }).click();
    await again.waitForURL(new RegExp(`/attempts/${attemptId}/result$`));

    // The result: the score, passed or not in words, and each question with the correct answer.
    const score = expectedScore();
    const r = m.resultPage;
    await again.getByText(fillTemplate(r.score, { score, max: maxScore })).waitFor();
    const passed = score / maxScore >= 0.6;
    const verdict = again.locator(`.exam-score .exam-outcome--${passed ? 'passed' : 'failed'}`);
    await verdict.waitFor();
    await expect(verdict.textContent()).resolves.toContain(passed ? m.outcome.passed : m.outcome.failed);
    await expect(again.locator('.exam-review__item').count()).resolves.toBe(QUESTIONS.length);
    await again.getByText(QUESTIONS[0]!.explanation!).waitFor();
    await expectTidy(again, `exam-result-${locale}`);

    // My study lists the exam under the plan that requires it, with the result.
    await again.goto('/study');
    const plan = again.locator('.plan-card').filter({ hasText: planName });
    const planExam = plan.locator('.plan-exam').filter({ hasText: title });
    await planExam.waitFor();
    await expect(planExam.textContent()).resolves.toContain(fillTemplate(m.plan.score, { score, max: maxScore }));
    await expect(planExam.textContent()).resolves.toContain(passed ? m.outcome.passed : m.outcome.failed);
    await expectTidy(again, `exam-study-plan-${locale}`);

    // My exams shows it among the finished or with its result, and the device's copies are gone.
    await again.goto('/exams');
    await again
      .locator('.exam-card')
      .filter({ hasText: title })
      .getByText(new RegExp(escapeRegExp(`${score} / ${maxScore}`)))
      .waitFor();
    await waitUntil(
      async () => (await again.evaluate<number>(`Object.keys(localStorage).filter((k) => k.includes('${attemptId}')).length`)) === 0,
      5_000,
      'the answers kept on the device are forgotten after handing in',
    );
  });
});

describe('typed answers and the end of time', () => {
  it('saves blanks and a short answer after typing, with the navigator beside on a wide screen; the result waits for grading', async () => {
    currentLocale = 'zh-CN';
    const m = messagesOf('zh-CN').examTake;
    const { examId } = await insertPublishedExam(suite.db, {
      title: '填空与简答',
      questions: [
        { kind: 'fill_blank', stem: '中国共产党成立于____年，地点在____。', answer: { blanks: [['1921'], ['上海', '上海市']] }, points: 4 },
        { kind: 'short_answer', stem: '请简述您参加组织生活的体会。', answer: { reference: '言之有理即可' }, points: 6 },
      ],
      showAnswers: true,
      shuffle: false,
    });
    const page = await suite.open(suite.stack.demo.member, { viewport: desktop });
    const attemptId = await startFromPage(page, examId, 'zh-CN');

    await page.getByLabel(fillTemplate(m.take.blank, { n: 1 })).fill('1921');
    await page.getByLabel(fillTemplate(m.take.blank, { n: 2 })).fill('上海');
    await page.locator('.exam-save').filter({ hasText: m.take.status.saved }).waitFor();
    // The navigator sits beside the question.
    const main = (await page.locator('.exam-sitting__main').boundingBox())!;
    const aside = (await page.locator('.exam-sitting__aside').boundingBox())!;
    expect(aside.x).toBeGreaterThanOrEqual(main.x + main.width);
    await expectTidy(page, 'exam-attempt-desktop-zh-CN');
    await page.getByRole('button', { name: m.take.next }).click();
    const essay = '每次组织生活都让我学到新东西。';
    await page.getByLabel(m.take.shortAnswer).fill(essay);
    await page.locator('.exam-save').filter({ hasText: m.take.status.saved }).waitFor();
    const saved = await suite.db.query(`SELECT item, answer FROM exam_answers WHERE attempt_id = $1 ORDER BY item`, [attemptId]);
    expect(saved.map((row: { answer: unknown }) => row.answer)).toEqual([{ blanks: ['1921', '上海'] }, { text: essay }]);

    await page.getByRole('button', { name: m.take.submit }).last().click();
    await page.getByRole('button', { name: m.take.confirmYes }).click();
    await page.waitForURL(new RegExp(`/attempts/${attemptId}/result$`));
    await page.getByText(fillTemplate(m.resultPage.pendingItems, { count: 1 })).waitFor();
    await page.locator('.exam-score .exam-outcome--grading').waitFor();
    await expectTidy(page, 'exam-result-grading-zh-CN');
  });

  it('an attempt whose time ran out while the page was closed opens as the server’s time-out result', async () => {
    currentLocale = 'en';
    const m = messagesOf('en').examTake;
    const { examId } = await insertPublishedExam(suite.db, { title: 'Timed out exam', questions: QUESTIONS.slice(0, 2), shuffle: false });
    const page = await suite.open(suite.stack.demo.member, { locale: 'en' });
    const attemptId = await startFromPage(page, examId, 'en');
    await tap(page, 0);
    await page.locator('.exam-save').filter({ hasText: m.take.status.saved }).waitFor();
    await page.goto('/exams');
    await suite.db.query(
      `UPDATE exam_attempts SET started_at = now() - interval '31 minutes', deadline_at = now() - interval '1 minute' WHERE id = $1`,
      [attemptId],
    );
    await page.goto(`/attempts/${attemptId}`);
    await page.waitForURL(new RegExp(`/attempts/${attemptId}/result$`));
    await page.getByText(m.resultPage.timeOut).waitFor();
    const [{ reason }] = await suite.db.query(`SELECT submit_reason AS reason FROM exam_attempts WHERE id = $1`, [attemptId]);
    expect(reason).toBe('time_out');
    await expectTidy(page, 'exam-result-timeout-en');
  });

  it('hands in by itself when the server clock it counts from reaches 0', async () => {
    currentLocale = 'zh-CN';
    const m = messagesOf('zh-CN').examTake;
    const { examId } = await insertPublishedExam(suite.db, { title: '时间到自动交卷', questions: QUESTIONS.slice(0, 2), shuffle: false });
    const page = await suite.open(suite.stack.demo.member);
    const attemptId = await startFromPage(page, examId, 'zh-CN');
    await tap(page, 0);
    await page.locator('.exam-save').filter({ hasText: m.take.status.saved }).waitFor();
    // A few seconds left by the server's clock; the page learns it when it opens the attempt again.
    await suite.db.query(`UPDATE exam_attempts SET deadline_at = now() + interval '4 seconds' WHERE id = $1`, [attemptId]);
    await page.reload();
    await page.waitForURL(new RegExp(`/attempts/${attemptId}/result$`), { timeout: 60_000 });
    await page.locator('.exam-score').waitFor();
    const [{ status, answered }] = await suite.db.query(
      `SELECT a.status, (SELECT count(*)::int FROM exam_answers x WHERE x.attempt_id = a.id) AS answered FROM exam_attempts a WHERE a.id = $1`,
      [attemptId],
    );
    expect(status).not.toBe('in_progress');
    expect(answered).toBe(1);
  });
});
