import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Page, type Response } from 'playwright-core';
import type { AssetOutputs } from '#contracts';
import { LocalStorage } from '#storage';
import { saveScreenshot, watchPageProblems } from '../support/browser.js';
import {
  browserSuite,
  escapeRegExp,
  expectTidy,
  fillTemplate,
  messagesOf,
  phone,
  signInLabels,
  type Locale,
} from '../support/browser-suite.js';
import { signInAs } from '../support/browser.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/** The lecture page as members use it: on a phone, often in WeChat, on a slow link. */
const suite = browserSuite({ services: ['catalog', 'web'] });
const run = promisify(execFile);

const course = { id: '', title: '手机上的课程' };
const first = { id: '', title: '第一讲 很短的开场' };
const second = { id: '', title: '第二讲 接着播放' };
const audioCourse = { id: '', title: '只有声音的课程' };
const audioLecture = { id: '', title: '广播讲座' };
const nativeCourse = { id: '', title: '原生播放的课程' };
const nativeLecture = { id: '', title: '苹果手机式播放' };

const lectureUrl = (lecture: { id: string }, within: { id: string }) => `/lectures/${lecture.id}?course=${within.id}`;
const currentTime = (page: Page) => page.evaluate<number>('document.querySelector("video").currentTime');
const isHeartbeat = (response: Response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/heartbeats';

/** A small audio-only HLS set (one AAC rendition, 2 s segments), as the transcoder publishes an audio lecture. */
async function publishTestAudio(seconds: number): Promise<string> {
  const assetId = randomUUID();
  const work = await mkdtemp(join(tmpdir(), 'lectern-audio-'));
  const out = join(work, 'out');
  await mkdir(out);
  try {
    await run('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=48000:duration=${seconds}`],
      ...['-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'],
      ...['-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4', '-master_pl_name', 'master.m3u8'],
      ...['-var_stream_map', 'a:0,name:audio', '-hls_segment_filename', join(out, '%v', 'seg_%05d.m4s')],
      join(out, '%v', 'index.m3u8'),
    ]);
    const prefix = `media/${assetId}/v1`;
    await new LocalStorage(suite.stack.env.STORAGE_DIR!).publishDirectory(out, prefix);
    const outputs: AssetOutputs = {
      prefix,
      master: 'master.m3u8',
      audioOnly: 'audio/index.m3u8',
      download: null,
      poster: null,
      thumbnails: [],
      renditions: [{ name: 'audio', kind: 'audio', bandwidth: 70_000, playlist: 'audio/index.m3u8' }],
    };
    await suite.db.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', 'audio', $2, $3)`,
      [assetId, seconds, JSON.stringify(outputs)],
    );
    return assetId;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const storage = suite.stack.env.STORAGE_DIR!;
  const [short, long, native, audio] = await Promise.all([
    publishTestMedia(suite.db, storage, 4),
    publishTestMedia(suite.db, storage, 30),
    // Long enough that a position at 6 s is worth resuming (the server restarts anything in the last 10 s).
    publishTestMedia(suite.db, storage, 30),
    publishTestAudio(8),
  ]);
  const makeCourse = async (target: { id: string; title: string }, lectures: Array<[{ id: string; title: string }, string]>) => {
    target.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: target.title, categoryId: category!.id })).id;
    for (const [lecture, assetId] of lectures) {
      lecture.id = (
        await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${target.id}/lectures`, {
          title: lecture.title,
          speaker: '钱老师',
          assetId,
        })
      ).id;
    }
    await suite.api(editor, 'POST', `/api/courses/${target.id}/publish`);
  };
  await makeCourse(course, [
    [first, short.assetId],
    [second, long.assetId],
  ]);
  await makeCourse(audioCourse, [[audioLecture, audio]]);
  await makeCourse(nativeCourse, [[nativeLecture, native.assetId]]);
}, 180_000);

/** The box of `selector`'s first match, in viewport pixels. */
const boxOf = (page: Page, selector: string) =>
  page.evaluate<{ top: number; bottom: number; left: number; right: number }>(
    `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; })()`,
  );

/** The lecture page signed in as the demo member, the player ready (its big play button or the resume offer shown). */
async function openLecture(locale: Locale, url: string, viewport = phone): Promise<Page> {
  const page = await suite.open(suite.stack.demo.member, { locale, viewport });
  await page.goto(url);
  await page.locator('.player__big-play, .player__overlay').first().waitFor();
  return page;
}

describe.each(['zh-CN', 'en'] as Locale[])('the lecture page on a phone (%s)', (locale) => {
  const t = messagesOf(locale);
  const l = t.memberLecture;

  it('puts the player first, with its whole control bar on the first screen and a one-line play button', async () => {
    // A lecture too short to offer resuming, so the big play button shows every time.
    const page = await openLecture(locale, lectureUrl(first, course));
    const bigPlay = page.getByRole('button', { name: t.player.bigPlay });
    await bigPlay.waitFor();
    const controls = await boxOf(page, '.player__controls');
    const video = await boxOf(page, '.player__video');
    const heading = await boxOf(page, 'h1');
    expect(video.bottom).toBeLessThanOrEqual(heading.top);
    expect(controls.top).toBeGreaterThanOrEqual(0);
    expect(controls.left).toBeGreaterThanOrEqual(0);
    expect(controls.right).toBeLessThanOrEqual(phone.width);
    expect(controls.bottom).toBeLessThanOrEqual(phone.height);
    // One line: the button's words make a single line box.
    const rows = await page.evaluate<number>(`(() => {
      const words = [...document.querySelector('.player__big-play').childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      const range = document.createRange();
      range.selectNodeContents(words);
      return [...range.getClientRects()].filter((r) => r.width > 0).length;
    })()`);
    expect(rows).toBe(1);
    await expectTidy(page, `lecture-phone-${locale}`);

    await bigPlay.click();
    await page.waitForFunction('document.querySelector("video").currentTime > 1', null, { timeout: 30_000 });
    const playing = await boxOf(page, '.player__controls');
    expect(playing.bottom).toBeLessThanOrEqual(phone.height);
    await page.context().close();
  });

  it('fits the offer to resume into the picture on a phone', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    // The real session with one change: a position part-way through the 30 s lecture.
    await page.route('**/api/lectures/*/playback', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), resumePositionSec: 12 } });
    });
    await page.goto(lectureUrl(second, course));
    const resume = page.getByRole('button', { name: fillTemplate(t.player.resumeAt, { time: '0:12' }) });
    await resume.waitFor();
    const stage = await boxOf(page, '.player__stage');
    for (const button of [resume, page.getByRole('button', { name: t.player.startOver })]) {
      const box = (await button.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(stage.top);
      expect(box.y + box.height).toBeLessThanOrEqual(stage.bottom);
    }
    expect((await boxOf(page, '.player__controls')).bottom).toBeLessThanOrEqual(phone.height);
    await expectTidy(page, `lecture-phone-resume-${locale}`);
    await page.context().close();
  });

  it('keeps the control bar on the first screen with the largest text too', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.getByRole('button', { name: t.memberShell.textSize.extraLarge }).click();
    await page.goto(lectureUrl(first, course));
    await page.getByRole('button', { name: t.player.bigPlay }).waitFor();
    // The header alone then fills most of the screen, so the page opens scrolled to the player.
    await page.waitForFunction(
      `(() => { const r = document.querySelector('.player__controls').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`,
    );
    const player = await boxOf(page, '.player');
    expect(player.top).toBeGreaterThanOrEqual(-1);
    await expectTidy(page, `lecture-phone-largest-${locale}`);
    await page.context().close();
  });

  it('shows "playing on another screen" over the player, with the way to count here', async () => {
    const page = await openLecture(locale, lectureUrl(second, course));
    await page.locator('.player__big-play, .player__overlay .button--primary').first().click();
    await page.waitForFunction('document.querySelector("video").currentTime > 0.5', null, { timeout: 30_000 });

    // The same member opens the lecture on a second screen; this one hears so at its next heartbeat (409).
    const other = await openLecture(locale, lectureUrl(second, course));
    const notice = page.getByRole('alert').filter({ hasText: t.lecture.otherScreen });
    await notice.waitFor({ timeout: 30_000 });
    const box = await boxOf(page, '.player__notice-overlay');
    const stage = await boxOf(page, '.player__stage');
    expect(box.top).toBeGreaterThanOrEqual(stage.top);
    expect(box.bottom).toBeLessThanOrEqual(stage.bottom);
    expect(box.bottom).toBeLessThanOrEqual(phone.height);
    const countHere = page.getByRole('button', { name: t.lecture.countHere });
    const button = await countHere.boundingBox();
    expect(button!.y + button!.height).toBeLessThanOrEqual(Math.min(stage.bottom, phone.height));
    await expectTidy(page, `lecture-phone-other-screen-${locale}`);

    const answered = page.waitForResponse((r) => isHeartbeat(r) && r.ok(), { timeout: 30_000 });
    await countHere.click();
    await answered;
    expect(await notice.count()).toBe(0);
    await other.context().close();
    await page.context().close();
  });

  it('offers the next lecture when one ends: cancel with the button or Esc, else it opens and plays', async () => {
    const page = await openLecture(locale, lectureUrl(first, course));
    const when = page.getByText(new RegExp(escapeRegExp(l.nextIn).replace('\\{\\{seconds\\}\\}', '\\d+')));
    const status = page.getByRole('status').filter({ hasText: fillTemplate(l.nextAnnouncement, { title: second.title, seconds: 10 }) });

    await page.getByRole('button', { name: t.player.bigPlay }).click();
    await when.waitFor({ timeout: 30_000 });
    // Said once, politely: the second-by-second figure is not in any live region.
    await status.waitFor();
    expect(await status.getAttribute('role')).toBe('status');
    expect(await when.evaluate((el) => el.closest('[role="status"], [role="alert"], [aria-live]'))).toBeNull();
    await expectTidy(page, `lecture-phone-next-${locale}`);
    await page.getByRole('button', { name: l.cancelNext }).click();
    await when.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: l.nextCancelled }).waitFor();

    // Played again to the end, then Esc.
    await page.getByRole('button', { name: t.player.play, exact: true }).click();
    await page.waitForFunction('!document.querySelector("video").ended');
    await when.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await when.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe(`/lectures/${first.id}`);

    // Once more, left alone: at 0 the next lecture opens and plays by itself.
    await page.getByRole('button', { name: t.player.play, exact: true }).click();
    await page.waitForFunction('!document.querySelector("video").ended');
    await when.waitFor({ timeout: 30_000 });
    await page.waitForURL((url) => url.pathname === `/lectures/${second.id}`, { timeout: 30_000 });
    await page.getByRole('heading', { level: 1, name: second.title }).waitFor();
    await page.waitForFunction('(document.querySelector("video")?.currentTime ?? 0) > 1', null, { timeout: 30_000 });
    await page.getByRole('button', { name: t.player.pause }).click();
    await page.context().close();
  });

  it('fills the screen when the phone turns to landscape while playing, and leaves it when turned back', async () => {
    const page = await suite.openPage({ locale, viewport: phone });
    // Records each full-screen request and how the browser answered it.
    await page.addInitScript(`(() => {
      window.fullscreenRequests = [];
      const request = Element.prototype.requestFullscreen;
      Element.prototype.requestFullscreen = function (...args) {
        const entry = { element: this.className, outcome: 'pending' };
        window.fullscreenRequests.push(entry);
        const answer = request.apply(this, args);
        answer.then(() => (entry.outcome = 'granted'), (error) => (entry.outcome = 'refused: ' + error.message));
        return answer;
      };
    })()`);
    await page.reload();
    await signInAs(page, suite.stack.demo.member, signInLabels(locale));
    await page.goto(lectureUrl(second, course));
    await page.locator('.player__big-play, .player__overlay .button--primary').first().click();
    await page.waitForFunction('document.querySelector("video").currentTime > 0.5', null, { timeout: 30_000 });

    await page.setViewportSize({ width: 844, height: 390 });
    await page.waitForFunction('window.fullscreenRequests.some((r) => r.outcome !== "pending")');
    const [request] = await page.evaluate<Array<{ element: string; outcome: string }>>('window.fullscreenRequests');
    expect(request!.element).toContain('player');
    const fullscreen = await page.evaluate<string | null>('document.fullscreenElement && document.fullscreenElement.className');
    // What this Chromium did with a request made without a tap, for the record of the run.
    process.stdout.write(`landscape full screen (${locale}): ${request!.outcome}; fullscreenElement: ${fullscreen}\n`);
    if (request!.outcome === 'granted') {
      expect(fullscreen).toContain('player');
      await page.setViewportSize(phone);
      await page.waitForFunction('document.fullscreenElement === null');
    } else {
      expect(fullscreen).toBeNull();
    }
    await page.getByRole('button', { name: t.player.pause }).click();
    await page.setViewportSize({ width: 844, height: 390 });
    await expectTidy(page, `lecture-landscape-${locale}`);
    await page.context().close();
  });

  it('offers no "sound only" button for an audio lecture, and plays it', async () => {
    const page = await openLecture(locale, lectureUrl(audioLecture, audioCourse));
    await page.getByRole('group', { name: t.player.controls }).waitFor();
    expect(await page.getByRole('button', { name: t.player.audioOnly }).count()).toBe(0);
    await page.locator('.player__big-play, .player__overlay .button--primary').first().click();
    await page.waitForFunction('document.querySelector("video").currentTime > 1', null, { timeout: 30_000 });
    expect(await page.getByRole('button', { name: t.player.audioOnly }).count()).toBe(0);
    await page.getByRole('button', { name: t.player.pause }).click();
    await expectTidy(page, `lecture-audio-${locale}`);
    await page.context().close();
  });

  it('lays the page out sensibly at desktop width', async () => {
    const page = await openLecture(locale, lectureUrl(second, course), { width: 1366, height: 800 });
    const controls = await boxOf(page, '.player__controls');
    const heading = await boxOf(page, 'h1');
    // The details beside the player.
    expect(heading.left).toBeGreaterThan(controls.right);
    await expectTidy(page, `lecture-desktop-${locale}`);
    expect(controls.bottom).toBeLessThanOrEqual(800);
    await page.context().close();
  });
});

describe('a browser that lets media play with sound only after a tap', () => {
  it('plays the next lecture on by itself: the tap on the first lecture counts for the whole visit', async () => {
    // Chromium's strictest policy (the suite's own browser allows autoplay outright). The countdown moves to the
    // next lecture inside the same page, so the member's earlier tap still allows playing with sound.
    const strict = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=user-gesture-required', '--no-first-run'],
    });
    try {
      // As launchBrowser's contexts: waitForFunction polls with eval, which the app's CSP forbids.
      const context = watchPageProblems(
        await strict.newContext({ baseURL: suite.stack.baseUrl, locale: 'en', viewport: phone, bypassCSP: true }),
      );
      const page = await context.newPage();
      await page.goto('/');
      await signInAs(page, suite.stack.demo.member, signInLabels('en'));
      const en = messagesOf('en');
      await page.goto(lectureUrl(first, course));
      await page.getByRole('button', { name: en.player.bigPlay }).click();
      // Left to the countdown: no tap for ten seconds before the next lecture starts.
      await page.getByRole('button', { name: en.memberLecture.playNow }).waitFor({ timeout: 30_000 });
      await page.waitForURL((url) => url.pathname === `/lectures/${second.id}`, { timeout: 30_000 });
      await page.getByRole('heading', { level: 1, name: second.title }).waitFor();
      await page.waitForFunction('document.querySelector("video").currentTime > 1', null, { timeout: 30_000 });
      expect(await page.evaluate<boolean>('document.querySelector("video").muted')).toBe(false);
      await context.close();
    } finally {
      await strict.close();
    }
  });
});

describe('a browser without Media Source Extensions (older iPhones, some WeChat builds)', () => {
  it('plays through the browser’s own HLS, and the time counts', async () => {
    const page = await suite.openPage({ locale: 'zh-CN', viewport: phone });
    await page.addInitScript(`(() => {
      delete window.MediaSource;
      delete window.ManagedMediaSource;
      delete window.WebKitMediaSource;
    })()`);
    await page.reload();
    await signInAs(page, suite.stack.demo.member, signInLabels('zh-CN'));
    const support = await page.evaluate<{ mse: boolean; native: string }>(
      `({ mse: 'MediaSource' in window || 'ManagedMediaSource' in window, native: document.createElement('video').canPlayType('application/vnd.apple.mpegurl') })`,
    );
    process.stdout.write(`without MSE: MediaSource present ${support.mse}; canPlayType(HLS) "${support.native}"\n`);
    expect(support.mse).toBe(false);
    // Debian's Chromium 156 plays HLS itself; a browser that cannot would show errorUnsupported instead.
    expect(support.native).not.toBe('');

    await page.goto(lectureUrl(nativeLecture, nativeCourse));
    const zh = messagesOf('zh-CN');
    await page.getByRole('button', { name: zh.player.bigPlay }).click();
    // The engine is chosen once hls.js's module has loaded, which takes as long as the machine makes it.
    await page.waitForFunction('document.querySelector("video")?.dataset.engine');
    expect(await page.evaluate<string>('document.querySelector("video").dataset.engine')).toBe('native');
    expect(await page.evaluate<string>('document.querySelector("video").src')).toMatch(/\/hls\/.+\/master\.m3u8$/);
    const credited = page.waitForResponse(
      async (r) => isHeartbeat(r) && r.ok() && ((await r.json()) as { lectureCreditedSec: number }).lectureCreditedSec > 0,
      { timeout: 60_000 },
    );
    await page.waitForFunction('document.querySelector("video").currentTime > 3', null, { timeout: 30_000 });
    expect(await currentTime(page)).toBeGreaterThan(3);
    await credited;
    const [row] = await suite.db.query(
      `SELECT p.credited_sec FROM lecture_progress p JOIN users u ON u.id = p.user_id WHERE u.login = $1 AND p.lecture_id = $2`,
      [suite.stack.demo.member.login, nativeLecture.id],
    );
    expect(Number(row.credited_sec)).toBeGreaterThan(0);
    await saveScreenshot(page, 'lecture-native-hls-zh-CN');

    // Resuming works on this path too: paused past 6 s, the position is reported, and coming back offers it.
    await page.waitForFunction('document.querySelector("video").currentTime > 6', null, { timeout: 30_000 });
    const reported = page.waitForResponse(
      async (r) => isHeartbeat(r) && r.ok() && ((await r.json()) as { position: number }).position >= 6,
      { timeout: 30_000 },
    );
    await page.getByRole('button', { name: zh.player.pause }).click();
    await reported;
    await page.reload();
    const resume = new RegExp(`^${escapeRegExp(zh.player.resumeAt).replace('\\{\\{time\\}\\}', '0:(\\d{2})')}$`);
    const offer = page.getByRole('button', { name: resume });
    const offered = Number(resume.exec((await offer.textContent())!.trim())![1]);
    expect(offered).toBeGreaterThanOrEqual(6);
    await offer.click();
    await page.waitForFunction(`document.querySelector("video").currentTime >= ${offered}`, null, { timeout: 30_000 });
    expect(await page.evaluate<string>('document.querySelector("video").dataset.engine')).toBe('native');
    await page.context().close();
  });
});
