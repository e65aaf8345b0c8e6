import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserSuite, expectTidy, messagesOf, phone, type Locale, type Viewport } from '../support/browser-suite.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/**
 * Where members really open Lectern: a phone, often from a shared link, sometimes from the home screen,
 * often with the largest text. The manifest and icons, the text size, the pages for other roles, and the
 * member pages at 28 px.
 */
const suite = browserSuite({ services: ['catalog', 'web'] });
const landscape: Viewport = { width: 844, height: 390 };
const laptop: Viewport = { width: 1366, height: 800 };
const locales: Locale[] = ['zh-CN', 'en'];
const courseTitle = '健康生活讲座';
const lectureTitle = '第一讲 晨练与饮食';
let courseId = '';
let lectureId = '';
let memberUnit = '';

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const categories = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  courseId = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: courseTitle, categoryId: categories[0]!.id })).id;
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 6);
  lectureId = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${courseId}/lectures`, {
      title: lectureTitle,
      speaker: '李医生',
      assetId,
    })
  ).id;
  await suite.api(editor, 'POST', `/api/courses/${courseId}/publish`);
  const member = await suite.api<{ orgUnit: { name: string } | null }>(await suite.tokenOf(suite.stack.demo.member), 'GET', '/api/me');
  memberUnit = member.orgUnit?.name ?? '';
}, 180_000);

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function fetchPng(path: string): Promise<{ width: number; height: number; bytes: number }> {
  const response = await fetch(`${suite.stack.baseUrl}${path}`);
  expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 200, 'image/png']);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { ...pngSize(bytes), bytes: bytes.length };
}

/** The computed font size of <html> and <body>, in px. */
const fontSizes = (page: Page) =>
  page.evaluate<{ html: string; body: string }>(
    `({ html: getComputedStyle(document.documentElement).fontSize, body: getComputedStyle(document.body).fontSize })`,
  );

/** The innermost elements in `within` whose right edge passes the screen's, as "tag#id". */
const overflowing = (page: Page, within: string) =>
  page.evaluate<string[]>(`(() => {
    const past = (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
    return [...document.querySelectorAll(${JSON.stringify(within)})].flatMap((root) => [root, ...root.querySelectorAll('*')])
      .filter((el) => past(el) && ![...el.children].some(past))
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
  })()`);

/** Chooses a text size from the header's group, by its label in `locale`. */
async function chooseTextSize(page: Page, locale: Locale, size: 'standard' | 'large' | 'extraLarge') {
  const m = messagesOf(locale).memberShell.textSize;
  const button = page.getByRole('group', { name: m.label }).getByRole('button', { name: m[size], exact: true });
  await button.click();
  expect(await button.getAttribute('aria-pressed')).toBe('true');
}

describe('added to the home screen', () => {
  it('serves a web app manifest whose icons load at the sizes it names', async () => {
    const page = await suite.openPage();
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBe('/manifest.webmanifest');
    const response = await fetch(`${suite.stack.baseUrl}${manifestHref}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/manifest+json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      lang: string;
      theme_color: string;
      background_color: string;
      icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
    };
    expect(manifest).toMatchObject({
      name: messagesOf('zh-CN').app.name,
      short_name: messagesOf('zh-CN').app.name,
      start_url: '/',
      display: 'standalone',
      lang: 'zh-CN',
      background_color: '#ffffff',
    });
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);

    const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
    expect(pngs.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of pngs) {
      const { width, height, bytes } = await fetchPng(icon.src);
      expect([icon.src, `${width}x${height}`]).toEqual([icon.src, icon.sizes]);
      // Small enough for a slow phone connection.
      expect(bytes).toBeLessThan(10_240);
    }
    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect(await fetchPng(touchIcon!)).toMatchObject({ width: 180, height: 180 });
    expect(await page.locator('meta[name="apple-mobile-web-app-capable"]').getAttribute('content')).toBe('yes');

    // The icons are answered from the browser's cache, or with 304 when it asks again.
    const again = await fetch(`${suite.stack.baseUrl}${pngs[0]!.src}`, {
      headers: { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() },
    });
    expect(again.status).toBe(304);
  });
});

