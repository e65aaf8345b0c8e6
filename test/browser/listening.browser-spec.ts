import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { DataSource } from 'typeorm';
import type { AssetOutputs, AttentionCheckinPrompt, HeartbeatAnswer } from '#contracts';
import { createDataSource } from '#database';
import { LocalStorage } from '#storage';
import { launchBrowser, signInAs, type SignInDetails } from '../support/browser.js';
import { escapeRegExp, expectTidy, messagesOf, phone, signInLabels, type Locale } from '../support/browser-suite.js';
import { startStack, type Stack } from '../support/stack.js';

jest.setTimeout(180_000);

/**
 * Listening with the screen off: an audio lecture played with the page hidden earns study time until a
 * "still listening?" check-in is missed, and again once it is answered. The catalog runs with check-ins
 * due after 10–20 s of listening (a plan's minutes as seconds) and 20 s to answer each.
 */
const GRACE_SEC = 20;
const run = promisify(execFile);

let stack: Stack;
let browser: Browser;
let db: DataSource;
const contexts: BrowserContext[] = [];

const audioCourse = { id: '', title: '关掉屏幕也能听的课程' };
/** Long enough to hear a check-in come, be missed, be answered and credit resume, in real time. */
const missedLecture = { id: '', title: '广播讲座 第一讲' };
const answeredLecture = { id: '', title: '广播讲座 第二讲' };

/** A small audio-only HLS set (one AAC rendition, 2 s segments), as the transcoder publishes an audio lecture. */
async function publishTestAudio(seconds: number): Promise<string> {
  const assetId = randomUUID();
  const work = await mkdtemp(join(tmpdir(), 'lectern-listening-'));
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
    await new LocalStorage(stack.env.STORAGE_DIR!).publishDirectory(out, prefix);
    const outputs: AssetOutputs = {
      prefix,
      master: 'master.m3u8',
      audioOnly: 'audio/index.m3u8',
      download: null,
      poster: null,
      thumbnails: [],
      renditions: [{ name: 'audio', kind: 'audio', bandwidth: 70_000, playlist: 'audio/index.m3u8' }],
    };
    await db.query(`INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', 'audio', $2, $3)`, [
      assetId,
      seconds,
      JSON.stringify(outputs),
    ]);
    return assetId;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function api<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const tokenOf = async (user: SignInDetails) =>
  (await api<{ accessToken: string }>(null, 'POST', '/api/auth/login', { login: user.login, password: user.password })).accessToken;

beforeAll(async () => {
  stack = await startStack({
    services: ['catalog', 'web'],
    envFor: (service): Record<string, string> =>
      service === 'catalog' ? { ATTENTION_CHECKIN_UNIT_SEC: '1', ATTENTION_ANSWER_GRACE_SEC: String(GRACE_SEC) } : {},
  });
  browser = await launchBrowser();
  db = createDataSource(stack.db.url);
  await db.initialize();

  const editor = await tokenOf(stack.demo.editor);
  const [category] = await api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const [first, second] = await Promise.all([publishTestAudio(180), publishTestAudio(120)]);
  audioCourse.id = (await api<{ id: string }>(editor, 'POST', '/api/courses', { title: audioCourse.title, categoryId: category!.id })).id;
  for (const [lecture, assetId] of [
    [missedLecture, first],
    [answeredLecture, second],
  ] as const) {
    lecture.id = (
      await api<{ id: string }>(editor, 'POST', `/api/courses/${audioCourse.id}/lectures`, {
        title: lecture.title,
        speaker: '钱老师',
        assetId,
      })
    ).id;
  }
  await api(editor, 'POST', `/api/courses/${audioCourse.id}/publish`);
}, 240_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await db?.destroy();
  await stack?.stop();
}, 60_000);

/** One heartbeat as the page sent it and as the server answered it, with when each happened (this machine's clock). */
interface Beat {
  sentAt: number;
  answeredAt: number;
  sent: { visible: boolean; audio: boolean; event: string; intervals: Array<[number, number]> };
  answer: HeartbeatAnswer;
}

/**
 * The lecture page of the demo member on a phone, with every answered heartbeat recorded. Headless Chromium
 * never hides a page by itself, so an init script makes document.visibilityState and document.hidden answer
 * what the test says and dispatches visibilitychange, as a phone does when its screen turns off.
 */
