import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Locator, Page, Response } from 'playwright-core';
import { acceptDialogs, saveScreenshot } from '../support/browser.js';
import {
  browserSuite,
  escapeRegExp,
  expectTidy,
  fillTemplate,
  messagesOf,
  namedLike,
  phone,
  type Locale,
} from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(180_000);

/** Chapters from end to end: an editor marks them, a member on a phone finds their place with them. */
const suite = browserSuite({ services: ['catalog', 'web'] });

const course = { id: '', title: '分章节的课程' };
/** One 40 s lecture per language, so each run starts without chapters or progress. */
const lectures: Record<Locale, { id: string; title: string }> = {
  'zh-CN': { id: '', title: '党章学习 分章节' },
  en: { id: '', title: 'The constitution in chapters' },
};
const titles: Record<Locale, [string, string, string]> = {
  'zh-CN': ['开场', '第二部分 组织制度', '总结'],
  en: ['Opening', 'Part two: organisation', 'Summary'],
};

/** The chapter only the earlier list has, 35 s in. */
const marks: Record<Locale, string> = { 'zh-CN': '第一版的结束语', en: 'Closing words of the first version' };

const isHeartbeat = (response: Response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/heartbeats';
const currentTime = (page: Page) => page.evaluate<number>('document.querySelector("video").currentTime');
/** Waits until `locator`'s element has the keyboard focus. */
async function focused(page: Page, locator: Locator): Promise<void> {
  const handle = await locator.elementHandle();
  await page.waitForFunction('(el) => el === document.activeElement', handle);
}

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: category!.id })).id;
  for (const lecture of Object.values(lectures)) {
    const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 40);
    lecture.id = (
      await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, { title: lecture.title, assetId })
    ).id;
  }
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
}, 180_000);

