import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { resumeOffer } from '../../apps/web/client/src/player/resume.js';
import {
  findSeriousAxeViolations,
  focusedControl,
  hasHorizontalScroll,
  launchBrowser,
  signInAs,
  type SignInDetails,
} from '../support/browser.js';
import { makeVideo } from '../support/media-fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

jest.setTimeout(60_000);

let stack: Stack;
let browser: Browser;
let workDir: string;
let clipPath: string;
const contexts: BrowserContext[] = [];

// A Latin token that only this run's course contains, so the search finds exactly one course.
const token = `lectern${randomBytes(3).toString('hex')}`;
const courseTitle = `社区讲堂 ${token}`;
const lectureTitle = '第一讲 远程学习入门';
let lecturePath = '';
let editorPath = '';

const fill = (template: string, values: Record<string, string>) =>
  Object.entries(values).reduce((text, [key, value]) => text.replace(`{{${key}}}`, value), template);
const clock = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;
const currentTime = (page: Page) => page.evaluate<number>('document.querySelector("video").currentTime');

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'lectern-lecture-flow-'));
  clipPath = join(workDir, '社区讲堂-第一讲.mp4');
  const [started] = await Promise.all([startStack(), makeVideo(clipPath, { seconds: 20, width: 640, height: 360 })]);
  stack = started;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
}, 60_000);

async function openSignedIn(user: SignInDetails, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, locale: 'zh-CN', viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/');
  await signInAs(page, user, {
    username: zh.login.username,
    password: zh.login.password,
    submit: zh.login.submit,
    logout: zh.shell.logout,
  });
  return page;
}

const isPlaybackOpen = (response: Response) =>
  response.request().method() === 'POST' && /\/api\/lectures\/[^/]+\/playback$/.test(response.url());

