import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Response } from 'playwright-core';
import { formatDuration } from '#contracts';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import {
  captureDownload,
  expectConsoleErrors,
  findSeriousAxeViolations,
  hasHorizontalScroll,
  saveScreenshot,
  type SignInDetails,
} from '../support/browser.js';
import { browserSuite, desktop, fillTemplate, namedLike, type Locale } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(90_000);

const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const phone = { width: 375, height: 812 };
/** A common phone of today, at which the branch admin walks the reports. */
const phone390 = { width: 390, height: 844 };
const planName = '2026 年度理论学习计划';
const courseTitle = '基层治理讲座';
const lectureTitle = '第一讲 社区治理入门';
let courseId = '';
let lectureId = '';
let planId = '';
/** Where the member stopped in the lecture (from the pause heartbeat). */
let stoppedAt = 0;

/** The study calendar's today, as the server counts days. */
const studyDay = (offset = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() + offset * 86_400_000));
/** The "see members" link of a unit in the overview table (its unit is said, not shown). */
const membersLink = (unit: string) => namedLike(zh.reports.viewMembers, fillTemplate(zh.reports.ofUnit, { unit }));
const clock = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

beforeAll(async () => {
  // A published course with one 60 s lecture of real HLS media, made by the editor through the API.
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id })).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 60);
  lectureId = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, {
      title: lectureTitle,
      speaker: '李老师',
      assetId,
    })
  ).id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
}, 180_000);

/** Signed in with downloads accepted, at a desk in Chinese unless said. */
const openSignedIn = (user: SignInDetails, viewport = desktop, locale: Locale = 'zh-CN') =>
  suite.open(user, { locale, viewport, acceptDownloads: true });