async function openListening(locale: Locale, lecture: { id: string }): Promise<{ page: Page; beats: Beat[] }> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, locale, viewport: phone });
  contexts.push(context);
  await context.addInitScript(`(() => {
    let hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
    window.__lecternSetHidden = (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  })()`);
  const page = await context.newPage();
  const beats: Beat[] = [];
  const sentAt = new Map<Request, number>();
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/heartbeats') sentAt.set(request, Date.now());
  });
  page.on('response', (response) => {
    const request = response.request();
    const at = sentAt.get(request);
    if (at === undefined || response.status() !== 200) return;
    void response
      .json()
      .then((answer: HeartbeatAnswer) => beats.push({ sentAt: at, answeredAt: Date.now(), sent: request.postDataJSON(), answer }))
      .catch(() => undefined);
  });
  await page.goto('/');
  await signInAs(page, stack.demo.member, signInLabels(locale));
  await page.goto(`/lectures/${lecture.id}?course=${audioCourse.id}`);
  await page.getByRole('button', { name: messagesOf(locale).player.bigPlay }).click();
  await page.waitForFunction('document.querySelector("video").currentTime > 0.5', null, { timeout: 30_000 });
  return { page, beats };
}

const setHidden = (page: Page, hidden: boolean) => page.evaluate(`window.__lecternSetHidden(${hidden})`);
const lockScreenTitle = (page: Page) => page.evaluate<string | null>('navigator.mediaSession.metadata?.title ?? null');

/** Seconds credited to the demo member for `lecture`, as the database has them. */
async function creditedSec(lecture: { id: string }): Promise<number> {
  const rows: Array<{ credited_sec: number }> = await db.query(
    `SELECT p.credited_sec FROM lecture_progress p JOIN users u ON u.id = p.user_id WHERE u.login = 'member' AND p.lecture_id = $1`,
    [lecture.id],
  );
  return rows[0]?.credited_sec ?? 0;
}

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
async function until<T>(
  what: string,
  condition: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The time of day the prompt names, in `locale`, for a deadline `ms` on this machine's clock. */
const timeOfDay = (ms: number, locale: Locale) => new Date(ms).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });

/**
 * The time of day in the prompt's sentence `template`, checked against the deadline the page counts: the time given
 * from when the answer carrying the check-in arrived (a second either way: the page and the test see it apart).
 */
async function expectDeadlineIn(page: Page, template: string, locale: Locale, seenAt: number): Promise<void> {
  const [before, after] = template.split('{{time}}').map(escapeRegExp);
  const text = (await page.locator('#checkin-text').textContent()) ?? '';
  const match = new RegExp(`^${before}(.+?)${after}$`).exec(text);
  expect(match).not.toBeNull();
  const deadline = seenAt + GRACE_SEC * 1000;
  expect([timeOfDay(deadline - 1000, locale), timeOfDay(deadline + 1000, locale)]).toContain(match![1]);
}

const firstCheckin = (beats: Beat[]): (AttentionCheckinPrompt & { seenAt: number }) | null => {
  const beat = beats.find((b) => b.answer.checkin);
  return beat ? { ...beat.answer.checkin!, seenAt: beat.answeredAt } : null;
};

