import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import * as tus from 'tus-js-client';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';
import { pdfOfPages } from '../../libs/media/src/pdf-fixtures.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(180_000);

/**
 * A member on a phone reads a course material: the list on the course page, the PDF drawn page by page by
 * pdf.js (its worker served by the app under the gateway's CSP), the next page, and the original downloaded.
 */
const suite = browserSuite({ services: ['catalog', 'upload', 'web'] });
const course = { id: '', title: '资料阅读课程' };
const material: { id: string; title: string; fileName: string; bytes: Buffer } = {
  id: '',
  title: '学习提纲 Study outline',
  fileName: '学习提纲 Study outline.pdf',
  bytes: Buffer.alloc(0),
};

/** Sends the PDF through the upload service's tus endpoint as a material of the course, as the studio does. */
function upload(token: string, data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    new tus.Upload(data, {
      endpoint: `${suite.stack.uploadUrl}/files`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { purpose: 'material', filename: material.fileName, courseId: course.id, title: material.title },
      retryDelays: [],
      onSuccess: ({ lastResponse }) => resolve(lastResponse.getHeader('Lectern-Material-Id') ?? ''),
      onError: reject,
    }).start();
  });
}

/** Dark pixels on the page's canvas: a blank (white or unpainted) canvas has none. */
const darkPixels = (page: Page, n: number) =>
  page.evaluate<number>(`(() => {
    const canvas = document.querySelector('canvas[data-page="${n}"]');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 300) dark += 1;
    return dark;
  })()`);

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: categories[0]!.id })).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  await suite.api(editor, 'POST', `/api/courses/${course.id}/lectures`, { title: '第一讲', assetId });
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
  material.bytes = pdfOfPages(
    [1, 2].map((n) => `q 0.1 0.2 0.5 rg 40 680 515 60 re f Q BT /F1 28 Tf 60 600 Td (Page ${n} of the outline) Tj ET`),
  );
  material.id = await upload(editor, material.bytes);
  expect(material.id).toMatch(/^[0-9a-f-]{36}$/);
}, 240_000);

describe.each(['zh-CN', 'en'] as const)('reading a material on a phone (%s)', (locale: Locale) => {
  const m = messagesOf(locale).materialReader;

  it('lists it on the course page, draws page 1 and page 2 with pdf.js in its worker, and downloads the original', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone, acceptDownloads: true });
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));

    await page.goto(`/courses/${course.id}`);
    const list = page.locator('section.materials');
    await list.getByRole('heading', { level: 2, name: m.listTitle }).waitFor();
    const item = list.locator('.materials__item', { hasText: material.title });
    await item.getByText(m.kind.pdf, { exact: true }).waitFor();
    await expectTidy(page, `material-reader-list-${locale}`);

    await item
      .getByRole('link', {
        name: new RegExp(`^${escapeRegExp(m.read)}\\s*${escapeRegExp(fillTemplate(m.readWhat, { title: material.title }))}$`),
      })
      .click();
    await page.waitForURL((url) => url.pathname === `/materials/${material.id}`);
    await page.getByRole('heading', { level: 1, name: material.title }).waitFor();
    await page.locator('canvas[data-page="1"][data-drawn="true"]').waitFor();
    await page
      .getByText(fillTemplate(m.pageOf, { page: 1, total: 2 }), { exact: true })
      .first()
      .waitFor();
    expect(await darkPixels(page, 1)).toBeGreaterThan(1000);
    // Fitted to the phone's width, drawn at its pixel density.
    const box = await page.locator('canvas[data-page="1"]').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(phone.width);
    expect(box!.width).toBeGreaterThan(phone.width * 0.75);
    // pdf.js parsed the file in its own worker, served by the app (not a main-thread fallback).
    expect(workers.some((url) => /\/assets\/pdf\.worker[^/]*\.mjs$/.test(url))).toBe(true);
    await expectTidy(page, `material-reader-page1-${locale}`);

    await page.getByRole('button', { name: m.nextPage }).first().click();
    await page
      .getByText(fillTemplate(m.pageOf, { page: 2, total: 2 }), { exact: true })
      .first()
      .waitFor();
    await page.locator('canvas[data-page="2"][data-drawn="true"]').waitFor();
    await expect(page.locator('canvas[data-page="2"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('canvas[data-page="1"]').isVisible()).resolves.toBe(false);
    expect(await darkPixels(page, 2)).toBeGreaterThan(1000);
    await expect(page.getByRole('button', { name: m.nextPage }).first().isDisabled()).resolves.toBe(true);
    await expectTidy(page, `material-reader-page2-${locale}`);

    // Zoom in: the page is drawn wider than the screen and the frame scrolls, not the page.
    await page.getByRole('button', { name: m.zoomIn }).click();
    await page.getByText(fillTemplate(m.zoomLevel, { percent: 125 }), { exact: true }).waitFor();
    await page.locator('canvas[data-page="2"][data-drawn="true"]').waitFor();
    expect((await page.locator('canvas[data-page="2"]').boundingBox())!.width).toBeGreaterThan(phone.width);
    await expectTidy(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('material-download').click()]);
    expect(download.suggestedFilename()).toBe(material.fileName);
    expect(Buffer.compare(await readFile((await download.path())!), material.bytes)).toBe(0);

    // Opening the reader recorded the member's reading.
    const rows = await suite.db.query(
      `SELECT r.seconds_read FROM material_reading r JOIN users u ON u.id = r.user_id WHERE u.login = $1 AND r.material_id = $2`,
      [suite.stack.demo.member.login, material.id],
    );
    expect(rows).toHaveLength(1);
    await page.context().close();
  });
});
