import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { pdfOfPages } from '../../libs/media/src/pdf-fixtures.js';
import { expectConsoleErrors } from '../support/browser.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';

jest.setTimeout(120_000);

/**
 * The studio's materials panel on a phone: upload through tus, the state and page count, refusals in the editor's
 * language, editing, archiving and restoring from the archived list; and the reader's page position on one line.
 */
const suite = browserSuite({ services: ['catalog', 'upload', 'web'] });
const course = { id: '', title: '资料课程' };
const lecture = { id: '', title: '第一讲 政策解读' };

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const pdf = (extra = '') =>
  latin1(
    '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' +
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n' +
      '4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 24 Tf 100 700 Td (Lecture 1) Tj ET\n\nendstream\nendobj\n' +
      extra +
      'xref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n',
  );

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: categories[0].id })).id;
  lecture.id = (await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, { title: lecture.title })).id;
});

describe.each(['zh-CN', 'en'] as const)('the materials panel in %s', (locale: Locale) => {
  const m = messagesOf(locale).materials.studio;
  const fileName = locale === 'en' ? 'Policy notes.pdf' : '政策学习资料.pdf';
  const title = fileName.replace(/\.pdf$/, '');

  it('uploads a PDF at phone width, shows it ready with its pages, and refuses a PDF with JavaScript in its own words', async () => {
    // Signing in lands on My study, whose plan-reading box asks /api/me/material-reading, refused (403) to an
    // editor there; the studio is what this spec walks.
    expectConsoleErrors(/status of 403 \(Forbidden\) \(\S+\/api\/me\/material-reading:/);
    const page = await suite.open(suite.stack.demo.editor, { locale, viewport: phone });
    await page.goto(`/studio/courses/${course.id}`);
    const panel = page.locator('section.materials-panel');
    await panel.getByRole('heading', { level: 2, name: m.heading }).waitFor();

    // Attached to the lecture, chosen before the file.
    await panel
      .getByLabel(m.attachTo, { exact: true })
      .selectOption({ label: fillTemplate(m.lectureOption, { n: 1, title: lecture.title }) });
    const chooser = panel.getByLabel(fillTemplate(m.chooseLabel, { target: fillTemplate(m.forLecture, { n: 1, title: lecture.title }) }));
    await chooser.setInputFiles({
      name: fileName,
      mimeType: 'application/pdf',
      buffer: pdfOfPages([1, 2].map((n) => `BT /F1 28 Tf 60 600 Td (Page ${n}) Tj ET`)),
    });
    const item = panel.locator('.materials-panel__item', {
      has: page.getByRole('heading', { level: 3, name: new RegExp(`${escapeRegExp(title)}$`) }),
    });
    await item.getByText(m.state.readable).waitFor();
    // Counted when the upload was accepted, as pdf.js counts it.
    await item.getByText(fillTemplate(m.pages_other, { count: 2 }), { exact: true }).waitFor();
    await item.getByText(fillTemplate(m.forLecture, { n: 1, title: lecture.title })).waitFor();
    await panel
      .getByRole('status')
      .getByText(fillTemplate(m.uploaded, { name: fileName }))
      .waitFor();

    // The upload service refuses it when its last byte arrives; Chromium logs the 422 of that PATCH.
    expectConsoleErrors(/Failed to load resource: the server responded with a status of 422/);
    await chooser.setInputFiles({
      name: 'form.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('5 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n'),
    });
    const refusal = panel.locator('.materials-panel__refusal');
    await refusal.getByText(fillTemplate(m.refusedTitle, { name: 'form.pdf' }), { exact: false }).waitFor();
    // Said from the server's code in the page's language; the server's English sentence is not shown under it.
    await expect(refusal.getAttribute('data-code')).resolves.toBe('active_content');
    await expect(refusal.textContent()).resolves.toContain(
      `${fillTemplate(m.refusedTitle, { name: 'form.pdf' })} ${m.refusal.active_content}`,
    );
    await expect(refusal.textContent()).resolves.not.toContain('Lectern does not accept');
    await expect(refusal.textContent()).resolves.not.toContain(m.refusedServer.split('{{')[0]);
    await expect(refusal.locator('.alert__detail').count()).resolves.toBe(0);
    await expectTidy(page, `materials-studio-${locale}-phone`);

    await refusal.getByRole('button', { name: m.dismiss }).click();
    await expect(refusal.count()).resolves.toBe(0);

    // Renamed and attached to the whole course from the keyboard-usable form.
    await item.getByRole('button', { name: fillTemplate(m.renameLabel, { title }) }).click();
    const renamed = `${title} (${locale})`;
    await item.getByLabel(m.titleField).fill(renamed);
    await item.getByLabel(m.attachField).selectOption({ label: m.wholeCourse });
    await item.getByRole('button', { name: messagesOf(locale).common.save }).click();
    const renamedItem = panel.locator('.materials-panel__item', {
      has: page.getByRole('heading', { level: 3, name: new RegExp(`${escapeRegExp(renamed)}$`) }),
    });
    await renamedItem.getByText(m.forCourse, { exact: true }).waitFor();

    // Archived after a confirmation: gone from the list.
    await renamedItem.getByRole('button', { name: fillTemplate(m.archiveLabel, { title: renamed }) }).click();
    await expectTidy(page, `materials-studio-${locale}-archive-confirm`);
    await renamedItem.getByRole('button', { name: m.archiveYes, exact: true }).click();
    await panel
      .getByRole('status')
      .getByText(fillTemplate(m.archived, { title: renamed }))
      .waitFor();
    const [row] = await suite.db.query(`SELECT id, archived_at FROM course_materials WHERE title = $1`, [renamed]);
    expect(row.archived_at).not.toBeNull();
    await expect(panel.locator(`[data-material="${row.id}"]`).count()).resolves.toBe(0);

    // The switch lists archived materials too, marked, with a way back.
    const showArchived = panel.getByRole('checkbox', { name: m.showArchived });
    const switchBox = await showArchived.boundingBox();
    expect(switchBox!.height).toBeGreaterThanOrEqual(24);
    await showArchived.check();
    const archivedItem = panel.locator(`[data-material="${row.id}"][data-archived="true"]`);
    await archivedItem.getByText(m.archivedState, { exact: true }).waitFor();
    await archivedItem
      .getByRole('heading', { level: 3, name: new RegExp(`^${escapeRegExp(m.archivedMark)}\\s*${escapeRegExp(renamed)}$`) })
      .waitFor();
    await expect(archivedItem.getByRole('button', { name: fillTemplate(m.archiveLabel, { title: renamed }) }).count()).resolves.toBe(0);
    await expectTidy(page, `materials-studio-${locale}-archived-shown`);
    await archivedItem.getByRole('button', { name: fillTemplate(m.restoreLabel, { title: renamed }) }).click();
    await panel
      .getByRole('status')
      .getByText(fillTemplate(m.restored, { title: renamed }))
      .waitFor();
    const restoredItem = panel.locator(`[data-material="${row.id}"]:not([data-archived])`);
    await restoredItem.getByRole('button', { name: fillTemplate(m.archiveLabel, { title: renamed }) }).waitFor();
    const [after] = await suite.db.query(`SELECT archived_at FROM course_materials WHERE id = $1`, [row.id]);
    expect(after.archived_at).toBeNull();
    await showArchived.uncheck();
    await restoredItem.waitFor();

    // The reader at phone width: "page 1 of 2" on one line above the page-turning buttons.
    // Reading time is kept for members only: the editor's reports are refused.
    expectConsoleErrors(/status of 403 \(Forbidden\) \(\S+\/api\/materials\/[0-9a-f-]+\/reading:/);
    const reader = messagesOf(locale).materialReader;
    await page.goto(`/materials/${row.id}`);
    await page.locator('canvas[data-page="1"][data-drawn="true"]').waitFor();
    const position = page.getByTestId('page-position');
    await expect(position.textContent()).resolves.toBe(fillTemplate(reader.pageOf, { page: 1, total: 2 }));
    // The lines its text takes: one, whatever the language.
    const lines = await page.evaluate<number>(`(() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('[data-testid="page-position"]'));
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    })()`);
    expect(lines).toBe(1);
    const [turnBack, turnOn] = [
      page.getByRole('button', { name: reader.previousPage }).first(),
      page.getByRole('button', { name: reader.nextPage }).first(),
    ];
    await expectTidy(page, `material-reader-pager-${locale}-phone`);
    const [back, on, at] = await Promise.all([turnBack.boundingBox(), turnOn.boundingBox(), position.boundingBox()]);
    expect(back!.y).toBeCloseTo(on!.y, 0);
    expect(at!.y + at!.height).toBeLessThanOrEqual(back!.y);
    await page.context().close();
  });
});
