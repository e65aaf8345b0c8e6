import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { browserSuite, desktop, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/**
 * Programs on demand: a member asks on a phone; a second member finds the request while typing and votes
 * for it; an editor links it to a course; the first member reads the answer and the course link.
 */
const suite = browserSuite({ services: ['catalog', 'web'] });
const courseTitle = '农村电商入门';
const second = { login: 'member06', password: '' };
let courseId = '';
const categoryName: Record<Locale, string> = { 'zh-CN': '', en: '' };

const asked: Record<Locale, { title: string; typed: string }> = {
  'zh-CN': { title: '农村电商补贴怎么申请', typed: '电商补贴' },
  en: { title: 'How to apply for rural e-commerce subsidies', typed: 'e-commerce subsidies' },
};

beforeAll(async () => {
  second.password = suite.stack.demo.member.password;
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string; nameZh: string; nameEn: string }>>(editor, 'GET', '/api/course-categories');
  categoryName['zh-CN'] = categories[0]!.nameZh;
  categoryName.en = categories[0]!.nameEn;
  courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id })).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  await suite.api(editor, 'POST', `/api/courses/${courseId}/lectures`, { title: '补贴申请流程', assetId });
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
}, 180_000);

describe.each<Locale>(['zh-CN', 'en'])('programs on demand (%s)', (locale) => {
  const t = messagesOf(locale).programRequests;
  const { title, typed } = asked[locale];

  it('is asked for, found and voted for, linked to a course, and read with its answer', async () => {
    // The first member asks on a phone.
    const member = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await member.goto('/requests');
    await member.getByRole('heading', { level: 2, name: t.askHeading }).waitFor();
    await member.getByLabel(t.titleLabel).fill(title);
    await member.getByLabel(t.detailLabel).fill('<script>alert(1)</script>');
    await member.getByLabel(t.categoryLabel).selectOption({ label: categoryName[locale] });
    await member.getByRole('button', { name: t.submit }).click();
    await member.getByText(t.created).waitFor();
    await member.getByRole('region', { name: t.mine }).getByRole('link', { name: title }).waitFor();
    await expectTidy(member, `program-requests-asked-${locale}`);
    const [{ id }] = await suite.db.query(`SELECT id FROM program_requests WHERE title = $1`, [title]);

    // A second member types other words for the same thing and votes instead of asking again.
    const neighbour = await suite.open(second, { locale, viewport: phone });
    await neighbour.goto('/requests');
    await neighbour.getByLabel(t.titleLabel).fill(typed);
    const similar = neighbour.getByRole('region', { name: t.similarHeading });
    await similar.getByRole('link', { name: title }).waitFor();
    await expectTidy(neighbour, `program-requests-similar-${locale}`);
    await similar
      .getByRole('button', { name: new RegExp(`^${t.meToo.replace('+', '\\+')}`) })
      .first()
      .click();
    await neighbour.getByText(t.voted).waitFor();
    await neighbour.getByRole('region', { name: t.myVotes }).getByRole('link', { name: title }).waitFor();
    await neighbour.context().close();

    // The editor links it to a course.
    const editor = await suite.open(suite.stack.demo.editor, { locale, viewport: desktop });
    await editor.goto('/voice/requests');
    await editor.getByRole('link', { name: title }).click();
    await editor.getByRole('heading', { level: 1, name: title }).waitFor();
    await editor.getByLabel(t.kindCourse).check();
    await editor.getByLabel(t.courseSearch).fill('电商');
    await editor.getByRole('button', { name: t.courseSearchButton, exact: true }).click();
    await editor.getByLabel(t.courseChoice).waitFor();
    await expectTidy(editor, `program-requests-answer-${locale}`);
    await editor.getByRole('button', { name: t.sendAnswer }).click();
    await editor.getByText(t.answered).waitFor();
    await editor.context().close();
    expect(await suite.db.query(`SELECT status, course_id FROM program_requests WHERE id = $1`, [id])).toEqual([
      { status: 'answered', course_id: courseId },
    ]);

    // The first member reads the answer and the course it links to.
    await member.goto(`/requests/${id}`);
    await member.getByRole('heading', { level: 1, name: title }).waitFor();
    await member.getByText(fillTemplate(t.votes_other, { count: 2 })).waitFor();
    await member.getByText('<script>alert(1)</script>').waitFor();
    const link = member.getByRole('link', { name: fillTemplate(t.courseLink, { title: courseTitle }) });
    expect(await link.getAttribute('href')).toBe(`/courses/${courseId}`);
    await expectTidy(member, `program-requests-answered-${locale}`);
    await member.context().close();

    // The committee admin's report counts the answer.
    const admin = await suite.open(suite.stack.demo.committeeAdmin, { locale, viewport: phone });
    await admin.goto('/reports/requests');
    await admin.getByRole('heading', { level: 1, name: t.reportTitle }).waitFor();
    const times = admin.getByRole('table', { name: t.timesTable });
    await times
      .getByRole('row', { name: new RegExp(categoryName[locale]) })
      .getByRole('cell', { name: String(locale === 'en' ? 2 : 1), exact: true })
      .first()
      .waitFor();
    await expectTidy(admin, `program-requests-report-${locale}`);
    await admin.context().close();
  });
});