describe('listening to an audio lecture with the screen off', () => {
  it('earns credit hidden until a check-in is missed, asks first thing when the screen is back on, and counts again once answered', async () => {
    const t = messagesOf('zh-CN');
    const { page, beats } = await openListening('zh-CN', missedLecture);
    expect(await lockScreenTitle(page)).toBe(missedLecture.title);

    // Screen off: the page says it is hidden, and keeps reporting sound-only playback, which earns.
    const hiddenFrom = Date.now();
    await setHidden(page, true);
    await until('hidden listening credited', async () => {
      const hiddenBeats = beats.filter((b) => b.sentAt >= hiddenFrom && !b.sent.visible);
      return hiddenBeats.some((b) => b.answer.creditedSec > 0) && (await creditedSec(missedLecture)) > 5;
    });
    const ticks = beats.filter((b) => b.sentAt >= hiddenFrom && b.sent.event === 'tick');
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.every((b) => b.sent.audio && !b.sent.visible)).toBe(true);

    // After 10–20 s of listening the server asks; the lock screen shows the question instead of the title.
    const checkin = await until('a check-in in a heartbeat answer', () => firstCheckin(beats));
    const answerBy = Date.parse(checkin.answerBy);
    expect(answerBy - Date.parse(checkin.askedAt)).toBe(GRACE_SEC * 1000);
    await until('the question on the lock screen', async () => (await lockScreenTitle(page)) === t.listening.lockScreen);

    // Not answered: once answerBy has passed, heartbeats go on and are accepted, but credit stands still. The
    // first one sent after it is credited up to answerBy at most; the next claims what was heard and earns nothing.
    const stopped = await until('two heartbeats sent after the check-in was missed', () => {
      const after = beats.filter((b) => b.sentAt > answerBy);
      return after.length >= 2 ? after.slice(0, 2) : null;
    });
    const frozen = stopped[0]!.answer.lectureCreditedSec;
    const heard = stopped[1]!.sent.intervals.reduce((sum, [a, b]) => sum + b - a, 0);
    expect(heard).toBeGreaterThan(5);
    expect(stopped[1]!.sent).toMatchObject({ visible: false, audio: true });
    expect(stopped[1]!.answer).toMatchObject({ creditedSec: 0, lectureCreditedSec: frozen });
    expect(stopped.every((b) => b.answer.checkin?.id === checkin.id)).toBe(true);
    expect(await creditedSec(missedLecture)).toBeCloseTo(frozen, 1);

    // Screen back on: the question is the first thing seen, saying calmly what was not counted.
    await setHidden(page, false);
    const prompt = page.getByRole('alertdialog', { name: t.listening.prompt.title });
    await prompt.waitFor();
    await expectDeadlineIn(page, t.listening.prompt.missed, 'zh-CN', checkin.seenAt);
    const answer = prompt.getByRole('button', { name: t.listening.prompt.answer });
    const answerFocused = () => page.evaluate<boolean>('document.activeElement?.classList.contains("checkin__answer") ?? false');
    expect(await answerFocused()).toBe(true);
    // Nothing behind the question takes the focus.
    await page.keyboard.press('Tab');
    expect(await answerFocused()).toBe(true);
    const box = (await prompt.boundingBox())!;
    expect(box).toMatchObject({ x: 0, y: 0, width: phone.width, height: phone.height });
    const button = (await answer.boundingBox())!;
    expect(button.y + button.height).toBeLessThanOrEqual(phone.height);
    expect(button.height).toBeGreaterThanOrEqual(80);
    await expectTidy(page, 'listening-missed-zh-CN');

    // Answered (late): the prompt goes, and listening counts again, with the screen off too.
    await answer.click();
    await prompt.waitFor({ state: 'detached' });
    await until('the lock screen back to the title', async () => (await lockScreenTitle(page)) === missedLecture.title);
    await setHidden(page, true);
    await until('credit growing again after the answer', async () => (await creditedSec(missedLecture)) > frozen + 3);
    const rows: Array<{ answered_at: Date | null; answer_by: Date }> = await db.query(
      `SELECT answered_at, answer_by FROM attention_checkins WHERE id = $1`,
      [checkin.id],
    );
    expect(rows[0]!.answered_at!.getTime()).toBeGreaterThan(rows[0]!.answer_by.getTime());
    await page.context().close();
  });

  it('asks in English and takes the answer in time', async () => {
    const t = messagesOf('en');
    const { page, beats } = await openListening('en', answeredLecture);
    await setHidden(page, true);
    const checkin = await until('a check-in in a heartbeat answer', () => firstCheckin(beats));
    await setHidden(page, false);
    const prompt = page.getByRole('alertdialog', { name: t.listening.prompt.title });
    await prompt.waitFor();
    await expectDeadlineIn(page, t.listening.prompt.pending, 'en', checkin.seenAt);
    await expectTidy(page, 'listening-prompt-en');
    await prompt.getByRole('button', { name: t.listening.prompt.answer }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: t.listening.answered }).waitFor();
    const rows: Array<{ answered_at: Date | null; answer_by: Date }> = await db.query(
      `SELECT answered_at, answer_by FROM attention_checkins WHERE id = $1`,
      [checkin.id],
    );
    expect(rows[0]!.answered_at!.getTime()).toBeLessThanOrEqual(rows[0]!.answer_by.getTime());
    await page.context().close();
  });
});

describe.each(['zh-CN', 'en'] as Locale[])("the admin's member report (%s)", (locale) => {
  it('lists the check-ins the member was asked, how each went and the listening not counted', async () => {
    const t = messagesOf(locale);
    const [member] = await db.query(`SELECT id FROM users WHERE login = 'member'`);
    const asked: Array<{ id: string }> = await db.query(
      `SELECT c.id FROM attention_checkins c JOIN users u ON u.id = c.user_id WHERE u.login = 'member'`,
    );
    expect(asked.length).toBeGreaterThanOrEqual(2);
    const context = await browser.newContext({ baseURL: stack.baseUrl, locale, viewport: phone });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/');
    await signInAs(page, stack.demo.committeeAdmin, signInLabels(locale));
    await page.goto(`/reports/members/${member.id}`);
    const panel = page.getByRole('region', { name: t.listening.report.title });
    const table = panel.getByRole('table', { name: t.listening.report.title });
    await table.waitFor();
    const rows = table.getByRole('row');
    await expect(rows.count()).resolves.toBe(asked.length + 1);
    await panel.getByText(t.listening.report.outcome.late).first().waitFor();
    await panel.getByText(t.listening.report.outcome.answered).first().waitFor();
    await expect(table.getByRole('row').filter({ hasText: missedLecture.title }).count()).resolves.toBeGreaterThanOrEqual(1);
    await expectTidy(page, `listening-report-${locale}`);
    await context.close();
  });
});
