// Members' voice walked in the pages, as the people who use it: a member answers an anonymous questionnaire on
// her phone and asks for a program that a second member finds in Chinese and votes for; an editor answers the
// request with a course; the member's reflection is returned by her branch secretary, revised and accepted; she
// finds each answer on her home page; and the branch admin reads the questionnaire's results and response rate,
// the requests report and the reflections report. A `<script>` typed into each text field stays text throughout.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import {
  browserSuite,
  desktop,
  escapeRegExp,
  expectTidy,
  fillTemplate,
  messagesOf,
  phone,
  type Locale,
  type Viewport,
} from '../support/browser-suite.js';
import type { SignInDetails } from '../support/browser.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(180_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const zh = messagesOf('zh-CN');
const en = messagesOf('en');

/** Typed into every text field: it must come back as these very characters, never as markup. */
const XSS = `<script>alert('xss')</script><img src=x onerror="alert('xss')">`;

const person = (login: string): SignInDetails => ({ login, password: DEMO_PASSWORD });
// The member and her neighbour in the east branch's first group; the branch secretary reviews their reflections.
const member = person('member');
const neighbour = person('member10');
const secretary = person('member05');
// Members of the east branch who answer the questionnaire before her, so that its results may be shown.
const otherRespondents = ['member06', 'member11', 'member15', 'member16', 'member20'];

const courseTitle = '农村电商实务';
const questionnaireTitle = '二〇二七年学习需求调查';
const Q = {
  more: { prompt: '您希望增加培训吗？', yes: '希望', no: '暂时不需要', other: '其他' },
  topics: { prompt: '您最想学哪些内容？' },
};
const requestTitle = `农村电商补贴怎么申请${XSS}`;
const reflectionTitle = `学习农村电商课的体会${XSS}`;
const reflectionBody = `这门课讲清楚了补贴的申请流程。${XSS}`;
const revisedBody = `${reflectionBody}\n我准备下周帮村里的三户人家一起申请。`;

let questionnaireId = '';
const dialogs: string[] = [];

const signedIn = new Map<string, Page>();

/**
 * A page signed in as `who`, at their start page: the one they already had open in that language, else a new one.
 * Every page records any dialog it opens (an injected script would).
 */
async function openAs(who: SignInDetails, locale: Locale, viewport: Viewport = phone): Promise<Page> {
  const key = `${who.login} ${locale}`;
  const open = signedIn.get(key);
  if (open) {
    await open.goto('/');
    return open;
  }
  const page = await suite.open(who, { locale, viewport });
  signedIn.set(key, page);
  page.on('dialog', (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}

/** `XSS` is on the page as text, and nothing of it became an element or ran. */
async function expectShownAsText(page: Page) {
  await page.getByText(XSS, { exact: false }).first().waitFor();
  const injected = await page.evaluate<{ scripts: number; images: number }>(`({
    scripts: [...document.querySelectorAll('script')].filter((s) => (s.textContent || '').includes("alert('xss')")).length,
    images: document.querySelectorAll('img[src="x"], img[onerror]').length,
  })`);
  expect(injected).toEqual({ scripts: 0, images: 0 });
  expect(dialogs).toEqual([]);
}

/** The text of each cell of a table row (the first `row` matches), header cells included, once the row is shown. */
async function cellsOf(row: Locator): Promise<string[]> {
  await row.first().waitFor();
  return row.first().locator('th, td').allInnerTexts();
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

beforeAll(async () => {
  // The course an editor will link the request to.
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id }))
    .id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  await suite.api(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: '第一讲 补贴政策', assetId });
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);

  // The branch admin's anonymous questionnaire to the east branch, open now; "which topics" only for a "yes".
  const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
  const [east] = await suite.db.query(`SELECT id FROM org_units WHERE path = 'committee/east'`);
  const more = randomUUID();
  const topics = randomUUID();
  const created = await suite.api<{ id: string }>(admin, 'POST', '/api/questionnaires', {
    title: questionnaireTitle,
    intro: `请花两分钟告诉我们您想学什么。${XSS}`,
    anonymous: true,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    audience: { unitIds: [east.id], categories: [], positions: [], classIds: [] },
    questions: [
      {
        id: more,
        kind: 'single',
        prompt: Q.more.prompt,
        required: true,
        options: [
          { id: 'yes', label: Q.more.yes },
          { id: 'no', label: Q.more.no },
          { id: 'other', label: Q.more.other, other: true },
        ],
        scale: null,
        showIf: null,
      },
      {
        id: topics,
        kind: 'text',
        prompt: Q.topics.prompt,
        required: false,
        options: [],
        scale: null,
        showIf: { questionId: more, optionIds: ['yes'] },
      },
    ],
  });
  questionnaireId = created.id;
  await suite.api(admin, 'POST', `/api/questionnaires/${questionnaireId}/open`);
  // Five neighbours answered before her (typing each in the page is no part of this walk).
  for (const [i, login] of otherRespondents.entries()) {
    const token = await suite.tokenOf(person(login));
    const answers =
      i % 2 === 0 ? { [more]: { optionIds: ['yes'] }, [topics]: { text: '电子商务和防诈骗' } } : { [more]: { optionIds: ['no'] } };
    await suite.api(token, 'POST', `/api/my/questionnaires/${questionnaireId}/submit`, { answers });
  }
}, 180_000);

