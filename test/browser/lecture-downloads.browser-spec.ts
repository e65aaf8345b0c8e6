import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Locator } from 'playwright-core';
import type { PlaybackSessionView } from '#contracts';
import { browserSuite, desktop, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';
import { publishTestMedia, publishTranscodedMedia } from '../support/published-media.js';

jest.setTimeout(180_000);

/** The lecture page's offline files: choices with sizes, the small one first, saved under the lecture's name. */
const suite = browserSuite({ services: ['catalog', 'web'] });

const course = { id: '', title: '离线也能学' };
const video = { id: '', title: '第一讲 乡村振兴' };
const talk = { id: '', title: '第二讲 广播讲座' };
const legacy = { id: '', title: '第三讲 早先上传的' };

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const storage = suite.stack.env.STORAGE_DIR!;
  const transcoded = await publishTranscodedMedia(suite.db, storage, { seconds: 4 });
  const audio = await publishTranscodedMedia(suite.db, storage, { seconds: 4, audioOnly: true });
  const old = await publishTestMedia(suite.db, storage, 2);
  // Published before there were several offline files: only `download`.
  await suite.db.query(`UPDATE lecture_media SET outputs = outputs - 'downloads' WHERE asset_id = $1`, [old.assetId]);
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: category!.id })).id;
  for (const [lecture, assetId] of [
    [video, transcoded.assetId],
    [talk, audio.assetId],
    [legacy, old.assetId],
  ] as const) {
    lecture.id = (
      await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, {
        title: lecture.title,
        speaker: '钱老师',
        assetId,
      })
    ).id;
  }
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
}, 300_000);

/** What the member's session offers, as the API answers it (sizes and names to expect on the page). */
async function sessionOf(lectureId: string): Promise<PlaybackSessionView> {
  const member = await suite.tokenOf(suite.stack.demo.member);
  return suite.api<PlaybackSessionView>(member, 'POST', `/api/lectures/${lectureId}/playback`);
}

describe.each([
  ['zh-CN', phone],
  ['en', phone],
  ['zh-CN', desktop],
  ['en', desktop],
] as Array<[Locale, typeof phone]>)('offline files on the lecture page (%s, %o)', (locale, viewport) => {
  const t = messagesOf(locale).memberDownloads;
  /** A choice's words with `size` where its size goes: what the page must show, as a pattern. */
  const choice = (template: string, resolution: string, size = String.raw`(\d+(?:\.\d)?) (B|KB|MB|GB)`) =>
    fillTemplate(t.withSize, { label: escapeRegExp(fillTemplate(template, { resolution }).trim()), size });
  /** The shown size read back in bytes: within the rounding of one decimal of `bytes`. */
  const expectSize = (text: string, pattern: string, bytes: number) => {
    const [, value, unit] = new RegExp(`^${pattern}`).exec(text) ?? [];
    expect(value).toBeDefined();
    const shown = Number(value) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(unit!);
    expect(Math.abs(shown - bytes) / bytes).toBeLessThan(0.06);
  };
  const textsOf = async (links: Locator) => (await links.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());

  it('lists 360p (recommended on mobile data), 720p and sound only with their sizes, large enough to tap', async () => {
    const offered = (await sessionOf(video.id)).downloads;
    const page = await suite.open(suite.stack.demo.member, { locale, viewport, acceptDownloads: true });
    await page.goto(`/lectures/${video.id}?course=${course.id}`);
    const section = page.getByRole('region', { name: t.title });
    await section.waitFor();
    await section.getByText(t.hintVideo).waitFor();
    const links = section.getByRole('link');
    const patterns = [choice(t.standard, '360p'), choice(t.high, '720p'), choice(t.audio, '')];
    const texts = await textsOf(links);
    expect(texts).toHaveLength(3);
    patterns.forEach((pattern, i) => expectSize(texts[i]!, pattern, offered[i]!.bytes!));
    expect(texts[0]).toMatch(new RegExp(`^${patterns[0]} ${escapeRegExp(t.recommended)}$`));
    expect(texts[1]).toMatch(new RegExp(`^${patterns[1]}$`));
    expect(texts[2]).toMatch(new RegExp(`^${patterns[2]} ${escapeRegExp(t.audioNote)}$`));
    for (const box of await Promise.all((await links.all()).map((link) => link.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(48);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    }
    await expectTidy(page, `lecture-downloads-${locale}-${viewport.width}`);

    // The small file saves under the lecture's name and its size.
    const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
    expect(download.suggestedFilename()).toBe('第一讲 乡村振兴 (360p).mp4');
    await download.cancel();
  });

  it('offers an audio lecture as sound only, and an older lecture its one file', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport });
    const [sound] = (await sessionOf(talk.id)).downloads;
    await page.goto(`/lectures/${talk.id}?course=${course.id}`);
    const section = page.getByRole('region', { name: t.title });
    await section.getByText(t.hintAudio).waitFor();
    const [soundText, ...noMore] = await textsOf(section.getByRole('link'));
    expect(noMore).toEqual([]);
    expect(soundText).toMatch(new RegExp(`^${choice(t.audio, '')}$`));
    expectSize(soundText!, choice(t.audio, ''), sound!.bytes!);
    await expectTidy(page);

    const [old] = (await sessionOf(legacy.id)).downloads;
    await page.goto(`/lectures/${legacy.id}?course=${course.id}`);
    await section.getByText(t.hintVideo).waitFor();
    const [oldText, ...none] = await textsOf(section.getByRole('link'));
    expect(none).toEqual([]);
    // Its one file is 360p: called standard, as a 360p file is.
    expect(oldText).toMatch(new RegExp(`^${choice(t.standard, '360p')} ${escapeRegExp(t.recommended)}$`));
    expectSize(oldText!, choice(t.standard, '360p'), old!.bytes!);
  });
});
