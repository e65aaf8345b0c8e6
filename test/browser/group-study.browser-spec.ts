// A collective viewing walked in the pages: the group leader starts it on her phone and opens the room's screen on a
// 1280×720 TV; two members check in on their phones by typing the code the screen shows; the screen plays, pauses
// while one member checks out early, and plays on. Each member is credited exactly the overlap of their presence with
// what the screen played, and the screen sends nothing for any member of its own.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone, type Viewport } from '../support/browser-suite.js';
import { expectConsoleErrors, type SignInDetails } from '../support/browser.js';
import { waitUntil } from '../support/ports.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(240_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const zh = messagesOf('zh-CN').groupSessions;
const en = messagesOf('en').groupSessions;

const person = (login: string): SignInDetails => ({ login, password: DEMO_PASSWORD });
// 'member' leads the east branch's first group; member10 and member15 belong to it.
const leader = person('member');
const first = person('member10');
const second = person('member15');
const third = person('member20');
const tv: Viewport = { width: 1280, height: 720 };

const courseTitle = '社区议事会实务';
const lectureTitle = '第一讲 怎样开好议事会';
let lectureId = '';

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id }))
    .id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 40);
  lectureId = (await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: lectureTitle, assetId })).id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
}, 180_000);

const videoTime = (page: Page) => page.evaluate<number>(`document.querySelector('video.screen__video').currentTime`);

/** The screen's six digits, once it shows them. */
async function screenCode(screen: Page): Promise<string> {
  const code = screen.getByTestId('screen-code');
  await code.filter({ hasText: /^\d{3} \d{3}$/ }).waitFor();
  return (await code.innerText()).replace(/\s/g, '');
}

/** What the server holds of the screen: the position of its last accepted heartbeat and the seconds played. */
const screenState = async (sessionId: string) =>
  (await suite.db.query(`SELECT position_sec AS position, played_sec AS played FROM group_sessions WHERE id = $1`, [sessionId]))[0] as {
    position: number;
    played: number;
  };

/** Plays the screen until its picture has reached `until` seconds, pauses, and waits for the server to hold the pause. */
async function playUntil(screen: Page, sessionId: string, until: number) {
  await screen.getByRole('button', { name: zh.screen.play, exact: true }).click();
  await screen.getByRole('button', { name: zh.screen.pause, exact: true }).waitFor();
  await screen.waitForFunction(`document.querySelector('video.screen__video').currentTime >= ${until}`, undefined, { timeout: 60_000 });
  await screen.getByRole('button', { name: zh.screen.pause, exact: true }).click();
  await screen.getByRole('button', { name: zh.screen.play, exact: true }).waitFor();
  const pausedAt = await videoTime(screen);
  // The heartbeat sent at the pause carries the paused position: once the server has it, all that played is counted.
  await waitUntil(
    async () => Math.abs((await screenState(sessionId)).position - pausedAt) < 0.01,
    30_000,
    () => `the pause at ${pausedAt} s to reach the server`,
  );
  return pausedAt;
}

