import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { acceptDialogs, expectConsoleErrors } from '../support/browser.js';
import { browserSuite, expectTidy, messagesOf, phone, type Locale } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/** Captions: an editor fixes a broken file in the page; a member on a phone reads captions and the transcript. */
const suite = browserSuite({ services: ['catalog', 'web'] });

const course = { id: '', title: '字幕示范课程' };
const lecture = { id: '', title: '第一讲 有字幕的讲座' };

const CUES: Record<Locale, [string, string]> = {
  'zh-CN': ['大家好，欢迎学习', '今天讲乡村振兴'],
  en: ['Welcome to the course', 'Today: rural revitalisation'],
};
/** The caption only the earlier text has. */
const MARK: Record<Locale, string> = { 'zh-CN': '这是第一版的结束语', en: 'Closing words of the first version' };
const srt = (locale: Locale, arrow = '-->') =>
  `1\n00:00:00,000 --> 00:00:10,000\n${CUES[locale][0]}\n\n2\n00:00:12,000 ${arrow} 00:00:20,000\n${CUES[locale][1]}\n`;

async function putCaptions(token: string, lang: Locale, text: string): Promise<void> {
  const response = await fetch(`${suite.stack.baseUrl}/api/studio/lectures/${lecture.id}/captions/${lang}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
    body: text,
  });
  if (!response.ok) throw new Error(`captions ${lang}: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const media = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 30);
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: category!.id })).id;
  lecture.id = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, { title: lecture.title, assetId: media.assetId })
  ).id;
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
  await putCaptions(editor, 'zh-CN', srt('zh-CN'));
  await putCaptions(editor, 'en', srt('en'));
}, 180_000);

const currentTime = (page: Page) => page.evaluate<number>('document.querySelector("video").currentTime');
const fontSize = (page: Page) =>
  page.evaluate<number>('parseFloat(getComputedStyle(document.querySelector(".captions-overlay__cue")).fontSize)');

