import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import * as tus from 'tus-js-client';
import type { MaterialListView } from '#contracts';
import { waitUntil } from '../support/ports.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';

const run = promisify(execFile);
jest.setTimeout(900_000);

/**
 * Courseware as a member meets it on a phone: a lecture that is still being encoded plays, with captions and
 * chapters, and the slides the editor attached as a PowerPoint file open as a PDF in the page.
 */
const suite = browserSuite();
let workDir: string;
let editor: string;
/** 720p, long enough that the ladder is still encoding while the member watches. */
const SOURCE_MINUTES = 12;
const course = { id: '', title: '课件示范课程' };
const lecture = { id: '', title: '第一讲 边编码边学习', assetId: '' };
const material = { id: '', title: '第一讲 讲义' };
const CUE = { zh: '同志们好，今天学习第一讲', en: 'Good morning, this is lecture one' };
const CHAPTERS = [
  { title: '开场', startSec: 0 },
  { title: '政策要点', startSec: 24 },
  { title: '答疑', startSec: 300 },
];

/** Sends a file through the studio's tus endpoint; answers the upload's id and the last response. */
function send(path: string, metadata: Record<string, string>): Promise<{ id: string; response: tus.HttpResponse }> {
  return new Promise((resolve, reject) => {
    const upload: tus.Upload = new tus.Upload(readFileSync(path), {
      endpoint: `${suite.stack.baseUrl}/files/`,
      headers: { Authorization: `Bearer ${editor}` },
      metadata,
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000],
      onSuccess: ({ lastResponse }) => resolve({ id: upload.url!.split('/').pop()!, response: lastResponse }),
      onError: reject,
    });
    upload.start();
  });
}