describe('members’ voice, from the member’s phone to the admin’s reports', () => {
  it('a member finds the questionnaire on her home page, with nothing else new, and answers it anonymously', async () => {
    const page = await openAs(member, 'zh-CN');
    await heading(page, zh.study.title);
    const panel = page.getByRole('region', { name: zh.questionnaires.panel.title });
    await panel.getByRole('link', { name: new RegExp(escapeRegExp(questionnaireTitle)) }).waitFor();
    // Calm: no "what's new" while nothing is new.
    expect(await page.getByRole('heading', { name: zh.notices.whatsNew.title }).count()).toBe(0);
    await expectTidy(page, 'voice-walk-1-home');

    await panel.getByRole('link', { name: new RegExp(escapeRegExp(questionnaireTitle)) }).click();
    await heading(page, questionnaireTitle);
    // "Which topics" shows only after a "yes".
    expect(await page.getByRole('textbox', { name: Q.topics.prompt }).count()).toBe(0);
    await page.getByRole('radio', { name: Q.more.yes }).check();
    await page.getByRole('textbox', { name: Q.topics.prompt }).fill(`想学农村电商。${XSS}`);
    // The editor's introduction, with markup typed into it, reads as typed.
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-2-questionnaire');
    await page.getByRole('button', { name: zh.questionnaires.fill.submit }).click();
    await page.getByRole('heading', { name: zh.questionnaires.fill.thanks }).waitFor();
    await page.getByText(zh.questionnaires.fill.thanksAnonymous).waitFor();
    await expectTidy(page, 'voice-walk-3-thanks');
  });

  it('she asks for a program from the take-part page', async () => {
    const page = await openAs(member, 'zh-CN');
    await page.getByRole('navigation', { name: zh.shell.mainNav }).getByRole('link', { name: zh.nav.participate }).click();
    await heading(page, zh.notices.participate.title);
    // With the largest text, as many of them read.
    await page
      .getByRole('group', { name: zh.memberShell.textSize.label })
      .getByRole('button', { name: zh.memberShell.textSize.extraLarge, exact: true })
      .click();
    await expectTidy(page, 'voice-walk-4-participate-xl');
    await page
      .getByRole('group', { name: zh.memberShell.textSize.label })
      .getByRole('button', { name: zh.memberShell.textSize.standard, exact: true })
      .click();
    await page.getByRole('link', { name: new RegExp(escapeRegExp(zh.notices.participate.requestTitle)) }).click();
    await heading(page, zh.programRequests.title);
    await page.getByLabel(zh.programRequests.titleLabel).fill(requestTitle);
    await page.getByLabel(zh.programRequests.detailLabel).fill(`村里很多人想开网店，但不知道补贴找谁申请。${XSS}`);
    await page.getByRole('button', { name: zh.programRequests.submit }).click();
    await page.getByRole('status').getByText(zh.programRequests.created).waitFor();
    await page.getByRole('region', { name: zh.programRequests.mine }).getByRole('link', { name: requestTitle }).waitFor();
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-5-requested');
  });

  it('her neighbour types the same wish in other words, finds her request and votes for it instead (en)', async () => {
    const page = await openAs(neighbour, 'en');
    await page.goto('/requests');
    await heading(page, en.programRequests.title);
    await page.getByLabel(en.programRequests.titleLabel).fill('电商补贴');
    const similar = page.getByRole('region', { name: en.programRequests.similarHeading });
    await similar.getByRole('link', { name: requestTitle }).waitFor();
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-6-similar-en');
    await similar.getByRole('button', { name: new RegExp(`^${escapeRegExp(en.programRequests.meToo)}`) }).click();
    await page.getByRole('status').getByText(en.programRequests.voted).waitFor();
    await page.getByRole('region', { name: en.programRequests.myVotes }).getByRole('link', { name: requestTitle }).waitFor();
  });

  it('an editor finds it at the top of the demand and answers it with a course', async () => {
    const page = await openAs(suite.stack.demo.editor, 'zh-CN', desktop);
    await page.getByRole('navigation', { name: zh.shell.mainNav }).getByRole('link', { name: zh.nav.voice }).click();
    await heading(page, zh.notices.voice.title);
    await expectTidy(page, 'voice-walk-7-voice-hub');
    await page.getByRole('link', { name: new RegExp(escapeRegExp(zh.notices.voice.requestsTitle)) }).click();
    await heading(page, zh.programRequests.demandTitle);
    const demand = page.getByRole('list', { name: zh.programRequests.demandList });
    // Two members want it: the request and the vote.
    const top = demand.getByRole('listitem').first();
    await top.getByText(fillTemplate(zh.programRequests.votes_other, { count: 2 })).waitFor();
    await expectTidy(page);
    await top.getByRole('link', { name: requestTitle }).click();
    await heading(page, requestTitle);
    await page.getByRole('radio', { name: zh.programRequests.kindCourse }).check();
    await page.getByLabel(zh.programRequests.courseSearch).fill('电商');
    await page.getByRole('button', { name: zh.programRequests.courseSearchButton }).click();
    await page.getByLabel(zh.programRequests.courseChoice).selectOption({ label: courseTitle });
    await page.getByLabel(zh.programRequests.noteLabel).fill(`这门课讲了补贴的申请。${XSS}`);
    await expectTidy(page, 'voice-walk-8-answer');
    await page.getByRole('button', { name: zh.programRequests.sendAnswer }).click();
    await page.getByText(zh.programRequests.answered).waitFor();
    await page.getByRole('link', { name: courseTitle }).first().waitFor();
    await expectShownAsText(page);
  });

  it('she writes a reflection on the course and sends it to her branch', async () => {
    const page = await openAs(member, 'zh-CN');
    await page.goto('/participate');
    await page.getByRole('link', { name: new RegExp(escapeRegExp(zh.notices.participate.reflectionsTitle)) }).click();
    await heading(page, zh.reflections.mine.title);
    await expectTidy(page);
    await page.getByRole('link', { name: zh.reflections.mine.write }).click();
    await heading(page, zh.reflections.edit.newTitle);
    await page.getByLabel(zh.reflections.edit.titleLabel).fill(reflectionTitle);
    await page.getByLabel(zh.reflections.edit.bodyLabel).fill(reflectionBody);
    await expectTidy(page, 'voice-walk-9-reflection');
    await page.getByRole('button', { name: zh.reflections.edit.submit }).click();
    await page.getByRole('status').getByText(zh.reflections.edit.submitted).waitFor();
    await page.getByText(zh.reflections.edit.waiting).waitFor();
  });

  it('the branch secretary finds it from the take-part page and returns it with a comment', async () => {
    await review('returned', `请写一写你准备怎样帮助别人。${XSS}`, 'voice-walk-10-review');
  });

  it('on her home page she finds both answers, unread first, and opens the returned reflection from there (en)', async () => {
    const page = await openAs(member, 'en');
    await heading(page, en.study.title);
    const news = page.getByRole('region', { name: new RegExp(`^${escapeRegExp(en.notices.whatsNew.title)}`) });
    await news.getByText(fillTemplate(en.notices.whatsNew.unread, { count: 2 })).waitFor();
    const items = news.getByRole('listitem');
    expect(await items.count()).toBe(2);
    const returned = fillTemplate(en.notices.kind.reflectionReturned, { title: reflectionTitle });
    const answered = fillTemplate(en.notices.kind.requestLinkedCourse, { title: requestTitle, course: courseTitle });
    await news.getByRole('link', { name: new RegExp(escapeRegExp(returned)) }).waitFor();
    await news.getByRole('link', { name: new RegExp(escapeRegExp(answered)) }).waitFor();
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-11-whats-new-en');

    await news.getByRole('link', { name: new RegExp(escapeRegExp(returned)) }).click();
    await heading(page, en.reflections.edit.editTitle);
    await page.getByText(en.reflections.edit.returnedNotice).waitFor();
    await expectShownAsText(page);
    await page.getByLabel(en.reflections.edit.bodyLabel).fill(revisedBody);
    await page.getByRole('button', { name: en.reflections.edit.resubmit }).click();
    await page.getByRole('status').getByText(en.reflections.edit.submitted).waitFor();
    await expectTidy(page, 'voice-walk-12-resubmitted-en');
  });

  it('the secretary accepts the revised reflection as excellent', async () => {
    await review('excellent', '', 'voice-walk-13-accept');
  });

  it('she opens the answered request from her home page, reads that her reflection was accepted, marks everything read, and the home page is calm again', async () => {
    const page = await openAs(member, 'zh-CN');
    await heading(page, zh.study.title);
    const news = page.getByRole('region', { name: new RegExp(`^${escapeRegExp(zh.notices.whatsNew.title)}`) });
    await news
      .getByRole('link', { name: new RegExp(escapeRegExp(fillTemplate(zh.notices.kind.reflectionExcellent, { title: reflectionTitle }))) })
      .waitFor();
    await expectTidy(page, 'voice-walk-14-accepted');

    // The request now leads to the course that covers it, with the editor's note.
    const answered = fillTemplate(zh.notices.kind.requestLinkedCourse, { title: requestTitle, course: courseTitle });
    await news.getByRole('link', { name: new RegExp(escapeRegExp(answered)) }).click();
    await heading(page, requestTitle);
    await page.getByRole('region', { name: zh.programRequests.answerHeading }).getByRole('link', { name: courseTitle }).waitFor();
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-15-request-answered');
    await page.goto('/');
    await heading(page, zh.study.title);
    await news.getByRole('button', { name: zh.notices.whatsNew.markAllRead }).click();
    await news.getByRole('status').getByText(zh.notices.whatsNew.markedAll).waitFor();
    await page.reload();
    await heading(page, zh.study.title);
    // Her questionnaire is answered and everything is read: the page shows her study only.
    await page.getByRole('heading', { level: 2, name: zh.study.plans }).waitFor();
    expect(await page.getByRole('heading', { name: zh.notices.whatsNew.title }).count()).toBe(0);
  });

  it('the branch admin reads the questionnaire’s results and response rate, and the requests and reflections reports', async () => {
    const page = await openAs(suite.stack.demo.branchAdmin, 'zh-CN', desktop);
    // The questionnaire: six respondents, the written answers listed as text.
    await page.goto('/voice');
    await heading(page, zh.notices.voice.title);
    await page.getByRole('link', { name: new RegExp(escapeRegExp(zh.notices.voice.questionnairesTitle)) }).click();
    await page.getByRole('link', { name: questionnaireTitle }).first().waitFor();
    await expectTidy(page);
    await page.goto(`/voice/questionnaires/${questionnaireId}/results`);
    await heading(page, questionnaireTitle);
    await page
      .getByText(String(otherRespondents.length + 1), { exact: true })
      .first()
      .waitFor();
    await expectShownAsText(page);
    await expectTidy(page, 'voice-walk-16-results');
    await page.getByRole('link', { name: zh.questionnaireResults.toResponses }).click();
    // Twelve members of the branch were asked, six answered; the admin reminds the others in the app.
    expect(await cellsOf(page.getByRole('row').filter({ hasText: '东区分会' }))).toEqual(['东区分会', '12', '6', '50.0%']);
    await expectTidy(page, 'voice-walk-17-response-rate');
    await page.getByRole('button', { name: zh.questionnaireResults.rates.remind }).click();
    await page.getByRole('button', { name: zh.questionnaireResults.rates.confirm }).click();
    await page.getByText(fillTemplate(zh.questionnaireResults.rates.reminded, { n: 6 })).waitFor();

    // The reports hub leads to both reports: the request answered in a day, the reflection returned once and accepted.
    await page.goto('/reports');
    await heading(page, zh.reports.title);
    await page.getByRole('link', { name: zh.notices.voice.requestsReportTitle }).click();
    await heading(page, zh.programRequests.reportTitle);
    const times = page.getByRole('table', { name: zh.programRequests.timesTable });
    // She chose no category; the report words that as the server's files do.
    const answered = await cellsOf(times.getByRole('row').filter({ hasText: '未分类' }));
    expect(answered.slice(0, 2)).toEqual(['未分类', '1']);
    await expectTidy(page, 'voice-walk-18-requests-report');

    await page.goto('/reports');
    await page.getByRole('link', { name: zh.notices.voice.reflectionsReportTitle }).click();
    await heading(page, zh.reflections.report.title);
    // Unit, path, then written, reviews given, accepted, returned, waiting.
    const group = await cellsOf(page.getByRole('row').filter({ hasText: '东区第一小组' }));
    expect(group.slice(2, 7)).toEqual(['1', '2', '1', '1', '0']);
    await expectTidy(page, 'voice-walk-19-reflections-report');
    expect(dialogs).toEqual([]);
  });

  it('her neighbour, who has not answered yet, finds the reminder on the home page and opens the questionnaire from it (en)', async () => {
    const page = await openAs(neighbour, 'en');
    await heading(page, en.study.title);
    const news = page.getByRole('region', { name: new RegExp(`^${escapeRegExp(en.notices.whatsNew.title)}`) });
    const reminder = news.getByRole('link', {
      name: new RegExp(escapeRegExp(fillTemplate(en.notices.kind.questionnaireReminder, { title: questionnaireTitle }))),
    });
    await reminder.click();
    await heading(page, questionnaireTitle);
  });
});

/** The secretary opens the queue from the take-part page and gives the one reflection waiting its verdict. */
async function review(verdict: 'returned' | 'excellent', comment: string, screenshot: string) {
  const page = await openAs(secretary, 'zh-CN');
  await page.goto('/participate');
  await heading(page, zh.notices.participate.title);
  await page.getByRole('link', { name: new RegExp(escapeRegExp(zh.notices.participate.reviewTitle)) }).click();
  await heading(page, zh.reflections.queue.title);
  await page.getByRole('link', { name: reflectionTitle }).waitFor();
  await expectTidy(page);
  await page.getByRole('link', { name: reflectionTitle }).click();
  await heading(page, zh.reflections.review.title);
  await expectShownAsText(page);
  await page.getByRole('radio', { name: zh.reflections.verdict[verdict] }).check();
  if (comment) await page.getByLabel(zh.reflections.review.commentLabel).fill(comment);
  await expectTidy(page, screenshot);
  await page.getByRole('button', { name: zh.reflections.review.send }).click();
  await page
    .getByRole('status')
    .getByText(fillTemplate(zh.reflections.review.done, { verdict: zh.reflections.status[verdict] }))
    .waitFor();
}
