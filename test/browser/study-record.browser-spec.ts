import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { captureDownload, expectConsoleErrors, saveScreenshot } from '../support/browser.js';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/** A member asked for their study record: from My study to the PDF, and a stranger checking it by its QR address. */
const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const desktop = { width: 1366, height: 800 };
const courseTitle = '基层治理专题';
const lectureTitle = '第一讲 社区议事';
const planName = '年度理论学习';
let memberId = '';
let memberName = '';

const studyDay = (offset = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() + offset * 86_400_000));

beforeAll(async () => {
  const member = (await suite.db.query(`SELECT id, name FROM users WHERE login = $1`, [suite.stack.demo.member.login]))[0];
  memberId = member.id;
  memberName = member.name;
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id }))
    .id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  const lectureId = (await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: lectureTitle, assetId }))
    .id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
  const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
  await suite.api(admin, 'POST', '/api/study-plans', {
    name: planName,
    periodStart: studyDay(-30),
    periodEnd: studyDay(60),
    requiredHours: 2,
  });
  await suite.db.query(`INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, 2700)`, [
    memberId,
    lectureId,
    studyDay(-1),
  ]);
  await suite.db.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, duration_sec, completed_at) VALUES ($1, $2, 2700, 2, now())`,
    [memberId, lectureId],
  );
}, 180_000);

describe.each<Locale>(['zh-CN', 'en'])('the study record (%s)', (locale) => {
  const t = messagesOf(locale);
  let code = '';

  it('is reached from My study, lists the plan and its lecture, and downloads as a PDF', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone, acceptDownloads: true });
    await page.goto('/study');
    await page.getByRole('heading', { level: 1, name: t.study.title }).waitFor();
    const plan = page.getByRole('article', { name: planName });
    // Which rule counted the hours, with its explanation.
    await plan.getByText(fillTemplate(t.studyRecord.hours.part, { rule: t.studyRecord.hours.rules.watch_time, time: '' }).trim()).waitFor();
    await plan.getByText(t.studyRecord.hours.hints.watch_time).waitFor();
    await expectTidy(page, `study-record-my-study-${locale}`);

    await page.getByRole('link', { name: t.studyRecord.link }).click();
    await page.getByRole('heading', { level: 1, name: t.studyRecord.title }).waitFor();
    await page.getByRole('heading', { level: 3, name: planName }).waitFor();
    await page.getByText(lectureTitle).waitFor();
    await page.locator('.record-person').getByText(memberName, { exact: true }).waitFor();
    await expectTidy(page, `study-record-page-${locale}`);

    const file = await captureDownload(page, () => page.getByRole('button', { name: t.studyRecord.download }).click());
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.body.length).toBeGreaterThan(10_000);
    expect(file.body.length).toBeLessThan(400_000);
    expect(file.name).toMatch(/\.pdf$/);
    // The number as printed: in groups of four, easier to read out and compare.
    const printed = /([0-9A-Z]{4}(?:-[0-9A-Z]{1,4}){6})/;
    const status = page.getByRole('status').filter({ hasText: printed });
    await status.waitFor();
    code = printed.exec((await status.textContent()) ?? '')![1]!.replaceAll('-', '');
    expect(file.body.toString('latin1')).toContain(`/verify/${code}`);
    const [row] = await suite.db.query(`SELECT user_id, lang FROM study_records WHERE code = $1`, [code]);
    expect(row).toEqual({ user_id: memberId, lang: locale });

    // Desktop: the same page, and its print view.
    await page.setViewportSize(desktop);
    await expectTidy(page, `study-record-page-desktop-${locale}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: t.studyRecord.download }).isVisible()).toBe(false);
    await saveScreenshot(page, `study-record-print-${locale}`);

    // "Open": the browser itself goes to a plain, signed address of the same record's PDF (for in-app browsers).
    // The server's answer to that navigation is checked here and the tab is then given a plain page, so
    // whether this Chromium would show the PDF, or save it, plays no part in the test.
    await page.emulateMedia({ media: 'screen' });
    let served: (value: { url: string; status: number; headers: Record<string, string>; body: Buffer }) => void = () => {};
    const opened = new Promise<Parameters<typeof served>[0]>((resolve) => (served = resolve));
    await page.route(/\/api\/study-records\/[0-9A-Z]{26}\/pdf\?t=/, async (route) => {
      const response = await route.fetch();
      served({ url: route.request().url(), status: response.status(), headers: response.headers(), body: await response.body() });
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>PDF</title>' });
    });
    await page.getByRole('button', { name: t.studyRecord.open }).click();
    const pdf = await opened;
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^inline;/);
    expect(pdf.url).toContain(`/api/study-records/${code}/pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    // The tab lands on that address before the context is closed: closing it mid-navigation can hang Chromium.
    await page.waitForURL(/\/api\/study-records\/[0-9A-Z]{26}\/pdf\?t=/, { waitUntil: 'load' });
    await page.context().close();
  });

  it('is verified by its QR address by someone not signed in, on a phone and a desktop', async () => {
    const page = await suite.openPage({ locale, viewport: phone });
    await page.goto(`/verify/${code}`);
    await page.getByText(t.studyRecord.verify.genuine).waitFor();
    await page.getByText(t.studyRecord.verify.same).waitFor();
    await page.locator('.record-person').getByText(memberName, { exact: true }).waitFor();
    await page.getByRole('heading', { level: 3, name: planName }).waitFor();
    // The login is withheld from whoever checks the record.
    expect(await page.getByText(t.studyRecord.login, { exact: true }).count()).toBe(0);
    await expectTidy(page, `study-record-verify-${locale}`);
    await page.setViewportSize(desktop);
    await expectTidy(page, `study-record-verify-desktop-${locale}`);

    // A number never issued: the API's 404 is the answer the page shows (Chromium logs the failed request).
    expectConsoleErrors(/status of 404/);
    await page.goto('/verify/0000-0000-0000-0000-0000-0000-00');
    await page.getByText(t.studyRecord.verify.notFound).waitFor();
    await page.setViewportSize(phone);
    await expectTidy(page, `study-record-verify-unknown-${locale}`);
    await page.context().close();
  });
});