/** Sorted union of media intervals and the seconds it covers. */
function covered(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

describe('a collective viewing on the study site’s screen', () => {
  it('checks members in by the screen’s code and credits each the overlap of their presence with what it played', async () => {
    // The group leader starts the viewing on her phone.
    const lead = await suite.open(leader, { locale: 'zh-CN', viewport: phone });
    await lead.goto('/group');
    await lead.getByRole('heading', { level: 1, name: zh.title }).waitFor();
    await lead.getByRole('link', { name: zh.hub.startCollective }).click();
    await lead.getByRole('heading', { level: 1, name: zh.newSession.title }).waitFor();
    await lead.getByLabel(zh.newSession.courseSearch).fill('议事会');
    await lead.getByRole('button', { name: zh.newSession.search }).click();
    await lead.getByRole('radio', { name: courseTitle }).check();
    await lead.getByRole('radio', { name: new RegExp(lectureTitle) }).waitFor();
    await lead.waitForFunction(`!!document.querySelector('input[name="group-lecture"]:checked')`);
    await expectTidy(lead, 'group-new-collective-zh-390');
    await lead.getByRole('button', { name: zh.newSession.start }).click();
    await lead.waitForURL(/\/group\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = new URL(lead.url()).pathname.split('/').pop()!;
    await lead.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    await lead
      .getByTestId('session-code')
      .filter({ hasText: /^\d{6}$/ })
      .waitFor();
    await expectTidy(lead, 'group-session-live-zh-390');
    const screenHref = await lead.getByRole('link', { name: zh.session.showScreen }).getAttribute('href');
    expect(screenHref).toBe(`/group/sessions/${sessionId}/screen`);

    // The room's screen, signed in as the leader on the TV; nothing it sends is a member's own heartbeat.
    const screen = await suite.open(leader, { locale: 'zh-CN', viewport: tv });
    const screenRequests: string[] = [];
    screen.on('request', (request) => screenRequests.push(new URL(request.url()).pathname));
    await screen.goto(screenHref!);
    await screen.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    const code = await screenCode(screen);
    const qr = screen.getByRole('img', { name: new RegExp(`/checkin\\?s=${sessionId}&c=\\d{6}`) });
    await qr.locator('path').waitFor();
    await expectTidy(screen, 'group-screen-zh-1280x720');

    // Two members type the code on their phones: one in Chinese, one in English after a wrong try.
    const one = await suite.open(first, { locale: 'zh-CN', viewport: phone });
    await one.goto('/group');
    await one.getByLabel(zh.codeInput.label).fill(code);
    await one.getByRole('button', { name: zh.codeInput.submit, exact: true }).click();
    await one.getByRole('heading', { level: 1, name: zh.checkin.done }).waitFor();
    await one.getByText(lectureTitle).waitFor();
    await expectTidy(one, 'group-checked-in-zh-390');

    const two = await suite.open(second, { locale: 'en', viewport: phone });
    await two.goto('/checkin');
    await two.getByRole('heading', { level: 1, name: en.checkin.title }).waitFor();
    // Chromium logs the refused check-in itself.
    expectConsoleErrors(/status of 400 \(Bad Request\) \(\S+\/api\/group-sessions\/checkin:/);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await two.getByLabel(en.codeInput.label).fill(wrong);
    await two.getByRole('button', { name: en.codeInput.submit, exact: true }).click();
    await two.getByRole('alert').filter({ hasText: en.checkin.codeWrong }).waitFor();
    await expectTidy(two, 'group-checkin-wrong-en-390');
    await two.getByLabel(en.codeInput.label).fill(await screenCode(screen));
    await two.getByRole('button', { name: en.codeInput.submit, exact: true }).click();
    await two.getByRole('heading', { level: 1, name: en.checkin.done }).waitFor();
    await expectTidy(two, 'group-checked-in-en-390');

    // A third member scans the QR code: its link checks her in at once.
    const qrLink = /(https?:\/\/\S+\/checkin\?s=[0-9a-f-]{36}&c=\d{6})/.exec((await qr.getAttribute('aria-label'))!)![1]!;
    const three = await suite.open(third, { locale: 'zh-CN', viewport: phone });
    await three.goto(new URL(qrLink).pathname + new URL(qrLink).search);
    await three.getByRole('heading', { level: 1, name: zh.checkin.done }).waitFor();
    expect(new URL(three.url()).search).toBe('');

    // The screen counts them, plays, and pauses while the second member leaves early.
    await screen.getByTestId('screen-attendees').filter({ hasText: /^3/ }).waitFor({ timeout: 30_000 });
    const firstPause = await playUntil(screen, sessionId, 8);
    await expectTidy(screen, 'group-screen-paused-zh-1280x720');
    await two.getByRole('button', { name: en.checkin.leave }).click();
    await two.getByRole('status').filter({ hasText: en.checkin.left }).waitFor();
    await expectTidy(two, 'group-checked-out-en-390');
    const secondPause = await playUntil(screen, sessionId, firstPause + 8);
    expect(secondPause).toBeGreaterThan(firstPause);
    // The same screen on a 1080p projector.
    await screen.setViewportSize({ width: 1920, height: 1080 });
    await expectTidy(screen, 'group-screen-zh-1920x1080');

    // Exactly the overlap: every play the screen had accepted lies wholly before or wholly after the check-out.
    const [{ id: oneId }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [first.login]);
    const [{ id: twoId }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [second.login]);
    const plays: Array<{ from_ms: number; to_ms: number; intervals: Array<[number, number]> }> = await suite.db.query(
      `SELECT extract(epoch FROM from_at) * 1000 AS from_ms, extract(epoch FROM to_at) * 1000 AS to_ms, intervals
         FROM group_session_plays WHERE session_id = $1 AND played_sec > 0 ORDER BY seq`,
      [sessionId],
    );
    const presence: Array<{ user_id: string; from_ms: number; to_ms: number | null }> = await suite.db.query(
      `SELECT user_id, extract(epoch FROM from_at) * 1000 AS from_ms, extract(epoch FROM to_at) * 1000 AS to_ms
         FROM group_session_presence WHERE session_id = $1 AND undone_at IS NULL`,
      [sessionId],
    );
    const periodsOf = (userId: string) => presence.filter((p) => p.user_id === userId);
    expect(periodsOf(oneId)).toEqual([expect.objectContaining({ to_ms: null })]);
    expect(periodsOf(twoId)).toHaveLength(1);
    const left = Number(periodsOf(twoId)[0]!.to_ms);
    const arrived = Math.max(...presence.map((p) => Number(p.from_ms)));
    expect(plays.length).toBeGreaterThanOrEqual(2);
    for (const play of plays) {
      expect(Number(play.from_ms)).toBeGreaterThanOrEqual(arrived);
      expect(Number(play.to_ms) <= left || Number(play.from_ms) >= left).toBe(true);
    }
    const before = plays.filter((p) => Number(p.to_ms) <= left);
    const expectedOne = covered(plays.flatMap((p) => p.intervals));
    const expectedTwo = covered(before.flatMap((p) => p.intervals));
    expect(expectedTwo).toBeGreaterThanOrEqual(7);
    expect(expectedOne - expectedTwo).toBeGreaterThanOrEqual(7);

    const token = await suite.tokenOf(leader);
    const roster = await suite.api<Array<{ userId: string; present: boolean; method: string | null; creditedSec: number }>>(
      token,
      'GET',
      `/api/group-sessions/${sessionId}/roster`,
    );
    const entry = (userId: string) => roster.find((r) => r.userId === userId)!;
    expect(entry(oneId)).toMatchObject({ present: true, method: 'code' });
    expect(entry(twoId)).toMatchObject({ present: false, method: 'code' });
    const [{ id: threeId }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [third.login]);
    expect(entry(threeId)).toMatchObject({ present: true, method: 'qr' });
    expect(entry(threeId).creditedSec).toBeCloseTo(expectedOne, 2);
    expect(entry(oneId).creditedSec).toBeCloseTo(expectedOne, 2);
    expect(entry(twoId).creditedSec).toBeCloseTo(expectedTwo, 2);
    const progress: Array<{ user_id: string; credited_sec: number }> = await suite.db.query(
      `SELECT user_id, credited_sec FROM lecture_progress WHERE lecture_id = $1 ORDER BY user_id`,
      [lectureId],
    );
    const [{ id: leaderId }] = await suite.db.query(`SELECT id FROM users WHERE login = $1`, [leader.login]);
    // The members' own progress on the lecture holds their share; the leader who ran the screen earned nothing.
    expect(progress.find((p) => p.user_id === oneId)?.credited_sec).toBeCloseTo(expectedOne, 2);
    expect(progress.find((p) => p.user_id === twoId)?.credited_sec).toBeCloseTo(expectedTwo, 2);
    expect(progress.find((p) => p.user_id === leaderId)).toBeUndefined();
    expect(screenRequests.filter((path) => path === '/api/heartbeats' || path.endsWith('/playback'))).toEqual([]);
    expect(screenRequests).toContain(`/api/group-sessions/${sessionId}/heartbeats`);

    // The leader's roster shows both, with how they came and what they earned, in English on her phone.
    const leadEn = await suite.open(leader, { locale: 'en', viewport: phone });
    await leadEn.goto(`/group/sessions/${sessionId}`);
    await leadEn.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    await leadEn.getByText(fillTemplate(en.session.rosterCount, { count: 2, roster: roster.length })).waitFor();
    // Names repeat in a big group: the search takes the login too.
    await leadEn.getByLabel(en.session.searchLabel).fill(second.login);
    const row = leadEn.locator(`.roster__item[data-login="${second.login}"]`);
    await row.getByText(en.session.checkedOut).waitFor();
    await row.getByText(en.method.code).waitFor();
    expect(await leadEn.locator('.roster__item').count()).toBe(1);
    await expectTidy(leadEn, 'group-session-roster-en-390');

    // Ending it: the screen stops and says so; the members' history keeps the viewing. A page that asks for the next
    // code before it has noticed the end is refused, which Chromium logs.
    expectConsoleErrors(/status of 409 \(Conflict\) \(\S+\/api\/group-sessions\/[0-9a-f-]{36}\/code:/);
    await leadEn.getByRole('button', { name: en.session.end }).click();
    await leadEn.getByRole('group', { name: en.session.end }).getByRole('button', { name: en.session.end }).click();
    await leadEn.getByRole('status').filter({ hasText: en.session.ended }).waitFor();
    await screen.getByRole('status').filter({ hasText: zh.screen.ended }).waitFor();
    await one.goto('/group');
    await one.getByRole('heading', { level: 2, name: zh.hub.historyTitle }).waitFor();
    await one.locator('.group-card').filter({ hasText: lectureTitle }).waitFor();
    await expectTidy(one, 'group-history-zh-390');
  });
});
