import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone, type Locale, type Viewport } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/** A member's progress on the course page and the course list, on a phone and a laptop, in both languages. */
const suite = browserSuite({ services: ['catalog', 'web'] });
const laptop: Viewport = { width: 1366, height: 800 };
const locales: Locale[] = ['zh-CN', 'en'];
const titles = { going: '家庭用药安全', finished: '防范电信诈骗', fresh: '智能手机入门' };
/** Lengths of the five lectures of the course in progress. */
const lengths = [1800, 1500, 1200, 900, 600];
const courses: Record<keyof typeof titles, { id: string; lectures: string[] }> = {
  going: { id: '', lectures: [] },
  finished: { id: '', lectures: [] },
  fresh: { id: '', lectures: [] },
};

/** A progress row as the heartbeat ingest leaves it. */
const studied = (userId: string, lectureId: string, covered: number, position: number, completed: boolean, minutesAgo: number) =>
  suite.db.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, last_position_sec, completed_at, last_studied_at)
     VALUES ($1, $2, jsonb_build_array(jsonb_build_array(0, $3::float8)), $3, $3, 0, $4,
             CASE WHEN $5 THEN now() - make_interval(mins => $6) END, now() - make_interval(mins => $6))`,
    [userId, lectureId, covered, position, completed, minutesAgo],
  );

/** The root font size the largest text setting uses (28 px), set directly so only this page's layout is tested. */
const largestText = (page: Page) => page.evaluate(`document.documentElement.style.fontSize = '28px'`);

beforeAll(async () => {
  const memberId = (await suite.db.query(`SELECT id FROM users WHERE login = $1`, [suite.stack.demo.member.login]))[0].id;
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  // One stored HLS set; each lecture has its own media row so the lectures have their own lengths.
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 2);
  for (const [key, title] of Object.entries(titles) as Array<[keyof typeof titles, string]>) {
    const course = courses[key];
    course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title, categoryId: categories[0]!.id })).id;
    for (const [index, seconds] of (key === 'going' ? lengths : [600, 600]).entries()) {
      const [{ asset_id: copy }] = await suite.db.query(
        `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs)
         SELECT gen_random_uuid(), status, kind, $2, outputs FROM lecture_media WHERE asset_id = $1 RETURNING asset_id`,
        [assetId, seconds],
      );
      const lecture = await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, {
        title: `${title} 第${index + 1}讲`,
        speaker: '钱老师',
        assetId: copy,
      });
      course.lectures.push(lecture.id);
    }
    await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
  }
  const [l1, l2, l3] = courses.going.lectures;
  await studied(memberId, l1!, 1800, 1800, true, 300);
  await studied(memberId, l2!, 1500, 1500, true, 200);
  // 480 of 1200 s watched, stopped at 12:40.
  await studied(memberId, l3!, 480, 760, false, 100);
  for (const lecture of courses.finished.lectures) await studied(memberId, lecture, 600, 600, true, 50);
}, 240_000);

describe.each(locales)('progress at a glance (%s)', (locale) => {
  const m = messagesOf(locale);
  const p = m.memberProgress;

  it('shows ticks, shares and the lecture to continue at its time on the course page, at phone width', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/courses/${courses.going.id}`);
    await page.getByRole('heading', { level: 1, name: titles.going }).waitFor();
    await page.getByText(fillTemplate(p.summary, { done: 2, total: 5 }), { exact: true }).waitFor();

    const rows = page.locator('.lecture-list__item');
    await expect(rows.count()).resolves.toBe(5);
    for (const n of [0, 1]) await rows.nth(n).getByText(p.lectureDone, { exact: true }).waitFor();
    await rows
      .nth(2)
      .getByText(fillTemplate(p.lecturePercent, { percent: 40 }), { exact: true })
      .waitFor();
    const bar = rows.nth(2).getByRole('progressbar', { name: fillTemplate(p.lectureBar, { n: 3 }) });
    expect(await bar.getAttribute('aria-valuenow')).toBe('40');
    // Lectures not started show neither a tick nor a share.
    for (const n of [3, 4]) await expect(rows.nth(n).locator('.lecture-progress').count()).resolves.toBe(0);
    // The lecture to continue with is marked in the list, in words; only that one.
    await rows.nth(2).getByText(p.nextHere, { exact: true }).waitFor();
    await expect(page.getByText(p.nextHere, { exact: true }).count()).resolves.toBe(1);

    const resume = page.getByRole('link', { name: fillTemplate(p.continue, { n: 3, time: '12:40' }) });
    expect(await resume.getAttribute('href')).toBe(`/lectures/${courses.going.lectures[2]}?course=${courses.going.id}`);
    await page
      .locator('.course-progress__continue')
      .getByText(fillTemplate(p.continueTitle, { n: 3, title: `${titles.going} 第3讲` }), { exact: true })
      .waitFor();
    await expect(page.getByRole('link', { name: m.course.start }).count()).resolves.toBe(0);
    await expectTidy(page, `course-progress-${locale}-390`);

    await largestText(page);
    await expectTidy(page, `course-progress-${locale}-390-xl`);

    await resume.click();
    await page.waitForURL((url) => url.pathname === `/lectures/${courses.going.lectures[2]}`);
    await page.context().close();
  });

  it('says a finished course is finished and offers to watch it again; a course not started offers lecture 1', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto(`/courses/${courses.finished.id}`);
    await page.getByRole('heading', { level: 1, name: titles.finished }).waitFor();
    await page.getByText(p.finished).waitFor();
    await page.getByText(fillTemplate(p.summary, { done: 2, total: 2 }), { exact: true }).waitFor();
    const again = page.getByRole('link', { name: p.watchAgain });
    expect(await again.getAttribute('href')).toBe(`/lectures/${courses.finished.lectures[0]}?course=${courses.finished.id}`);
    await expectTidy(page, `course-progress-finished-${locale}-390`);

    await page.goto(`/courses/${courses.fresh.id}`);
    await page.getByRole('heading', { level: 1, name: titles.fresh }).waitFor();
    const start = page.getByRole('link', { name: m.course.start });
    expect(await start.getAttribute('href')).toBe(`/lectures/${courses.fresh.lectures[0]}?course=${courses.fresh.id}`);
    await expect(page.locator('.lecture-progress').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('keeps the filters inside a phone screen and shows the share of started courses on the list', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await page.goto('/courses');
    await page.getByRole('heading', { level: 1, name: m.courses.title }).waitFor();
    const card = (title: string) => page.locator('.course-card', { has: page.getByRole('link', { name: title, exact: true }) });
    await card(titles.going)
      .getByText(fillTemplate(p.courseShare, { percent: 63 }), { exact: true })
      .waitFor();
    await card(titles.finished).getByText(p.courseDone, { exact: true }).waitFor();
    await expect(card(titles.fresh).locator('.course-card__share').count()).resolves.toBe(0);

    const fits = async () => {
      for (const label of [m.courses.category, m.courses.sort]) {
        const select = page.getByLabel(label, { exact: true });
        const box = await select.boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);
        // The chosen option's words fit beside the arrow: not cut off as "All categorie".
        const id = await select.getAttribute('id');
        const room = await page.evaluate<number>(`(() => {
          const element = document.getElementById('${id}');
          const style = getComputedStyle(element);
          const context = document.createElement('canvas').getContext('2d');
          context.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
          const text = context.measureText(element.selectedOptions[0].text).width;
          return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - parseFloat(style.fontSize) - text;
        })()`);
        expect(room).toBeGreaterThanOrEqual(0);
      }
    };
    // A course without a cover picture gets a short band, not a tall box.
    const band = await card(titles.going).locator('.course-card__band').boundingBox();
    expect(band!.height).toBeLessThanOrEqual(120);
    await fits();
    await expectTidy(page, `course-list-progress-${locale}-390`);

    await largestText(page);
    await fits();
    await expectTidy(page, `course-list-progress-${locale}-390-xl`);
    await page.context().close();
  });

  it('reads the same on a laptop', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: laptop });
    await page.goto(`/courses/${courses.going.id}`);
    await page.getByRole('link', { name: fillTemplate(p.continue, { n: 3, time: '12:40' }) }).waitFor();
    await expectTidy(page, `course-progress-${locale}-1366`);
    await page.goto('/courses');
    await page.getByText(fillTemplate(p.courseShare, { percent: 63 }), { exact: true }).waitFor();
    await expectTidy(page, `course-list-progress-${locale}-1366`);
    await page.context().close();
  });
});