describe('web client: course catalog, player and studio', () => {
  it('lets the editor create a course, add a lecture, upload its video, see it become ready and publish', async () => {
    const page = await openSignedIn(stack.demo.editor);
    await page.getByRole('link', { name: zh.nav.studio }).click();
    await page.getByRole('heading', { level: 1, name: zh.studio.title }).waitFor();
    await page.getByRole('link', { name: zh.studio.newCourse }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: zh.studio.newCourse }).click();
    await page.getByLabel(zh.courseForm.title).fill(courseTitle);
    await page.getByLabel(zh.courseForm.description).fill('面向全体成员的远程学习入门课程。An introduction to distance learning.');
    await page.getByLabel(zh.courseForm.category).selectOption({ index: 1 });
    await page.getByRole('radio', { name: zh.courseForm.compulsory }).check();
    await page.getByRole('button', { name: zh.courseForm.create }).click();
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    editorPath = new URL(page.url()).pathname;
    expect(editorPath).toMatch(/^\/studio\/courses\/[^/]+$/);

    await page.getByRole('button', { name: zh.editor.addLecture }).click();
    await page.getByLabel(zh.editor.lectureTitle).fill(lectureTitle);
    await page.getByLabel(zh.editor.speaker).fill('陈老师');
    await page.getByRole('button', { name: zh.editor.addLecture }).click();
    await page.getByRole('heading', { level: 3, name: lectureTitle }).waitFor();

    // The page's own file input, as an editor would use it; tus sends it to /files/ in 8 MiB chunks.
    await page.getByLabel(fill(zh.media.chooseLabel, { action: zh.media.choose, title: lectureTitle })).setInputFiles(clipPath);
    // Transcoding a 20 s clip takes 15-30 s on two cores; a loaded machine needs more.
    await page.getByText(zh.media.ready.replace('。', '')).waitFor({ timeout: 180_000 });
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: zh.editor.publish }).click();
    await page.getByText(fill(zh.editor.statusChanged, { status: zh.studio.status.published })).waitFor();
  }, 240_000);

  it('lets a member find the course by search, play the lecture and come back to it', async () => {
    const page = await openSignedIn(stack.demo.member);
    await page.getByRole('link', { name: zh.nav.courses }).click();
    await page.getByRole('heading', { level: 1, name: zh.courses.title }).waitFor();
    await page.getByRole('status').filter({ hasText: /\d/ }).first().waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    // Chinese and Latin words together, as members type them.
    await page.getByLabel(zh.courses.searchLabel).fill(`社区讲堂 ${token}`);
    await page.getByRole('button', { name: zh.courses.search, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fill(zh.courses.total_one, { count: '1', shown: '1' }) })
      .waitFor();
    const results = page.getByRole('list', { name: zh.courses.list }).getByRole('link');
    expect((await results.allTextContents()).map((text) => text.trim())).toEqual([courseTitle]);
    await results.first().click();

    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await page.getByText(zh.courses.compulsory, { exact: true }).first().waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    const firstOpen = page.waitForResponse(isPlaybackOpen);
    await page.getByRole('link', { name: lectureTitle }).click();
    expect((await firstOpen).status()).toBe(201);
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    lecturePath = new URL(page.url()).pathname + new URL(page.url()).search;
    await page.getByRole('button', { name: zh.player.bigPlay }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    // Real hls.js on real segments through the signed /hls/ addresses.
    await page.getByRole('button', { name: zh.player.bigPlay }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 3', null, { timeout: 60_000 });

    // Every control is reachable with Tab, in a sensible order, and the shortcuts work. The player comes
    // first in the main content, before the lecture's title.
    await page.locator('main').focus();
    const reached: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      await page.keyboard.press('Tab');
      const focused = await focusedControl(page, '[role="region"]');
      if (!focused.inside) {
        if (reached.length > 0) break;
        continue;
      }
      reached.push(focused.name);
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        zh.player.seek,
        zh.player.pause,
        zh.player.back10,
        zh.player.forward10,
        zh.player.mute,
        zh.player.volume,
        `${zh.player.speed} 1×`,
        zh.player.fullscreen,
      ]),
    );
    expect(reached.indexOf(zh.player.pause)).toBeLessThan(reached.indexOf(zh.player.fullscreen));
    await page.getByRole('button', { name: zh.player.pause }).focus();
    await page.keyboard.press('k');
    await page.waitForFunction('document.querySelector("video").paused');
    const pausedAt = await currentTime(page);
    await page.keyboard.press('ArrowRight');
    expect(await currentTime(page)).toBeGreaterThan(pausedAt + 5);

    // Leave for the course page and come back.
    await page.getByRole('navigation', { name: zh.common.breadcrumb }).getByRole('link', { name: courseTitle }).click();
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    const secondOpen = page.waitForResponse(isPlaybackOpen);
    await page.getByRole('link', { name: lectureTitle }).click();
    const session = (await (await secondOpen).json()) as { resumePositionSec: number; durationSec: number };
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    // The server learns the position from heartbeats; resuming after real watching is asserted below.
    // Here: whenever the API reports a position worth resuming at, the player offers it.
    if (resumeOffer(session.resumePositionSec, session.durationSec) !== null) {
      await page.getByRole('button', { name: fill(zh.player.resumeAt, { time: clock(session.resumePositionSec) }) }).waitFor();
      await page.getByRole('button', { name: zh.player.startOver }).waitFor();
    }
  }, 120_000);

  it('offers to resume where the API says the member stopped, and really continues there', async () => {
    const page = await openSignedIn(stack.demo.member);
    // The real session with one change: a position part-way through the 20 s lecture.
    await page.route('**/api/lectures/*/playback', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), resumePositionSec: 8 } });
    });
    await page.goto(lecturePath);
    await page.getByText(fill(zh.player.resumePrompt, { time: '0:08' })).waitFor();
    await page.getByRole('button', { name: fill(zh.player.resumeAt, { time: '0:08' }) }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 9', null, { timeout: 30_000 });
    // Focus lands on the play/pause button, so the keyboard can carry on.
    expect((await focusedControl(page, '[role="region"]')).name).toBe(zh.player.pause);

    await page.reload();
    await page.getByRole('button', { name: zh.player.startOver }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 0.5', null, { timeout: 30_000 });
    expect(await currentTime(page)).toBeLessThan(8);
  }, 90_000);

  it('keeps the resume point: only playback moves it, not opening the lecture and leaving it unplayed', async () => {
    // Another member: the earlier tests' pages still play this lecture as the demo member.
    const page = await openSignedIn({ login: 'member02', password: stack.demo.member.password });
    const heartbeats: Array<{ event: string; position: number }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/heartbeats')) heartbeats.push(JSON.parse(request.postData() ?? '{}'));
    });
    const openLecture = async () => {
      const opened = page.waitForResponse(isPlaybackOpen);
      await page.getByRole('link', { name: lectureTitle }).click();
      const session = (await (await opened).json()) as { resumePositionSec: number };
      await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
      return session.resumePositionSec;
    };
    const backToCourse = async () => {
      await page.getByRole('navigation', { name: zh.common.breadcrumb }).getByRole('link', { name: courseTitle }).click();
      await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    };

    // Play from the start to past 0:06 and stop there, as the member would with the pause button.
    await page.goto(lecturePath);
    const start = page.getByRole('button', { name: zh.player.startOver }).or(page.getByRole('button', { name: zh.player.bigPlay }));
    await start.first().click();
    await page.evaluate(`(() => {
      const video = document.querySelector('video');
      video.addEventListener('timeupdate', () => { if (video.currentTime > 6) video.pause(); });
    })()`);
    const paused = page.waitForResponse(
      (response) => response.url().endsWith('/api/heartbeats') && response.request().postDataJSON().event === 'pause',
      { timeout: 60_000 },
    );
    expect((await paused).status()).toBe(200);
    const stoppedAt = Math.floor(await currentTime(page));
    expect(stoppedAt).toBeGreaterThanOrEqual(6);

    // Leave within the app (the player unmounts) and come back: resume is offered where playback stopped.
    await backToCourse();
    expect(await openLecture()).toBe(stoppedAt);
    const resume = page.getByRole('button', { name: fill(zh.player.resumeAt, { time: clock(stoppedAt) }) });
    await resume.waitFor();

    // Opened and left without pressing play, within the app and by leaving the page: nothing is reported.
    heartbeats.length = 0;
    await backToCourse();
    expect(await openLecture()).toBe(stoppedAt);
    await resume.waitFor();
    await page.goto('/study');
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    const reopened = page.waitForResponse(isPlaybackOpen);
    await page.goto(lecturePath);
    expect(((await (await reopened).json()) as { resumePositionSec: number }).resumePositionSec).toBe(stoppedAt);
    await resume.waitFor();
    await backToCourse();
    expect(heartbeats).toEqual([]);
    expect(await openLecture()).toBe(stoppedAt);
    await resume.waitFor();
  }, 120_000);

  it('works on a 375 px wide phone: course list, lecture page, player and studio', async () => {
    const page = await openSignedIn(stack.demo.member, { width: 375, height: 812 });
    await page.goto('/courses');
    await page.getByRole('list', { name: zh.courses.list }).waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);

    await page.goto(lecturePath);
    // The earlier tests left a position (or played to the end): the player offers to resume, or just to play.
    await page
      .getByRole('button', { name: zh.player.startOver })
      .or(page.getByRole('button', { name: zh.player.bigPlay }))
      .first()
      .click();
    await page.waitForFunction('document.querySelector("video").currentTime > 1', null, { timeout: 60_000 });
    expect(await hasHorizontalScroll(page)).toBe(false);
    const pause = page.getByRole('button', { name: zh.player.pause });
    const box = await pause.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375 && box.height >= 44).toBe(true);
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    const studio = await openSignedIn(stack.demo.editor, { width: 375, height: 812 });
    await studio.goto(editorPath);
    await studio.getByRole('heading', { level: 3, name: lectureTitle }).waitFor();
    expect(await hasHorizontalScroll(studio)).toBe(false);
  }, 90_000);
});
