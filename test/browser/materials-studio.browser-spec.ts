import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { expectConsoleErrors } from '../support/browser.js';
import { browserSuite, escapeRegExp, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';

jest.setTimeout(120_000);

/** The studio's materials panel on a phone: upload through tus, the state, refusals in the server's words, editing. */
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

  it('uploads a PDF at phone width, shows it ready, and refuses a PDF with JavaScript in the server’s words', async () => {
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
    await chooser.setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdf() });
    const item = panel.locator('.materials-panel__item', {
      has: page.getByRole('heading', { level: 3, name: new RegExp(`${escapeRegExp(title)}$`) }),
    });
    await item.getByText(m.state.readable).waitFor();
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
    await expect(refusal.textContent()).resolves.toMatch(/contains JavaScript or other active content/);
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
    const [row] = await suite.db.query(`SELECT archived_at FROM course_materials WHERE title = $1`, [renamed]);
    expect(row.archived_at).not.toBeNull();
    await page.context().close();
  });
});