describe('text size', () => {
  it('is chosen in the header before signing in, applies at once, and holds across a reload and signing in', async () => {
    const page = await suite.openPage({ locale: 'zh-CN', viewport: phone });
    // Today's standard at phone width.
    expect(await fontSizes(page)).toEqual({ html: '18px', body: '18px' });
    await chooseTextSize(page, 'zh-CN', 'extraLarge');
    expect(await fontSizes(page)).toEqual({ html: '28px', body: '28px' });

    // Applied before the app draws anything: the size is already 28 px when the first element enters #app.
    await page.addInitScript(`new MutationObserver((changes, observer) => {
      const app = document.getElementById('app');
      if (!app || app.childElementCount === 0) return;
      window.__sizeAtFirstDraw = getComputedStyle(document.documentElement).fontSize;
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });`);
    await page.reload();
    await page.getByLabel(messagesOf('zh-CN').login.username).waitFor();
    expect(await page.evaluate('window.__sizeAtFirstDraw')).toBe('28px');
    expect(await fontSizes(page)).toEqual({ html: '28px', body: '28px' });
    await expectTidy(page, 'shell-login-zh-390-xl');

    const m = messagesOf('zh-CN');
    await page.getByLabel(m.login.username).fill(suite.stack.demo.member.login);
    await page.getByLabel(m.login.password, { exact: true }).fill(suite.stack.demo.member.password);
    await page.getByRole('button', { name: m.login.submit }).click();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
    expect(await fontSizes(page)).toEqual({ html: '28px', body: '28px' });
    const group = page.getByRole('group', { name: m.memberShell.textSize.label });
    expect(await group.getByRole('button', { name: m.memberShell.textSize.extraLarge }).getAttribute('aria-pressed')).toBe('true');

    await chooseTextSize(page, 'zh-CN', 'large');
    expect(await fontSizes(page)).toEqual({ html: '24px', body: '24px' });
    await chooseTextSize(page, 'zh-CN', 'standard');
    expect(await fontSizes(page)).toEqual({ html: '18px', body: '18px' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
    expect(await fontSizes(page)).toEqual({ html: '18px', body: '18px' });
  });

  it('is 20, 24 and 28 px on a wide screen (en)', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale: 'en', viewport: laptop });
    expect((await fontSizes(page)).html).toBe('20px');
    await chooseTextSize(page, 'en', 'large');
    expect((await fontSizes(page)).html).toBe('24px');
    await chooseTextSize(page, 'en', 'extraLarge');
    expect((await fontSizes(page)).html).toBe('28px');
    await expectTidy(page, 'shell-study-en-1366-xl');
  });
});

describe.each(locales)('a member on a phone with the largest text (%s)', (locale) => {
  const m = messagesOf(locale);

  it('reads the login page, My study, a course and a lecture without sideways scrolling', async () => {
    const page = await suite.openPage({ locale, viewport: phone });
    await chooseTextSize(page, locale, 'extraLarge');
    await page.getByRole('heading', { level: 1, name: m.login.title }).waitFor();
    await expectTidy(page, `shell-login-${locale}-390-xl`);

    // The skip link shows, inside the screen, when focused.
    const skip = page.getByRole('link', { name: m.app.skipToContent });
    await skip.focus();
    const box = await skip.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);

    await page.getByLabel(m.login.username).fill(suite.stack.demo.member.login);
    await page.getByLabel(m.login.password, { exact: true }).fill(suite.stack.demo.member.password);
    await page.getByRole('button', { name: m.login.submit }).click();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
    await expectTidy(page, `shell-study-${locale}-390-xl`);

    await page.goto(`/courses/${courseId}`);
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await expectTidy(page, `shell-course-${locale}-390-xl`);

    await page.goto(`/lectures/${lectureId}?course=${courseId}`);
    await page.getByRole('heading', { level: 1, name: lectureTitle }).waitFor();
    await expectTidy(page, `shell-lecture-${locale}-390-xl`);
  });

  it('reads the course list without sideways scrolling', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale, viewport: phone });
    await chooseTextSize(page, locale, 'extraLarge');
    await page.getByRole('navigation', { name: m.shell.mainNav }).getByRole('link', { name: m.nav.courses }).click();
    await page.getByRole('heading', { level: 1, name: m.courses.title }).waitFor();
    await page.getByRole('link', { name: courseTitle }).first().waitFor();
    expect(await overflowing(page, '.site-header, .main-nav')).toEqual([]);
    await expectTidy(page, `shell-courses-${locale}-390-xl`);
  });

  it('finds the header usable turned sideways and on a laptop', async () => {
    for (const [name, viewport] of [
      ['landscape', landscape],
      ['1366', laptop],
    ] as const) {
      const page = await suite.open(suite.stack.demo.member, { locale, viewport });
      await chooseTextSize(page, locale, 'extraLarge');
      await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
      await expectTidy(page, `shell-study-${locale}-${name}-xl`);
      await page.context().close();
    }
  });
});