describe.each(['zh-CN', 'en'] as Locale[])('captions (%s)', (locale) => {
  const t = messagesOf(locale);
  const c = t.captions;
  const langName = c.langName[locale];

  it('lets an editor upload a broken SRT, see the line to fix, fix it in the page and save', async () => {
    // The broken file is refused with 400, which Chromium logs on its own.
    expectConsoleErrors(/status of 400 .*\/captions\/(zh-CN|en)\/file/);
    const page = await suite.open(suite.stack.demo.editor, { locale, viewport: phone });
    await page.goto(`/studio/lectures/${lecture.id}/captions`);
    await page.getByRole('heading', { level: 1, name: new RegExp(lecture.title) }).waitFor();
    await page.getByRole('group', { name: c.language }).getByRole('button', { name: langName, exact: true }).click();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'broken.srt', mimeType: 'application/x-subrip', buffer: Buffer.from(srt(locale, '->')) });

    const problems = page.locator('.captions-editor__problems');
    await problems.waitFor();
    expect(await problems.innerText()).toContain(locale === 'en' ? 'line 6:' : '第 6 行');
    const box = page.getByLabel(c.textLabel);
    expect(await box.inputValue()).toContain('00:00:12,000 -> 00:00:20,000');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await expectTidy(page, `captions-editor-error-${locale}`);

    await box.fill((await box.inputValue()).replace('00:00:12,000 -> ', '00:00:12,000 --> '));
    await problems.waitFor({ state: 'detached' });
    expect(await page.locator('.captions-editor__preview li').count()).toBe(2);
    await page.getByRole('button', { name: c.save }).click();
    await page
      .getByRole('status')
      .filter({ hasText: c.saved.replace('{{count}}', '2') })
      .waitFor();
    expect(await page.locator('.captions-editor__current').innerText()).toMatch(/2/);
    await expectTidy(page, `captions-editor-saved-${locale}`);
  });

  it('lets an editor view an earlier caption text and restore it', async () => {
    const v = t.versions;
    const editor = await suite.tokenOf(suite.stack.demo.editor);
    // An earlier text with a third caption only it has, then the current one without it.
    const earlier = `${srt(locale)}\n3\n00:00:22,000 --> 00:00:25,000\n${MARK[locale]}\n`;
    await putCaptions(editor, locale, earlier);
    await putCaptions(editor, locale, srt(locale));

    const page = await suite.open(suite.stack.demo.editor, { locale, viewport: phone });
    const confirms = acceptDialogs(page);
    await page.goto(`/studio/lectures/${lecture.id}/captions`);
    await page.getByRole('heading', { level: 1, name: new RegExp(lecture.title) }).waitFor();
    await page.getByRole('group', { name: c.language }).getByRole('button', { name: langName, exact: true }).click();
    const box = page.getByLabel(c.textLabel);
    expect(await box.inputValue()).not.toContain(MARK[locale]);

    const history = page.getByRole('region', { name: v.heading });
    const newest = history.locator('.earlier-versions__item').first();
    await newest.waitFor();
    expect(await history.locator('.earlier-versions__item').count()).toBeGreaterThanOrEqual(3);
    // Who saved it and when, in the reader's language.
    const who = await newest.locator('.earlier-versions__who').innerText();
    expect(who).toContain('陈编辑');
    expect(who).toMatch(locale === 'en' ? /Saved .*\d{4}.* by / : /\d{4}年.*保存/);
    expect(await newest.locator('.earlier-versions__detail').innerText()).toContain(locale === 'en' ? '3 captions' : '3 条字幕');

    await newest.getByRole('button', { name: new RegExp(`^${v.view}`) }).click();
    const shown = newest.locator('.earlier-versions__view');
    await shown.getByText(MARK[locale]).waitFor();
    expect(await shown.locator('pre').innerText()).toContain('00:00:22.000 --> 00:00:25.000');
    await expectTidy(page, `captions-versions-view-${locale}`);

    await newest.getByRole('button', { name: new RegExp(`^${v.restore}`) }).click();
    await history
      .getByRole('status')
      .filter({ hasText: v.restored.split('{{time}}')[1]!.slice(0, 6) })
      .waitFor();
    expect(confirms).toHaveLength(1);
    expect(confirms[0]).toContain('陈编辑');
    expect(await box.inputValue()).toContain(MARK[locale]);
    expect(await page.locator('.captions-editor__preview li').count()).toBe(3);
    // The text it replaced is now the newest earlier version.
    await history
      .locator('.earlier-versions__item')
      .first()
      .locator('.earlier-versions__detail')
      .getByText(locale === 'en' ? '2 captions' : '2 条字幕')
      .waitFor();
    await expectTidy(page, `captions-versions-restored-${locale}`);
  });

  it('shows a member captions over the video at phone width, large on request, and a transcript that seeks', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    // From the start: the member may have stopped inside this lecture in the other language's run, and is
    // then offered to resume there instead of the big play button.
    await page
      .getByRole('button', { name: t.player.bigPlay })
      .or(page.getByRole('button', { name: t.player.startOver }))
      .click();
    await page.waitForFunction('document.querySelector("video").currentTime > 0.2', null, { timeout: 30_000 });

    const menu = page.locator('.captions-menu .choice-menu__toggle');
    await menu.click();
    await page.locator('.captions-menu').getByRole('button', { name: langName, exact: true }).click();
    const overlay = page.locator('.captions-overlay');
    await overlay.getByText(CUES[locale][0]).waitFor();
    // Over the picture, inside it, and readable.
    const [video, text] = await Promise.all([page.locator('.player__video').boundingBox(), overlay.boundingBox()]);
    expect(text!.y).toBeGreaterThanOrEqual(video!.y);
    expect(text!.y + text!.height).toBeLessThanOrEqual(video!.y + video!.height);
    const normal = await fontSize(page);
    expect(normal).toBeGreaterThanOrEqual(18);
    await page.evaluate('document.querySelector("video").pause()');
    await expectTidy(page, `captions-member-${locale}`);

    await menu.click();
    await page.locator('.captions-menu').getByRole('button', { name: c.large }).click();
    await page.locator('.captions-overlay--large').waitFor();
    expect(await fontSize(page)).toBeGreaterThan(normal);

    const transcript = page.getByRole('region', { name: c.transcript }).or(page.locator('.transcript'));
    await transcript
      .first()
      .getByRole('button', { name: new RegExp(CUES[locale][1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
      .click();
    await page.waitForFunction('document.querySelector("video").currentTime >= 12', null, { timeout: 30_000 });
    expect(await currentTime(page)).toBeLessThan(20);
    await overlay.getByText(CUES[locale][1]).waitFor();
    await page.locator('.transcript__line[aria-current="true"]').getByText(CUES[locale][1]).waitFor();
    await page.evaluate('document.querySelector("video").pause()');
    await expectTidy(page, `captions-member-large-${locale}`);
  });

  it('finds the course by words said in a lecture and opens the lecture at that moment', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    const words = locale === 'en' ? 'revitalisation' : '乡村振兴';
    await page.goto(`/courses?q=${encodeURIComponent(words)}`);
    const hit = page.locator('.course-card__spoken');
    await hit.waitFor();
    expect(await hit.innerText()).toContain(lecture.title);
    const link = hit.getByRole('link', { name: new RegExp(`0:12.*${CUES[locale][1].split(' ')[0]}`) });
    await expectTidy(page, `captions-search-${locale}`);
    await link.click();
    await page.getByRole('button', { name: t.player.bigPlay }).click();
    await page.waitForFunction('document.querySelector("video").currentTime >= 12', null, { timeout: 30_000 });
    expect(await currentTime(page)).toBeLessThan(20);
  });
});
