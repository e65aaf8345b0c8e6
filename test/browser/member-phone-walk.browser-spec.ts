import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile, stat } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import type { AssetOutputs } from '../../libs/contracts/src/queues.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate } from '../support/browser-suite.js';
import { waitUntil } from '../support/ports.js';
import { publishTranscodedMedia } from '../support/published-media.js';

jest.setTimeout(240_000);

/**
 * A member's day on a phone, end to end: a two-lecture course played through with the next-lecture
 * countdown, the ticks on the course page, the small offline file, and the study record as a PDF.
 */
const TIME_ZONE = 'Asia/Shanghai';
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: TIME_ZONE });
const courseTitle = '手机上的一天';
const lectureTitles = ['第一讲 出发', '第二讲 到达'] as const;
const planName = '东区分会年度学习计划';
let courseId = '';
const lectureIds: string[] = [];
const media: AssetOutputs[] = [];

/** A message with its placeholders as wildcards. */
const pattern = (template: string) => new RegExp(escapeRegExp(template).replace(/\\\{\\\{\w+\\\}\\\}/g, '.+?'));

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id })).id;
  for (const title of lectureTitles) {
    // A real ladder (720p down to 240p) and its offline files, as the transcoder makes them.
    const { assetId, outputs } = await publishTranscodedMedia(suite.db, suite.stack.env.STORAGE_DIR!, { seconds: 6 });
    media.push(outputs);
    lectureIds.push((await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title, assetId })).id);
  }
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
  // This year's plan of the member's branch, which the study record lists.
  const day = (offset: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() + offset * 86_400_000));
  const admin = await suite.tokenOf(suite.stack.demo.branchAdmin);
  await suite.api(admin, 'POST', '/api/study-plans', { name: planName, periodStart: day(-30), periodEnd: day(300), requiredHours: 32 });
}, 180_000);

/** The whole control bar is on the first screen. */
async function expectControlsOnScreen(page: Page) {
  const controls = page.locator('.player__controls');
  await controls.waitFor();
  const box = (await controls.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
}

/** The video is playing: its clock moves. */
async function expectPlaying(page: Page) {
  await page.waitForFunction(
    '(() => { const video = document.querySelector("video"); return !!video && !video.paused && video.currentTime > 0.5; })()',
  );
}

async function downloadedBytes(page: Page, start: () => Promise<unknown>): Promise<{ bytes: number; name: string; head: Buffer }> {
  const [download]: [Download, unknown] = await Promise.all([page.waitForEvent('download'), start()]);
  const path = await download.path();
  return { bytes: (await stat(path)).size, name: download.suggestedFilename(), head: (await readFile(path)).subarray(0, 8) };
}

describe("a member's day on a phone", () => {
  it('plays the course through with the next-lecture countdown, in Chinese at 390×844', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale: 'zh-CN', acceptDownloads: true });
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await page.getByRole('link', { name: zh.course.start }).click();

    await page.waitForURL(new RegExp(`/lectures/${lectureIds[0]}`));
    await expectControlsOnScreen(page);
    await expectTidy(page, 'walk-lecture-1-390-zh');
    await page.getByRole('button', { name: zh.player.bigPlay }).click();
    await expectPlaying(page);

    // At the end the next lecture is offered with a countdown; left alone, it starts by itself.
    await page.getByText(pattern(zh.memberLecture.nextIn)).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: zh.memberLecture.cancelNext }).waitFor();
    await expectTidy(page, 'walk-countdown-390-zh');
    await page.waitForURL(new RegExp(`/lectures/${lectureIds[1]}`), { timeout: 60_000 });
    await expectControlsOnScreen(page);
    await expectPlaying(page);
    // The last lecture offers nothing after it.
    await page.waitForFunction('document.querySelector("video")?.ended === true', null, { timeout: 60_000 });
    expect(await page.getByText(pattern(zh.memberLecture.nextIn)).count()).toBe(0);

    // Both lectures are ticked once the server has counted them.
    const finished = async () => {
      const [{ done }] = await suite.db.query(
        `SELECT count(*)::int AS done FROM lecture_progress p JOIN users u ON u.id = p.user_id
          WHERE u.login = $1 AND p.lecture_id = ANY($2::uuid[]) AND p.completed_at IS NOT NULL`,
        [suite.stack.demo.member.login, lectureIds],
      );
      return done === 2;
    };
    await waitUntil(finished, 60_000, 'both lectures completed');
    await page.goto(`/courses/${courseId}`);
    await page.getByText(fillTemplate(zh.memberProgress.summary, { done: 2, total: 2 })).waitFor();
    await expect(page.getByText(zh.memberProgress.lectureDone, { exact: true }).count()).resolves.toBe(2);
    await page.getByText(zh.memberProgress.finished).waitFor();
    await expectTidy(page, 'walk-course-done-390-zh');

    // The standard offline file: a fraction of the high one.
    await page.goto(`/lectures/${lectureIds[0]}?course=${courseId}`);
    const standard = media[0]!.downloads!.find((file) => file.quality === 'standard')!;
    const high = media[0]!.downloads!.find((file) => file.quality === 'high')!;
    const file = await downloadedBytes(page, () =>
      page.getByRole('link', { name: new RegExp(escapeRegExp(fillTemplate(zh.memberDownloads.standard, { resolution: '360p' }))) }).click(),
    );
    expect(file.name).toBe(`${lectureTitles[0]} (360p).mp4`);
    expect(file.bytes).toBe(standard.bytes);
    expect(file.bytes).toBeLessThan(0.4 * high.bytes);

    // The study record, as a PDF to print or send.
    await page.goto('/study');
    await page.getByRole('link', { name: zh.studyRecord.link }).click();
    const record = await downloadedBytes(page, () => page.getByRole('button', { name: zh.studyRecord.download }).click());
    expect(record.head.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(record.bytes).toBeGreaterThan(1000);
    await page.getByText(pattern(zh.studyRecord.downloaded)).waitFor();
    await page.getByText(planName).first().waitFor();
    await page.locator('.record-lectures__title', { hasText: lectureTitles[1] }).first().waitFor();
    await expectTidy(page, 'walk-record-390-zh');
  });

  it('reads the same in English, with the countdown cancelled', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale: 'en' });
    await page.goto(`/courses/${courseId}`);
    await page.getByText(fillTemplate(en.memberProgress.summary, { done: 2, total: 2 })).waitFor();
    await page.goto(`/lectures/${lectureIds[0]}?course=${courseId}`);
    await expectControlsOnScreen(page);
    await page.getByRole('button', { name: en.player.bigPlay }).click();
    await page.getByText(pattern(en.memberLecture.nextIn)).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: en.memberLecture.cancelNext }).click();
    await page.getByText(en.memberLecture.nextCancelled).waitFor();
    expect(page.url()).toContain(`/lectures/${lectureIds[0]}`);
    await expectTidy(page, 'walk-cancelled-390-en');
  });
});
