import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { expectConsoleErrors } from '../support/browser.js';
import { waitUntil } from '../support/ports.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';

const run = promisify(execFile);
jest.setTimeout(900_000);

/**
 * An editor uploads a long 1080p lecture and previews it while the ladder is still being encoded: the
 * studio says how much is encoded and how long is left, and the preview plays from 0:00 meanwhile.
 */
const suite = browserSuite();
let workDir: string;
let longClip: string;
let token: string;
let categoryId: string;
/** Long enough that the ladder is still encoding while both languages are checked: 20 min of 1080p. */
const SOURCE_MINUTES = 20;
const lectureTitle = '第三讲 乡村振兴与合作社';
const course = { id: '', lectureId: '', assetId: '' };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'lectern-preview-'));
  const clip = join(workDir, 'clip.mp4');
  longClip = join(workDir, '第三讲.mp4');
  // Ten seconds of 1080p at a modest bitrate, then looped without re-encoding into a long recording.
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25:duration=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=10'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '600k', '-pix_fmt', 'yuv420p', '-g', '50'],
    ...['-c:a', 'aac', '-b:a', '64k', '-shortest', clip],
  ]);
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-stream_loop', String(SOURCE_MINUTES * 6 - 1), '-i', clip],
    ...['-c', 'copy', '-movflags', '+faststart', longClip],
  ]);
}, 180_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const editor = () => suite.stack.demo.editor;

/** The editor's page of the course, in `locale` at phone width. */
async function openEditor(locale: Locale): Promise<Page> {
  // Signing in lands on the study page, which asks editors too for the material reading only members have (403).
  expectConsoleErrors(/status of 403 \(Forbidden\) \(http[^)]*\/api\/me\/material-reading:/);
  const page = await suite.open(editor(), { locale, viewport: phone });
  await page.goto(`/studio/courses/${course.id}`);
  await page.getByRole('heading', { level: 3, name: new RegExp(escapeRegExp(lectureTitle)) }).waitFor();
  return page;
}

/** "可以预览 · 已编码 34% · 约还需 12 分钟" with its figures left open. */
function statusPattern(locale: Locale): RegExp {
  const m = messagesOf(locale).preview;
  const figure = (template: string, name: string) => escapeRegExp(template).replace(escapeRegExp(`{{${name}}}`), '\\d+');
  return new RegExp(
    `^${escapeRegExp(m.previewableNow)} · ${figure(m.encodedPercent, 'percent')} · (${figure(m.minutesLeft, 'minutes')}|${escapeRegExp(m.underAMinute)})$`,
  );
}

/** Opens the preview from the studio's button and plays it; returns where playback started (the first played range). */
async function previewPlays(page: Page, locale: Locale): Promise<number> {
  const m = messagesOf(locale).preview;
  await page.getByRole('link', { name: fillTemplate(m.previewLabel, { title: lectureTitle }) }).click();
  await page.getByRole('heading', { level: 1, name: fillTemplate(m.heading, { title: lectureTitle }) }).waitFor({ timeout: 60_000 });
  await page.locator('[data-preview-state="encoding"]').waitFor({ timeout: 60_000 });
  await page.locator('video').waitFor();
  // Encoded past the second segment (2 s, then 4 s), so that playing past 3 s waits on the player, not on an
  // encoder that a busy machine may be holding back.
  await page.waitForFunction(
    `Number(document.querySelector('[data-preview-state="encoding"], [data-preview-state="complete"]')?.getAttribute('data-encoded-sec') ?? Infinity) >= 8`,
    null,
    { timeout: 600_000 },
  );
  await page.evaluate(`(() => {
    const video = document.querySelector('video');
    video.muted = true;
    // A play() cut short by the player loading the grown playlist rejects; the player plays on by itself.
    video.play().catch(() => undefined);
  })()`);
  await page.waitForFunction('document.querySelector("video").currentTime > 3', null, { timeout: 120_000 });
  return page.evaluate<number>('document.querySelector("video").played.start(0)');
}

const assetStatus = async () =>
  (await suite.api<{ status: string; previewable?: boolean }>(token, 'GET', `/api/assets/${course.assetId}`)).status;