describe.each(locales)('a page for another role (%s)', (locale) => {
  const m = messagesOf(locale);
  const role = m.memberShell.rolePage;

  it('tells a member the studio is for editors and whom to ask, with a button to My study', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale });
    await page.goto('/studio');
    await page.getByRole('heading', { level: 1, name: role.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/studio');
    const main = page.getByRole('main');
    await main.getByText(role.editors, { exact: true }).waitFor();
    if (memberUnit) await main.getByText(role.yourUnit.replace('{{unit}}', memberUnit), { exact: true }).waitFor();
    await expectTidy(page, `role-studio-member-${locale}-390`);

    await main.getByRole('link', { name: role.goHome.replace('{{page}}', m.nav.study) }).click();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/study');
  });

  it('tells a member the reports are for administrators and inspectors, at the largest text', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale });
    await chooseTextSize(page, locale, 'extraLarge');
    await page.goto('/reports');
    await page.getByRole('heading', { level: 1, name: role.title }).waitFor();
    await page.getByRole('main').getByText(role.readers, { exact: true }).waitFor();
    await expectTidy(page, `role-reports-member-${locale}-390-xl`);
    await page.getByRole('link', { name: role.goHome.replace('{{page}}', m.nav.study) }).click();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
  });

  it('tells an administrator the course pages are for members, with a button to their own start page', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale, viewport: laptop });
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('heading', { level: 1, name: role.title }).waitFor();
    await page.getByRole('main').getByText(role.learners, { exact: true }).waitFor();
    await expectTidy(page, `role-course-admin-${locale}-1366`);
    await page
      .getByRole('main')
      .getByRole('link', { name: role.goHome.replace('{{page}}', m.nav.organisation) })
      .click();
    await page.waitForURL((url) => url.pathname === '/organisation');
  });

  it('tells an editor the organisation pages are for administrators', async () => {
    const page = await suite.open(suite.stack.demo.editor, { locale });
    await page.goto('/organisation/members');
    await page.getByRole('heading', { level: 1, name: role.title }).waitFor();
    await page.getByRole('main').getByText(role.admins, { exact: true }).waitFor();
  });
});

describe('a shared link to a page for another role', () => {
  it('still explains the page after the member signs in on the way', async () => {
    const page = await suite.openPage({ locale: 'zh-CN' });
    const m = messagesOf('zh-CN');
    await page.goto('/studio');
    await page.getByLabel(m.login.username).waitFor();
    await page.getByLabel(m.login.username).fill(suite.stack.demo.member.login);
    await page.getByLabel(m.login.password, { exact: true }).fill(suite.stack.demo.member.password);
    await page.getByRole('button', { name: m.login.submit }).click();
    await page.getByRole('heading', { level: 1, name: m.memberShell.rolePage.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/studio');
  });

  it('shows the not-found page with a way home for an address that is no page at all', async () => {
    const page = await suite.open(suite.stack.demo.member, { locale: 'en' });
    await page.goto('/no-such-page');
    const m = messagesOf('en');
    await page.getByRole('heading', { level: 1, name: m.pages.notFound }).waitFor();
    await page.getByText(m.memberShell.notFound.hint).waitFor();
    await expectTidy(page, 'not-found-en-390');
    await page.getByRole('link', { name: m.memberShell.rolePage.goHome.replace('{{page}}', m.nav.study) }).click();
    await page.getByRole('heading', { level: 1, name: m.study.title }).waitFor();
  });
});