describe.each(['zh-CN', 'en'] as Locale[])('chapters (%s)', (locale) => {
  const t = messagesOf(locale);
  const c = t.chapters;
  const lecture = lectures[locale];
  const [opening, second, summary] = titles[locale];

  it('lets an editor mark three chapters, naming the row of a bad time, and save them', async () => {
    const page = await suite.open(suite.stack.demo.editor, { locale, viewport: phone });
    await page.goto(`/studio/courses/${course.id}`);
    await page.getByRole('link', { name: namedLike(c.studioLink, fillTemplate(c.studioLinkLabel, { title: lecture.title })) }).click();
    await page.getByRole('heading', { level: 1, name: fillTemplate(c.editorTitle, { title: lecture.title }) }).waitFor();
    await page.getByText(c.none).waitFor();

    const row = (n: number) => page.getByRole('group', { name: fillTemplate(c.rowLabel, { number: n }) });
    const typed: Array<[string, string]> = [
      ['0:00', opening],
      ['0:75', second],
      ['0:30', summary],
    ];
    for (const [index, [time, title]] of typed.entries()) {
      await page.getByRole('button', { name: `+ ${c.add}` }).click();
      // The new row's time field has the focus.
      await focused(page, row(index + 1).getByLabel(c.time));
      await page.keyboard.type(time);
      await row(index + 1)
        .getByLabel(c.chapterTitle)
        .fill(title);
    }
    await page.getByRole('button', { name: c.save }).click();
    const problem = fillTemplate(c.problem.start_invalid, { number: 2 });
    await page.getByRole('alert').filter({ hasText: problem }).waitFor();
    await row(2).getByLabel(c.time).and(page.locator('[aria-invalid="true"]')).waitFor();
    expect(await row(2).textContent()).toContain(problem);
    await expectTidy(page, `chapters-editor-problem-${locale}`);

    await row(2).getByLabel(c.time).fill('0:15');
    // The row's message follows the edit.
    await page.getByRole('alert').filter({ hasText: problem }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: c.save }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fillTemplate(c.saved, { count: 3 }) })
      .waitFor();
    await expectTidy(page, `chapters-editor-saved-${locale}`);

    const [saved] = await suite.db.query(
      `SELECT count(*)::int AS n, min(ch.title) FILTER (WHERE ch.position = 1) AS second
         FROM lecture_chapters ch JOIN lecture_chapter_lists cl USING (lecture_id, revision)
        WHERE ch.lecture_id = $1 AND cl.archived_at IS NULL`,
      [lecture.id],
    );
    expect(saved).toEqual({ n: 3, second });
    await page.context().close();
  });

  it('shows a member the chapters on a phone, jumps to one, and says where they stopped on return', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    await page.getByRole('button', { name: t.player.bigPlay }).waitFor();
    // Ticks where chapters 2 and 3 start (chapter 1 starts at 0, where the bar begins); hidden from screen readers.
    await page.locator('.chapter-marks__tick').nth(1).waitFor({ state: 'attached' });
    expect(await page.locator('.chapter-marks__tick').count()).toBe(2);
    expect(await page.locator('.chapter-marks').getAttribute('aria-hidden')).toBe('true');
    await page.getByText(fillTemplate(c.current, { number: 1, title: opening })).waitFor();

    const toggle = page.getByRole('button', { name: c.listButton, exact: true });
    await toggle.click();
    const list = page.getByRole('group', { name: c.listLabel });
    await list.waitFor();
    const items = list.getByRole('button');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).getAttribute('aria-current')).toBe('true');
    await expectTidy(page, `chapters-player-list-${locale}`);

    // Enter on chapter 2 plays from its start; a heartbeat then reports a position inside it (it runs to 0:30).
    const reported = page.waitForResponse(
      async (r) => isHeartbeat(r) && r.ok() && ((await r.json()) as { position: number }).position >= 15,
      { timeout: 90_000 },
    );
    await items.filter({ hasText: second }).focus();
    await page.keyboard.press('Enter');
    // Played a little inside chapter 2, not only moved there: only playback moves the saved position, and on a
    // busy machine the first segment there can take a while to arrive.
    await page.waitForFunction('document.querySelector("video").currentTime >= 16.5', null, { timeout: 60_000 });
    expect(await currentTime(page)).toBeGreaterThanOrEqual(15);
    await focused(page, toggle);
    await page.getByText(fillTemplate(c.current, { number: 2, title: second })).waitFor();
    // Paused inside chapter 2.
    await page.getByRole('button', { name: t.player.pause }).click();
    await reported;
    await toggle.click();
    expect(await items.filter({ hasText: second }).getAttribute('aria-current')).toBe('true');
    await saveScreenshot(page, `chapters-player-jumped-${locale}`);
    await toggle.click();

    const stopped = fillTemplate(c.stoppedIn, { number: 2, title: second });
    // Leaves for My study, which says so beside the lecture.
    await page.goto('/study');
    const card = page.locator('.continue-card').filter({ hasText: lecture.title });
    await card.getByText(stopped).waitFor();
    await expectTidy(page, `chapters-my-study-${locale}`);

    // Comes back: the offer to resume names the chapter too.
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    const resume = new RegExp(`^${escapeRegExp(t.player.resumeAt).replace('\\{\\{time\\}\\}', '0:[1-2]\\d')}$`);
    await page.getByRole('button', { name: resume }).waitFor();
    await page.locator('.player__overlay').getByText(stopped).waitFor();
    // The chapter line leaves both of the offer's buttons inside the picture.
    const stage = (await page.locator('.player__stage').boundingBox())!;
    for (const button of [page.getByRole('button', { name: resume }), page.getByRole('button', { name: t.player.startOver })]) {
      const box = (await button.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(stage.y);
      expect(box.y + box.height).toBeLessThanOrEqual(stage.y + stage.height);
    }
    await expectTidy(page, `chapters-resume-${locale}`);
    await page.context().close();
  });

  it('lets an editor view an earlier chapter list and restore it', async () => {
    const v = t.versions;
    const editor = await suite.tokenOf(suite.stack.demo.editor);
    // An earlier list of four chapters, the last only it has; then the current one of two.
    const earlier = [
      { startSec: 0, title: opening },
      { startSec: 15, title: second },
      { startSec: 30, title: summary },
      { startSec: 35, title: marks[locale] },
    ];
    await suite.api(editor, 'PUT', `/api/lectures/${lecture.id}/chapters`, { chapters: earlier });
    await suite.api(editor, 'PUT', `/api/lectures/${lecture.id}/chapters`, { chapters: earlier.slice(0, 2) });

    const page = await suite.open(suite.stack.demo.editor, { locale, viewport: phone });
    const confirms = acceptDialogs(page);
    await page.goto(`/studio/lectures/${lecture.id}/chapters`);
    await page.getByRole('heading', { level: 1, name: fillTemplate(c.editorTitle, { title: lecture.title }) }).waitFor();
    const row = (n: number) => page.getByRole('group', { name: fillTemplate(c.rowLabel, { number: n }) });
    await row(2).waitFor();
    expect(await row(3).count()).toBe(0);

    const history = page.getByRole('region', { name: v.heading });
    const newest = history.locator('.earlier-versions__item').first();
    await newest.waitFor();
    // Who saved it and when, in the reader's language.
    const who = await newest.locator('.earlier-versions__who').innerText();
    expect(who).toContain('陈编辑');
    expect(who).toMatch(locale === 'en' ? /Saved .*\d{4}.* by / : /\d{4}年.*保存/);
    expect(await newest.locator('.earlier-versions__detail').innerText()).toBe(fillTemplate(v.chapterCount_other, { count: 4 }));

    await newest.getByRole('button', { name: new RegExp(`^${escapeRegExp(v.view)}`) }).click();
    const shown = newest.locator('.earlier-versions__view');
    await shown.getByText(marks[locale]).waitFor();
    const listed = await shown.locator('li').allInnerTexts();
    expect(listed).toHaveLength(4);
    // Its times read as the editor's rows do.
    expect(listed[3]).toMatch(new RegExp(`^00:35\\s+${escapeRegExp(marks[locale])}$`));
    // Read-only: nothing in it can be typed into.
    expect(await shown.locator('input, textarea').count()).toBe(0);
    await expectTidy(page, `chapters-versions-view-${locale}`);

    await newest.getByRole('button', { name: new RegExp(`^${escapeRegExp(v.restore)}`) }).click();
    await history
      .getByRole('status')
      .filter({ hasText: v.restored.split('{{time}}')[1]!.slice(0, 6) })
      .waitFor();
    expect(confirms).toHaveLength(1);
    expect(confirms[0]).toContain('陈编辑');
    // The editor now holds the restored rows.
    await row(4).waitFor();
    expect(await row(4).getByLabel(c.chapterTitle).inputValue()).toBe(marks[locale]);
    expect(await row(4).getByLabel(c.time).inputValue()).toBe('00:35');
    expect(await row(5).count()).toBe(0);
    // The list it replaced is now the newest earlier version.
    await history
      .locator('.earlier-versions__item')
      .first()
      .locator('.earlier-versions__detail')
      .getByText(fillTemplate(v.chapterCount_other, { count: 2 }))
      .waitFor();
    const [current] = await suite.db.query(
      `SELECT count(*)::int AS n FROM lecture_chapters ch JOIN lecture_chapter_lists cl USING (lecture_id, revision)
        WHERE ch.lecture_id = $1 AND cl.archived_at IS NULL`,
      [lecture.id],
    );
    expect(current).toEqual({ n: 4 });
    await expectTidy(page, `chapters-versions-restored-${locale}`);
    await page.context().close();
  });
});