const isHeartbeat = (response: Response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/heartbeats';

/** Study as the heartbeat ingest records it: credit per day plus the lecture's progress. */
async function studied(login: string, hoursPerDay: number[]) {
  const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [login]);
  const firstOfYear = `${studyDay().slice(0, 4)}-01-01`;
  for (const [i, hours] of hoursPerDay.entries()) {
    const day = studyDay(-i) < firstOfYear ? firstOfYear : studyDay(-i);
    await suite.db.query(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + $4`,
      [id, lectureId, day, hours * 3600],
    );
  }
  await suite.db.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at)
     VALUES ($1, $2, '[[0, 60]]', 60, 60, 60, 60, now()) ON CONFLICT (user_id, lecture_id) DO NOTHING`,
    [id, lectureId],
  );
}

/** Active members (other than the demo member) of a unit and the units below it. */
const membersOf = async (path: string): Promise<string[]> =>
  (
    await suite.db.query(
      `SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND u.active AND (o.path = $1 OR o.path LIKE $1 || '/%') AND u.login <> 'member' ORDER BY u.login`,
      [path],
    )
  ).map((r: { login: string }) => r.login);

describe('study hours: heartbeats, My study and scoped reports', () => {
  it('lets the committee admin create a 32 h plan for the whole committee this year', async () => {
    const page = await openSignedIn(suite.stack.demo.committeeAdmin);
    await page.getByRole('link', { name: zh.nav.reports }).click();
    await page.getByRole('heading', { level: 1, name: zh.reports.title }).waitFor();
    await page.getByText(zh.reports.noPlans).waitFor();
    await page.getByRole('link', { name: zh.reports.managePlans }).click();
    await page.getByRole('link', { name: zh.plans.new }).click();
    await page.getByRole('heading', { level: 1, name: zh.plans.new }).waitFor();
    // Not yet ready units/categories would make the form shift under the test.
    await page.getByText(fillTemplate(zh.planForm.wholeUnit, { unit: '示范委员会' })).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'new-plan-zh-desktop');

    // Sending it empty marks the fields, without a request.
    await page.getByRole('button', { name: zh.planForm.create }).click();
    await page.getByRole('alert').filter({ hasText: zh.planForm.fixErrors }).waitFor();
    expect(await page.getByLabel(zh.planForm.name).getAttribute('aria-invalid')).toBe('true');

    const year = studyDay().slice(0, 4);
    await page.getByLabel(zh.planForm.name).fill(planName);
    expect(await page.getByLabel(zh.planForm.periodStart).inputValue()).toBe(`${year}-01-01`);
    expect(await page.getByLabel(zh.planForm.periodEnd).inputValue()).toBe(`${year}-12-31`);
    await page.getByLabel(zh.planForm.requiredHours).fill('32');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/study-plans'));
    await page.getByRole('button', { name: zh.planForm.create }).click();
    const plan = (await (await created).json()) as {
      id: string;
      requiredHours: number;
      units: Array<{ name: string }>;
      memberCount: number;
    };
    expect(plan).toMatchObject({ requiredHours: 32, units: [{ name: '示范委员会' }] });
    expect(plan.memberCount).toBe(30);
    planId = plan.id;
    await page.getByRole('heading', { level: 1, name: planName }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/reports/plans/${planId}`);
  });

  it('credits a member who plays a lecture with real hls.js, shows it in My study, and offers to resume there', async () => {
    const page = await openSignedIn(suite.stack.demo.member);
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    // Nothing watched yet: the plan at zero and an empty "continue watching", in words.
    await page.getByRole('heading', { level: 3, name: planName }).waitFor();
    await page.getByText(zh.study.nothingStarted).waitFor();

    await page.goto(`/lectures/${lectureId}?course=${courseId}`);
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    const answers: Array<{ lectureCreditedSec: number; position: number }> = [];
    const sent: Array<{ seq: number; event: string; visible: boolean; intervals: number[][] }> = [];
    page.on('response', async (response) => {
      if (!isHeartbeat(response)) return;
      sent.push(JSON.parse(response.request().postData() ?? '{}'));
      if (response.ok()) answers.push(await response.json());
    });
    await page.getByRole('button', { name: zh.player.bigPlay }).click();
    // The first tick goes 10 s after playback starts.
    const tick = await page.waitForResponse((r) => isHeartbeat(r) && r.ok(), { timeout: 40_000 });
    const firstAnswer = (await tick.json()) as { lectureCreditedSec: number };
    expect(firstAnswer.lectureCreditedSec).toBeGreaterThan(5);
    await page.waitForFunction('document.querySelector("video").currentTime > 12', null, { timeout: 30_000 });
    const paused = page.waitForResponse((r) => isHeartbeat(r) && JSON.parse(r.request().postData() ?? '{}').event === 'pause');
    await page.getByRole('button', { name: zh.player.pause }).click();
    const pauseAnswer = (await (await paused).json()) as { lectureCreditedSec: number; position: number };
    stoppedAt = pauseAnswer.position;
    expect(stoppedAt).toBeGreaterThan(11);

    // The page shows the lecture's credited time from the latest answer.
    const credited = fillTemplate(zh.lecture.credited, { time: formatDuration(pauseAnswer.lectureCreditedSec, 'zh-CN') });
    await page.getByText(credited).waitFor();
    expect(pauseAnswer.lectureCreditedSec).toBeGreaterThan(10);
    expect(sent.map((s) => s.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(sent.every((s) => s.visible)).toBe(true);
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    // My study: the lecture to continue, and hours earned against the committee plan.
    const study = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/study');
    await page.getByRole('link', { name: zh.nav.study }).click();
    const mine = (await (await study).json()) as { plans: Array<{ name: string; earnedHours: number }> };
    const myPlan = mine.plans.find((p) => p.name === planName)!;
    expect(myPlan.earnedHours).toBeGreaterThan(0);
    const card = page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3, name: planName }) });
    expect(await card.locator('.plan-card__earned').textContent()).toBe(formatDuration(myPlan.earnedHours * 3600, 'zh-CN'));
    expect(await card.getByRole('progressbar').getAttribute('aria-valuetext')).toContain('应学 32 小时');
    const continueList = page.getByRole('region', { name: zh.study.continue });
    await continueList.getByRole('link', { name: lectureTitle }).waitFor();
    await continueList.getByText(fillTemplate(zh.study.stoppedAt, { time: clock(stoppedAt), total: '1:00' })).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'my-study-zh-desktop');

    // A second visit offers to carry on where the member stopped.
    const reopened = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/lectures\/[^/]+\/playback$/.test(r.url()));
    await continueList.getByRole('link', { name: lectureTitle }).click();
    const session = (await (await reopened).json()) as { resumePositionSec: number };
    expect(Math.abs(session.resumePositionSec - stoppedAt)).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: fillTemplate(zh.player.resumeAt, { time: clock(session.resumePositionSec) }) }).click();
    await page.waitForFunction(`document.querySelector("video").currentTime > ${session.resumePositionSec + 0.5}`, null, {
      timeout: 30_000,
    });
    await page.getByRole('button', { name: zh.player.pause }).click();
  }, 150_000);

  it('never reports hidden playback as visible, and hands the counting over to another screen', async () => {
    const page = await openSignedIn(suite.stack.demo.member);
    const sent: Array<{ seq: number; event: string; visible: boolean; intervals: number[][] }> = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/heartbeats' && request.postData()) {
        sent.push(JSON.parse(request.postData()!));
      }
    });
    // Playwright does not show a beacon's body, so the page keeps a copy of what it hands to sendBeacon.
    await page.addInitScript(`(() => {
      const send = navigator.sendBeacon.bind(navigator);
      window.beacons = [];
      navigator.sendBeacon = (url, data) => {
        data.text().then((body) => window.beacons.push({ type: data.type, body }));
        return send(url, data);
      };
    })()`);
    await page.goto(`/lectures/${lectureId}?course=${courseId}`);
    await page.getByRole('button', { name: zh.player.startOver }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 3', null, { timeout: 30_000 });

    // The page is hidden (another tab, the screen off): what was played so far goes out at once by beacon.
    const setVisibility = (state: 'visible' | 'hidden') =>
      page.evaluate(`(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
        document.dispatchEvent(new Event('visibilitychange'));
        return document.querySelector('video').currentTime;
      })()`) as Promise<number>;
    const hiddenAt = await setVisibility('hidden');
    await page.waitForTimeout(4_000);
    const shownAt = await setVisibility('visible');
    expect(shownAt - hiddenAt).toBeGreaterThan(3);
    const [beacon] = (await page.evaluate('window.beacons')) as Array<{ type: string; body: string }>;
    expect(beacon!.type).toBe('text/plain');
    const hidden = JSON.parse(beacon!.body) as { sessionId: string; seq: number; event: string; visible: boolean; intervals: number[][] };
    expect(hidden).toMatchObject({ event: 'hide', visible: true });
    expect(Math.max(...hidden.intervals.map(([, end]) => end!))).toBeCloseTo(hiddenAt, 0);
    // The server took it (it answers nobody, so ask the database).
    const [{ last_seq }] = await suite.db.query(`SELECT last_seq FROM playback_sessions WHERE id = $1`, [hidden.sessionId]);
    expect(last_seq).toBeGreaterThanOrEqual(hidden.seq);
    sent.push(hidden);
    // The next tick reports only what was played after the page came back.
    await page.waitForResponse((r) => isHeartbeat(r) && JSON.parse(r.request().postData() ?? '{}').event === 'tick', { timeout: 20_000 });
    for (const heartbeat of sent.filter((s) => s.visible)) {
      for (const [start, end] of heartbeat.intervals) expect(end <= hiddenAt + 0.3 || start >= shownAt - 0.3).toBe(true);
    }

    // The same member opens the lecture on another screen: this one stops counting and says so. Its next
    // heartbeat is answered 409 on purpose, and Chromium logs that failed request.
    expectConsoleErrors(/status of 409 \(Conflict\) \(http[^ ]*\/api\/heartbeats/);
    const other = await openSignedIn(suite.stack.demo.member);
    await other.goto(`/lectures/${lectureId}?course=${courseId}`);
    await other.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    await page.getByRole('alert').filter({ hasText: zh.lecture.otherScreen }).waitFor({ timeout: 20_000 });
    const countBefore = sent.length;
    await page.waitForTimeout(11_000);
    expect(sent.length).toBe(countBefore);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'lecture-other-screen-zh-desktop');

    // Taking it back: a new session here, and heartbeats are answered again.
    const answered = page.waitForResponse((r) => isHeartbeat(r) && r.ok(), { timeout: 20_000 });
    await page.getByRole('button', { name: zh.lecture.countHere }).click();
    await answered;
    expect(await page.getByRole('alert').filter({ hasText: zh.lecture.otherScreen }).count()).toBe(0);
    await page.getByRole('button', { name: zh.player.pause }).click();
  }, 120_000);

  it('shows My study on a phone and in English', async () => {
    const phoneZh = await openSignedIn(suite.stack.demo.member, phone);
    await phoneZh.getByRole('link', { name: lectureTitle }).first().waitFor();
    expect(await hasHorizontalScroll(phoneZh)).toBe(false);
    await saveScreenshot(phoneZh, 'my-study-zh-375');

    const desktopEn = await openSignedIn(suite.stack.demo.member, desktop, 'en');
    await desktopEn.getByRole('heading', { level: 1, name: en.study.title }).waitFor();
    await desktopEn.getByRole('link', { name: lectureTitle }).first().waitFor();
    expect(await findSeriousAxeViolations(desktopEn)).toEqual([]);
    await saveScreenshot(desktopEn, 'my-study-en-desktop');
    const phoneEn = await openSignedIn(suite.stack.demo.member, phone, 'en');
    await phoneEn.getByRole('link', { name: lectureTitle }).first().waitFor();
    expect(await hasHorizontalScroll(phoneEn)).toBe(false);
    await saveScreenshot(phoneEn, 'my-study-en-375');
  });

  it('shows the branch admin only their branch, drills down to a group, and exports what the screen shows', async () => {
    // Study in two branches: east (the admin's) and west (not theirs).
    const east1 = await membersOf('committee/east/group-1');
    const east2 = await membersOf('committee/east/group-2');
    const west = await membersOf('committee/west');
    await studied(east1[0]!, [10, 10, 8, 6]);
    await studied(east1[1]!, [2, 1.5]);
    await studied(east2[0]!, [4, 4, 4]);
    await studied(west[0]!, [12, 12, 12]);
    await studied(west[1]!, [3]);

    const page = await openSignedIn(suite.stack.demo.branchAdmin);
    await page.getByRole('link', { name: zh.nav.reports }).click();
    await page.getByRole('link', { name: planName }).click();
    await page.getByRole('heading', { level: 1, name: planName }).waitFor();
    const units = page.getByRole('region', { name: zh.reports.units });
    const table = units.getByRole('table');
    await table.waitFor();

    // The branch and its groups only, parents first; the overview's own figures say the same.
    const paths = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-unit-path')));
    expect(paths).toEqual(['committee/east', 'committee/east/group-1', 'committee/east/group-2']);
    const text = (await page.getByRole('main').textContent()) ?? '';
    for (const foreign of ['西区', '北区', '示范委员会']) expect(text).not.toContain(foreign);
    await page.getByRole('link', { name: membersLink('东区第一小组') }).waitFor();

    // Collapsing the branch hides its groups, and the chart follows the table.
    await page.getByRole('button', { name: fillTemplate(zh.reports.collapse, { unit: '东区分会' }) }).click();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('svg.bar-chart rect.bar-chart__bar').count()).toBe(1);
    await page.getByRole('button', { name: fillTemplate(zh.reports.expand, { unit: '东区分会' }) }).click();
    expect(await page.locator('svg.bar-chart rect.bar-chart__bar').count()).toBe(3);

    // Charts: one bar per unit shown, a trend line with a point on each day that had study.
    const barChart = page.getByRole('img', { name: zh.reports.chartMet });
    await barChart.waitFor();
    const trendChart = page.getByRole('img', { name: zh.reports.trendChart });
    await trendChart.waitFor();
    expect(await page.locator('svg.line-chart path.line-chart__line').count()).toBe(1);
    expect(await page.locator('svg.line-chart circle.line-chart__point').count()).toBeGreaterThanOrEqual(4);
    const groupOneBar = await page.locator('svg.bar-chart rect.bar-chart__bar').nth(1).getAttribute('width');
    expect(Number(groupOneBar)).toBeGreaterThan(0);
    // The chart's figures as a table, for anyone who prefers numbers.
    await page.getByText(zh.charts.showTable).first().click();
    await page.getByRole('table', { name: zh.reports.chartMet }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'plan-overview-zh-desktop');

    // The overview export: the branch's units only.
    const overviewFile = await captureDownload(page, () =>
      units
        .getByRole('button', {
          name: new RegExp(`^${zh.exports.xlsx}\\s*${fillTemplate(zh.exports.ofTable, { table: zh.reports.units })}$`),
        })
        .click(),
    );
    // Named for what it is: the plan, the branch, the table and the day.
    expect(overviewFile.name).toBe(`${planName} - 东区分会 - 单位汇总 - ${studyDay()}.xlsx`);
    const overviewBook = new ExcelJS.Workbook();
    await overviewBook.xlsx.load(overviewFile.body as unknown as ArrayBuffer);
    const overviewSheet = overviewBook.worksheets[0]!;
    // Unit names as the screen shows them, the hierarchy as a path of names; no slugs, no indenting.
    expect((overviewSheet.getColumn(1).values as unknown[]).slice(2)).toEqual(['东区分会', '东区第一小组', '东区第二小组']);
    expect((overviewSheet.getColumn(2).values as unknown[]).slice(2)).toEqual([
      '东区分会',
      '东区分会 / 东区第一小组',
      '东区分会 / 东区第二小组',
    ]);
    // Every column of the screen's table is in the file, under the same heading, with the same figures.
    const overviewHeader = (overviewSheet.getRow(1).values as unknown[]).slice(1);
    const screenHeader = (await table.locator('thead th').allTextContents()).filter((h) => h !== zh.reports.col.actions);
    for (const heading of screenHeader) expect(overviewHeader).toContain(heading);
    const branchRow = table.locator('tbody tr').first();
    const cellOf = async (heading: string) => ((await branchRow.locator(`[data-label="${heading}"]`).textContent()) ?? '').trim();
    const fileCell = (heading: string) => overviewSheet.getRow(2).getCell(overviewHeader.indexOf(heading) + 1);
    for (const heading of [zh.reports.col.totalHours, zh.reports.col.averageHours, zh.reports.col.onTrack, zh.reports.col.members]) {
      expect(String(fileCell(heading).value)).toBe(await cellOf(heading));
    }
    const percentCell = fileCell(zh.reports.col.percentMet);
    expect(`${((percentCell.value as number) * 100).toFixed(1)}%`).toBe(await cellOf(zh.reports.col.percentMet));
    // The header counts the branch's members, not the whole committee's.
    const eastCount = (await membersOf('committee/east')).length + 1;
    expect(await page.locator('.plan-facts__members').textContent()).toBe(
      fillTemplate(zh.plans.memberCountIn_other, { unit: '东区分会', count: eastCount }),
    );
    expect(eastCount).toBeLessThan(30);

    // Drill down to group 1.
    await page.getByRole('link', { name: membersLink('东区第一小组') }).click();
    await page.getByRole('heading', { level: 1, name: fillTemplate(zh.reports.membersTitle, { unit: '东区第一小组' }) }).waitFor();
    const members = page.getByRole('table');
    await members.waitFor();
    const screenLogins = async () => members.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-login')));
    const group1 = [...(await membersOf('committee/east/group-1')), 'member'].sort();
    expect([...(await screenLogins())].sort()).toEqual(group1);
    for (const unit of await members.locator('tbody tr td:nth-child(3)').allTextContents()) expect(unit.trim()).toBe('东区第一小组');

    // Sort by hours earned, highest first: the one with 34 h leads and has met the plan.
    await page.getByLabel(zh.reports.sortBy).selectOption('earnedHours');
    await page.getByLabel(zh.reports.order).selectOption('desc');
    await page.getByRole('button', { name: zh.reports.apply }).click();
    await page.waitForURL(/sort=earnedHours/);
    await members.locator('tbody tr').first().filter({ hasText: zh.planStatus.met }).waitFor();
    expect((await screenLogins())[0]).toBe(east1[0]);
    const earned = (await members.locator(`tbody tr td[data-label="${zh.reports.col.earnedHours}"]`).allTextContents()).map((v) =>
      v.trim(),
    );
    expect(earned[0]).toBe(formatDuration(34 * 3600, 'zh-CN'));
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toBe(zh.reports.col.earnedHours);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'plan-members-zh-desktop');

    // The XLSX of this very table: the same people, in the same order, with the same hours; east only.
    const membersFile = await captureDownload(page, () => page.getByRole('button', { name: zh.exports.xlsx }).click());
    expect(membersFile.name).toBe(`${planName} - 东区第一小组 - 学员 - ${studyDay()}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(membersFile.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
    expect(rows.map((row) => row.getCell(2).value)).toEqual(await screenLogins());
    expect(rows.map((row) => String(row.getCell(1).value))).toEqual(
      (await members.locator('tbody tr th').allTextContents()).map((name) => name.trim()),
    );
    // The same hours in the same words, the unit and the category by name, as on screen.
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (heading: string) => rows.map((row) => String(row.getCell(headings.indexOf(heading) + 1).value));
    expect(column(zh.reports.col.earnedHours)).toEqual(earned);
    expect(column(zh.reports.col.unit).every((unit) => unit === '东区第一小组')).toBe(true);
    expect(column(zh.reports.col.category)).toEqual(
      (await members.locator(`tbody tr td[data-label="${zh.reports.col.category}"]`).allTextContents()).map((v) => v.trim()),
    );
    expect(column(zh.reports.col.category)).toContain('离退休');
    await page
      .getByRole('status')
      .filter({ hasText: fillTemplate(zh.exports.done, { name: membersFile.name }) })
      .waitFor();

    // Only those who met the plan.
    await page.getByLabel(zh.reports.filterStatus).selectOption('met');
    await page.getByRole('button', { name: zh.reports.apply }).click();
    await page.waitForURL(/status=met/);
    await page
      .getByRole('status')
      .filter({ hasText: /^共 1 人/ })
      .waitFor();
    expect(await screenLogins()).toEqual([east1[0]]);

    // Member detail: plans, study per day, lectures.
    await members.getByRole('link').first().click();
    await page.getByRole('heading', { level: 2, name: zh.reports.memberPlans }).waitFor();
    await page.getByRole('img', { name: fillTemplate(zh.reports.memberDailyChart, { days: 90 }) }).waitFor();
    expect(await page.locator('svg.line-chart circle.line-chart__point').count()).toBeGreaterThanOrEqual(4);
    await page.getByRole('cell', { name: courseTitle }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'member-detail-zh-desktop');
  }, 150_000);

  it('fits the reports on a phone and reads them in English, and each export says what its screen says', async () => {
    const group1 = (await suite.db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`))[0].id as string;
    for (const [lang, labels] of [
      ['zh-CN', zh],
      ['en', en],
    ] as const) {
      const tag = lang === 'en' ? 'en' : 'zh';
      for (const [size, viewport] of [
        ['desktop', desktop],
        ['390', phone390],
      ] as const) {
        if (tag === 'zh' && size === 'desktop') continue;
        const page = await openSignedIn(suite.stack.demo.branchAdmin, viewport, lang);
        await page.goto(`/reports/plans/${planId}`);
        await page.getByRole('img', { name: labels.reports.chartMet }).waitFor();
        await page.getByRole('img', { name: labels.reports.trendChart }).waitFor();
        expect(await hasHorizontalScroll(page)).toBe(false);
        if (size === '390') {
          // The chart is drawn at the phone's width, so its text stays full size.
          const width = Number(await page.locator('svg.bar-chart').getAttribute('width'));
          expect(width).toBeLessThanOrEqual(390);
        }
        expect(await findSeriousAxeViolations(page)).toEqual([]);
        await saveScreenshot(page, `plan-overview-${tag}-${size}`);

        await page.goto(`/reports/plans/${planId}/members?unitId=${group1}&sort=earnedHours&order=desc`);
        await page.getByRole('table').locator('tbody tr').first().waitFor();
        expect(await hasHorizontalScroll(page)).toBe(false);
        expect(await findSeriousAxeViolations(page)).toEqual([]);
        await saveScreenshot(page, `plan-members-${tag}-${size}`);

        // The file of this table, in this language: the same hours in the same words, the same names.
        const table = page.getByRole('table');
        const screenColumn = async (heading: string) =>
          (await table.locator(`tbody tr td[data-label="${heading}"]`).allTextContents()).map((v) => v.trim());
        const file = await captureDownload(page, () => page.getByRole('button', { name: labels.exports.csv }).click());
        expect(file.name).toBe(`${planName} - 东区第一小组 - ${lang === 'en' ? 'members' : '学员'} - ${studyDay()}.csv`);
        const [header, ...records] = parseCsv(file.body.toString('utf8').replace(/^\ufeff/, ''));
        const fileColumn = (heading: string) => records.map((record) => record[header!.indexOf(heading)]);
        for (const heading of [
          labels.reports.col.earnedHours,
          labels.reports.col.remainingHours,
          labels.reports.col.category,
          labels.reports.col.unit,
        ]) {
          expect(fileColumn(heading)).toEqual(await screenColumn(heading));
        }
        expect(fileColumn(labels.reports.col.category)).toContain(lang === 'en' ? 'Retired' : '离退休');
        expect(file.body.toString('utf8')).not.toContain('committee/');

        // The course and member reports at this size and in this language.
        await page.goto('/reports/courses');
        await page.getByRole('link', { name: courseTitle }).waitFor();
        expect(await hasHorizontalScroll(page)).toBe(false);
        await saveScreenshot(page, `course-report-${tag}-${size}`);
        const [{ id: demoId }] = await suite.db.query(`SELECT id FROM users WHERE login = 'member'`);
        await page.goto(`/reports/members/${demoId}?plan=${planId}`);
        await page.getByRole('heading', { level: 2, name: labels.reports.memberLectures }).waitFor();
        await page.getByRole('cell', { name: courseTitle }).waitFor();
        expect(await hasHorizontalScroll(page)).toBe(false);
        await saveScreenshot(page, `member-detail-${tag}-${size}`);
      }
    }
  }, 240_000);

  it('lets the admin who owns an ended plan open a make-up period and then close the plan', async () => {
    const admin = await suite.tokenOf(suite.stack.demo.committeeAdmin);
    const ended = await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
      name: '上半年学习计划',
      periodStart: studyDay(-200),
      periodEnd: studyDay(-20),
      requiredHours: 10,
    });
    const page = await openSignedIn(suite.stack.demo.committeeAdmin);
    await page.goto('/plans');
    const item = page.getByRole('article').filter({ has: page.getByRole('heading', { name: '上半年学习计划' }) });
    await item.getByText(zh.plans.state.ended).waitFor();
    await item.getByLabel(zh.plans.makeupLabel).fill(studyDay(30));
    await item.getByRole('button', { name: zh.plans.openMakeup }).click();
    await item.getByText(zh.plans.state.makeup).waitFor();
    expect((await suite.api<{ makeupUntil: string }>(admin, 'GET', `/api/study-plans/${ended.id}`)).makeupUntil).toBe(studyDay(30));

    await item.getByRole('button', { name: zh.plans.close }).click();
    await item.getByText(fillTemplate(zh.plans.closeConfirm, { name: '上半年学习计划' })).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await item.getByRole('button', { name: zh.plans.confirmClose }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fillTemplate(zh.plans.closed, { name: '上半年学习计划' }) })
      .waitFor();
    await item.getByText(zh.plans.state.closed, { exact: true }).waitFor();
    expect(await item.getByRole('button', { name: zh.plans.close }).count()).toBe(0);
    await saveScreenshot(page, 'plans-zh-desktop');

    // The branch admin sees the committee's plans that reach into the branch, but only their owners may change them.
    const branch = await openSignedIn(suite.stack.demo.branchAdmin, phone);
    await branch.goto('/plans');
    const running = branch.getByRole('article').filter({ has: branch.getByRole('heading', { name: planName }) });
    await running.getByText(zh.plans.state.running).waitFor();
    expect(await running.getByRole('button', { name: zh.plans.close }).count()).toBe(0);
    expect(await hasHorizontalScroll(branch)).toBe(false);
  });

  it('reports courses and a lecture with its retention curve, within the branch', async () => {
    const page = await openSignedIn(suite.stack.demo.branchAdmin);
    await page.goto('/reports/courses');
    await page.getByRole('heading', { level: 1, name: zh.reports.courseReport }).waitFor();
    await page.getByRole('link', { name: courseTitle }).click();
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await page.getByRole('link', { name: lectureTitle }).click();
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    await page.getByRole('img', { name: zh.reports.retentionChart }).waitFor();
    // East members only: the three seeded east members watched all of it, the demo member a fifth.
    const viewers = page.locator('.stat').filter({ hasText: zh.reports.col.viewers }).locator('dd');
    expect(await viewers.textContent()).toBe('4');
    expect(await page.locator('svg.line-chart circle.line-chart__point').count()).toBe(50);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'lecture-report-zh-desktop');
  });
});
