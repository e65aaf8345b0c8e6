import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { saveScreenshot } from '../support/browser.js';
import { browserSuite, expectTidy, fillTemplate } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(90_000);

/** What a member sees on a phone: the lecture page and My study, in both languages. */
const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const courseTitle = '社区服务讲座';
const lectureTitle = '第一讲 邻里互助';
const closedPlan = '提前结束的学习计划';
const makeupPlan = '上季度学习计划';
let courseId = '';
let lectureId = '';
let memberId = '';

const languages = { 'zh-CN': zh, en } as const;
type Locale = keyof typeof languages;
/** A message with its placeholders as wildcards. */
const pattern = (template: string) => new RegExp(template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\{\w+\\\}\\\}/g, '.+?'));
/** The study calendar's day, as the server counts days. */
const studyDay = (offset = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() + offset * 86_400_000));

/** Study as the heartbeat ingest records it, on one day. */
const studied = (day: string, seconds: number) =>
  suite.db.query(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + $4`,
    [memberId, lectureId, day, seconds],
  );

beforeAll(async () => {
  memberId = (await suite.db.query(`SELECT id FROM users WHERE login = $1`, [suite.stack.demo.member.login]))[0].id;

  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id })).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 30);
  lectureId = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, {
      title: lectureTitle,
      speaker: '赵老师',
      assetId,
    })
  ).id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);

  // A plan the admin closed 18 days before its end, with nothing studied by then; and last quarter's plan,
  // which the member fell short of, closed with a make-up window open.
  const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
  const early = await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
    name: closedPlan,
    periodStart: studyDay(-10),
    periodEnd: studyDay(18),
    requiredHours: 2,
  });
  await suite.api(admin, 'POST', `/api/reports/plans/${early.id}/close`);
  const last = await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
    name: makeupPlan,
    periodStart: studyDay(-60),
    periodEnd: studyDay(-3),
    requiredHours: 1,
  });
  await studied(studyDay(-20), 1200);
  await suite.api(admin, 'POST', `/api/study-plans/${last.id}/makeup`, { until: studyDay(20) });
  await suite.api(admin, 'POST', `/api/reports/plans/${last.id}/close`);
  // Studied after both closings: 15 minutes today, inside the first plan's period and the make-up window.
  await studied(studyDay(), 900);
}, 180_000);

/** Signed in as the demo member at phone width. */
const openSignedIn = (locale: Locale) => suite.open(suite.stack.demo.member, { locale });

const isHeartbeat = (response: Response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/heartbeats';

describe.each(Object.keys(languages) as Locale[])('a member on a phone (%s)', (locale) => {
  const t = languages[locale];

  it('sees a closed plan as closed, with its frozen result, and make-up study apart', async () => {
    const page = await openSignedIn(locale);
    await page.goto('/study');
    await page.getByRole('heading', { level: 1, name: t.study.title }).waitFor();

    const closed = page.getByRole('article', { name: closedPlan });
    await closed.waitFor();
    const closedText = (await closed.textContent()) ?? '';
    // Frozen at closing: nothing earned, not met, closed; no days left, no "behind", no call to study more.
    expect(closedText).toContain(t.study.result.notMet);
    expect(closedText).toContain(t.study.closedHint);
    expect(closedText).toMatch(pattern(t.study.closedOn));
    expect(closedText).not.toContain(fillTemplate(t.study.daysLeft_other, { count: 18 }));
    expect(closedText).not.toContain(t.planStatus.behind);
    expect(closedText).not.toContain(t.study.statusHint.behind);
    expect(await closed.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');

    const makeup = page.getByRole('article', { name: makeupPlan });
    const makeupText = (await makeup.textContent()) ?? '';
    expect(makeupText).toContain(t.study.result.notMet);
    expect(makeupText).toMatch(pattern(t.study.makeupStudied));
    expect(makeupText).toMatch(pattern(t.study.makeup));
    expect(await makeup.getByRole('progressbar').getAttribute('aria-valuenow')).not.toBe('100');

    await expectTidy(page, `member-study-${locale}`);
  });

  it('plays a lecture, and leaving the page and coming back offers to resume there', async () => {
    const page = await openSignedIn(locale);
    await page.goto(`/lectures/${lectureId}?course=${courseId}`);
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    const start = page.getByRole('button', { name: t.player.startOver }).or(page.getByRole('button', { name: t.player.bigPlay }));
    await start.first().click();
    await page.evaluate(`(() => {
      const video = document.querySelector('video');
      video.addEventListener('timeupdate', () => { if (video.currentTime > 6) video.pause(); });
    })()`);
    const paused = await page.waitForResponse((r) => isHeartbeat(r) && r.request().postDataJSON().event === 'pause', { timeout: 60_000 });
    expect(paused.status()).toBe(200);
    const stoppedAt = Math.floor((paused.request().postDataJSON() as { position: number }).position);
    await expectTidy(page, `member-lecture-${locale}`);

    // Away to My study within the app (the player unmounts), then back.
    await page.getByRole('link', { name: t.nav.study }).first().click();
    await page.getByRole('heading', { level: 1, name: t.study.title }).waitFor();
    const resume = fillTemplate(t.player.resumeAt, { time: `0:${String(stoppedAt).padStart(2, '0')}` });
    await page.getByRole('link', { name: lectureTitle }).first().click();
    await page.getByRole('button', { name: resume }).waitFor();
    await saveScreenshot(page, `member-lecture-resume-${locale}`);
    await page.context().close();
  });
});