/** A two-slide presentation with Chinese text, written as Flat ODF and saved as .pptx by LibreOffice. */
async function makePresentation(dir: string): Promise<string> {
  const slide = (name: string, text: string) =>
    `<draw:page draw:name="${name}" draw:master-page-name="Default"><draw:frame svg:x="2cm" svg:y="3cm" svg:width="24cm" svg:height="6cm">` +
    `<draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame></draw:page>`;
  writeFileSync(
    join(dir, 'slides.fodp'),
    `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
  <office:master-styles><style:master-page style:name="Default"/></office:master-styles>
  <office:body><office:presentation>${slide('p1', '第一讲 讲义：政策要点')}${slide('p2', '第二页：答疑')}</office:presentation></office:body>
</office:document>`,
  );
  const profile = join(dir, 'profile');
  await run('soffice', [
    ...['--headless', '--norestore', `-env:UserInstallation=file://${profile}`],
    ...['--convert-to', 'pptx', '--outdir', dir, join(dir, 'slides.fodp')],
  ]);
  return join(dir, 'slides.pptx');
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'lectern-courseware-'));
  const clip = join(workDir, 'clip.mp4');
  const source = join(workDir, '第一讲.mp4');
  // Ten seconds of 720p, looped without re-encoding into a long recording.
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=10'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '500k', '-pix_fmt', 'yuv420p', '-g', '50'],
    ...['-c:a', 'aac', '-b:a', '64k', '-shortest', clip],
  ]);
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-stream_loop', String(SOURCE_MINUTES * 6 - 1), '-i', clip],
    ...['-c', 'copy', '-movflags', '+faststart', source],
  ]);
  const slides = await makePresentation(workDir);

  editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  course.id = (
    await suite.api<{ id: string }>(editor, 'POST', '/api/courses', {
      title: course.title,
      categoryId: category!.id,
      publishWhenPreviewable: true,
    })
  ).id;

  const uploaded = await send(source, { filename: '第一讲.mp4', filetype: 'video/mp4' });
  lecture.assetId = (await suite.api<{ id: string }>(editor, 'GET', `/api/uploads/${uploaded.id}/asset`)).id;
  lecture.id = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, {
      title: lecture.title,
      assetId: lecture.assetId,
    })
  ).id;
  // Captions and chapters go on at once; the slides convert while the ladder encodes.
  await suite.api(editor, 'PUT', `/api/lectures/${lecture.id}/chapters`, { chapters: CHAPTERS });
  for (const [lang, text] of [
    ['zh-CN', CUE.zh],
    ['en', CUE.en],
  ] as const) {
    const response = await fetch(`${suite.stack.baseUrl}/api/studio/lectures/${lecture.id}/captions/${lang}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
      body: `WEBVTT\n\n00:00:00.000 --> 00:10:00.000\n${text}\n`,
    });
    if (!response.ok) throw new Error(`captions ${lang}: ${response.status} ${await response.text()}`);
  }
  const sent = await send(slides, {
    purpose: 'material',
    filename: 'slides.pptx',
    courseId: course.id,
    lectureId: lecture.id,
    title: material.title,
  });
  material.id = sent.response.getHeader('Lectern-Material-Id') ?? '';

  await waitUntil(
    async () => (await suite.api<{ state: string }>(editor, 'GET', `/api/lectures/${lecture.id}/preview`)).state === 'previewable',
    600_000,
    'the lecture is previewable',
  );
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
  await waitUntil(
    async () =>
      (await suite.api<MaterialListView>(editor, 'GET', `/api/studio/courses/${course.id}/materials`)).materials.some(
        (m) => m.id === material.id && m.state === 'ready',
      ),
    300_000,
    'the slides are converted to PDF',
  );
}, 900_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const stillEncoding = async () =>
  (await suite.api<{ status: string }>(editor, 'GET', `/api/assets/${lecture.assetId}`)).status === 'transcoding';
const currentTime = (page: Page) => page.evaluate<number>('document.querySelector("video").currentTime');

describe.each(['zh-CN', 'en'] as Locale[])('courseware on a phone (%s)', (locale) => {
  const t = messagesOf(locale);
  const cue = locale === 'en' ? CUE.en : CUE.zh;

  it('plays a lecture still being encoded, with captions and chapters', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(lecture.title)) }).waitFor();
    // The player mounts once its playback session has been opened, after the heading.
    await page.locator('video').waitFor({ state: 'attached' });
    await page.evaluate('document.querySelector("video").muted = true');
    await page.getByRole('button', { name: t.player.bigPlay }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 2', null, { timeout: 120_000 });
    expect(await stillEncoding()).toBe(true);

    // Captions in the member's language over the picture.
    await page.locator('.captions-menu .choice-menu__toggle').click();
    await page.locator('.captions-menu').getByRole('button', { name: t.captions.langName[locale], exact: true }).click();
    await page.locator('.captions-overlay').getByText(cue).waitFor();

    // Markers on the progress bar: the bar spans the part encoded so far, so chapter 2's tick appears once
    // encoding has passed its start, and then jumping to it stays within what can play.
    await page.locator('.chapter-marks__tick').first().waitFor({ state: 'attached', timeout: 600_000 });
    await page.getByRole('button', { name: t.chapters.listButton }).click();
    const list = page.getByRole('group', { name: t.chapters.listLabel });
    await list.getByRole('button', { name: new RegExp(escapeRegExp(CHAPTERS[1]!.title)) }).click();
    await page.waitForFunction(`document.querySelector("video").currentTime >= ${CHAPTERS[1]!.startSec}`, null, { timeout: 60_000 });
    expect(await currentTime(page)).toBeLessThan(CHAPTERS[2]!.startSec);
    await page
      .locator('.chapters-row__now')
      .filter({ hasText: fillTemplate(t.chapters.current, { number: 2, title: CHAPTERS[1]!.title }) })
      .waitFor();
    expect(await stillEncoding()).toBe(true);
    await expectTidy(page, `courseware-lecture-${locale}`);
  });

  it('opens the slides, uploaded as PowerPoint, as a PDF in the page', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    await page
      .getByRole('region', { name: t.materialReader.lectureListTitle })
      .getByRole('link', { name: new RegExp(`^${escapeRegExp(t.materialReader.read)}.*${escapeRegExp(material.title)}`) })
      .click();
    await page.getByText(material.title).first().waitFor();
    const firstPage = page.locator('canvas[data-page="1"][data-drawn="true"]');
    await firstPage.waitFor({ timeout: 60_000 });
    const box = await firstPage.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.width).toBeLessThanOrEqual(phone.width);
    // Drawn, not blank: some pixels of the slide differ from its background.
    const inked = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('canvas[data-page="1"]');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let differing = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differing++;
      return differing;
    })()`);
    expect(inked).toBeGreaterThan(100);
    await page
      .getByTestId('page-position')
      .filter({ hasText: fillTemplate(t.materialReader.pageOf, { page: 1, total: 2 }) })
      .waitFor();
    await expectTidy(page, `courseware-slides-${locale}`);
  });
});