describe('progressive preview in the studio', () => {
  beforeAll(async () => {
    token = await suite.tokenOf(editor());
    categoryId = (await suite.api<Array<{ id: string; code: string }>>(token, 'GET', '/api/course-categories')).find(
      (c) => c.code === 'political-theory',
    )!.id;
    const created = await suite.api<{ id: string }>(token, 'POST', '/api/courses', { title: '乡村振兴专题', categoryId });
    course.id = created.id;
    const lecture = await suite.api<{ id: string }>(token, 'POST', `/api/courses/${course.id}/lectures`, { title: lectureTitle });
    course.lectureId = lecture.id;
  });

  it('zh, 390 px: upload, see percent encoded and minutes left, preview from 0:00 while it still encodes; publishing waits', async () => {
    const zh = messagesOf('zh-CN');
    const page = await openEditor('zh-CN');
    await page.getByLabel(fillTemplate(zh.media.chooseLabel, { action: zh.media.choose, title: lectureTitle })).setInputFiles(longClip);

    // Previewable as soon as the first segments of every rendition are stored: wait for that, not for a time.
    const status = page.locator('[data-previewable-status]');
    await status.filter({ hasText: statusPattern('zh-CN') }).waitFor({ timeout: 600_000 });
    await page.getByRole('progressbar', { name: zh.preview.progressLabel }).waitFor();
    await page.getByText(zh.preview.membersWait).waitFor();
    const studio = await suite.api<{ lectures: Array<{ assetId: string }> }>(token, 'GET', `/api/studio/courses/${course.id}`);
    course.assetId = studio.lectures[0]!.assetId;
    await expectTidy(page, 'preview-studio-zh');

    // Live: the figures move on without a reload (the studio's transcoding poll).
    const before = JSON.stringify(await status.textContent());
    await page.waitForFunction(`document.querySelector('[data-previewable-status]')?.textContent !== ${before}`, null, {
      timeout: 300_000,
    });

    // The course waits for "ready" by default: once the catalog knows the lecture is previewable,
    // publishing is refused, saying why and what to do.
    await waitUntil(
      async () => (await suite.api<{ state: string }>(token, 'GET', `/api/lectures/${course.lectureId}/preview`)).state === 'previewable',
      120_000,
      'the catalog knows the lecture is previewable',
    );
    expectConsoleErrors(/status of 409 \(Conflict\) \(http[^)]*\/api\/courses\/[^/]+\/publish:/);
    await page.getByRole('button', { name: zh.editor.publish }).click();
    await page.getByRole('alert').filter({ hasText: 'still being encoded' }).waitFor();

    const startedAt = await previewPlays(page, 'zh-CN');
    expect(startedAt).toBeLessThan(1);
    expect(await assetStatus()).toBe('transcoding');
    const encoded = page.locator('[data-preview-state="encoding"]');
    expect(Number(await encoded.getAttribute('data-encoded-sec'))).toBeGreaterThan(0);
    await expect(encoded.textContent()).resolves.toMatch(/^已编码到 \d+:\d\d/);
    await expectTidy(page, 'preview-player-zh');
  });

  it('en, 390 px: the same line in English; allowing early publishing says what members see, and publishes', async () => {
    const en = messagesOf('en');
    const page = await openEditor('en');
    await page
      .locator('[data-previewable-status]')
      .filter({ hasText: statusPattern('en') })
      .waitFor({ timeout: 120_000 });
    expect(await assetStatus()).toBe('transcoding');

    await page.getByRole('button', { name: en.editor.editDetails }).click();
    const setting = page.getByRole('checkbox', { name: en.preview.earlyPublish });
    expect(await setting.isChecked()).toBe(false);
    await page.getByText(en.preview.earlyPublishHint).waitFor();
    await setting.check();
    await expectTidy(page, 'preview-setting-en');
    await page.getByRole('button', { name: en.common.save }).click();
    await page.getByText(en.preview.earlyPublishOn).waitFor();
    await page.getByText(en.preview.membersWillSeeSoFar).waitFor();

    await page.getByRole('button', { name: en.editor.publish }).click();
    await page.getByText(en.preview.membersSeeSoFar).waitFor();
    await expectTidy(page, 'preview-studio-en');

    const startedAt = await previewPlays(page, 'en');
    expect(startedAt).toBeLessThan(1);
    expect(await assetStatus()).toBe('transcoding');
    await expect(page.locator('[data-preview-state="encoding"]').textContent()).resolves.toMatch(/^Encoded up to \d+:\d\d/);
    await expectTidy(page, 'preview-player-en');
  });
});
