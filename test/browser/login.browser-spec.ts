import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { expectConsoleErrors, findSeriousAxeViolations, launchBrowser, saveScreenshot, takePageProblems } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

jest.setTimeout(60_000);

interface Credentials {
  login: string;
  password: string;
  name: string;
}

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

/** A fresh browser profile (empty storage) that prefers Simplified Chinese, like most members' phones. */
async function openPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, locale: 'zh-CN', viewport });
  contexts.push(context);
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/assets/') && pathname.endsWith('.js')) scripts.push(pathname);
  });
  scriptsFetched.set(page, scripts);
  await page.goto('/');
  await page.getByLabel(zh.login.username).waitFor();
  return page;
}

/** The app's script files each page has fetched, from its first request on. */
const scriptsFetched = new WeakMap<Page, string[]>();

/** The chunks of the pages members never open: fetched only when a studio, admin, report or staff page is. */
const areaChunk = /\/assets\/(studio|organisation|reports|staff)-[\w-]+\.js$/;

function areaChunksFetched(page: Page): string[] {
  return (scriptsFetched.get(page) ?? []).filter((path) => areaChunk.test(path));
}

/** The English messages: fetched only when English is chosen, or asked for by the browser or a stored choice. */
const englishChunk = /\/assets\/en-[\w-]+\.js$/;

function englishChunksFetched(page: Page): string[] {
  return (scriptsFetched.get(page) ?? []).filter((path) => englishChunk.test(path));
}

async function signIn(page: Page, user: Credentials): Promise<void> {
  await page.getByLabel(zh.login.username).fill(user.login);
  await page.getByLabel(zh.login.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: zh.login.submit }).click();
  await page.getByRole('button', { name: zh.shell.logout }).waitFor();
}

async function signInExpectingError(page: Page, user: Credentials): Promise<void> {
  await page.getByLabel(zh.login.username).fill(user.login);
  await page.getByLabel(zh.login.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: zh.login.submit }).click();
  await page.locator('[role="alert"]:not(:empty)').waitFor();
}

async function navLabels(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: zh.shell.mainNav }).getByRole('link');
  return (await links.allTextContents()).map((text) => text.trim());
}

async function bannerText(page: Page): Promise<string> {
  return (await page.getByRole('banner').textContent()) ?? '';
}

// Evaluated as strings: this file is type-checked without the DOM library.
function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
}

describe('web client: sign-in and app shell', () => {
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
  });

  it('shows the Chinese login page at /login with no serious accessibility violations', async () => {
    const page = await openPage();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('heading', { level: 1, name: zh.login.title }).waitFor();
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('link', { name: zh.app.skipToContent }).count()).toBe(1);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
  });

  it('tells the user when the username or password is wrong', async () => {
    const page = await openPage();
    expectConsoleErrors(/status of 401 .*\/api\/auth\/login:/);
    await signInExpectingError(page, { ...stack.demo.member, password: 'definitely-wrong' });
    expect(await page.getByRole('alert').textContent()).toBe(zh.login.badCredentials);
    expect(new URL(page.url()).pathname).toBe('/login');
    // The password is cleared and focused so the user can simply type it again.
    expect(await page.getByLabel(zh.login.password, { exact: true }).inputValue()).toBe('');
    expect(await page.evaluate('document.activeElement.id')).toBe('password');
  });

  it('notices an uncaught error or a console error in any page, which fails every browser test', async () => {
    const page = await openPage();
    await page.evaluate(`setTimeout(() => { throw new TypeError('thrown on purpose'); }); console.error('logged on purpose');`);
    const seen: string[] = [];
    // Both reach the test runner soon after the page's next turns; the test's own time limit bounds the wait.
    while (!(seen.some((p) => p.includes('TypeError: thrown on purpose')) && seen.some((p) => p.includes('logged on purpose')))) {
      await page.evaluate('new Promise((resolve) => setTimeout(resolve, 50))');
      seen.push(...takePageProblems());
    }
    expect(seen).toEqual([
      expect.stringMatching(/^console error: logged on purpose/),
      expect.stringMatching(/^uncaught TypeError: thrown on purpose/),
    ]);
  });

  it('asks for both fields before sending anything', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: zh.login.submit }).click();
    await page.getByRole('alert').getByText(zh.login.missingFields).waitFor();
    expect(await page.getByLabel(zh.login.username).getAttribute('aria-invalid')).toBe('true');
  });

  it('shows a busy state while signing in and a network message when the server cannot be reached', async () => {
    const page = await openPage();
    expectConsoleErrors(/ERR_INTERNET_DISCONNECTED .*\/api\/auth\/login:/);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/auth/login', async (route) => {
      await held;
      await route.abort('internetdisconnected');
    });
    await page.getByLabel(zh.login.username).fill(stack.demo.member.login);
    await page.getByLabel(zh.login.password, { exact: true }).fill(stack.demo.member.password);
    await page.getByRole('button', { name: zh.login.submit }).click();
    const busyButton = page.getByRole('button', { name: zh.login.submitting });
    await busyButton.waitFor();
    expect(await busyButton.getAttribute('aria-disabled')).toBe('true');
    release();
    await page.getByRole('alert').getByText(zh.errors.network).waitFor();
  });

  it('shows a server message when the server fails', async () => {
    const page = await openPage();
    expectConsoleErrors(/status of 503 .*\/api\/auth\/login:/);
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Service Unavailable</h1>' }),
    );
    await signInExpectingError(page, stack.demo.member);
    expect(await page.getByRole('alert').textContent()).toBe(zh.errors.server);
  });

  it('signs the demo member in: name, role, unit, member navigation, then signs out', async () => {
    const page = await openPage();
    await signIn(page, stack.demo.member);
    expect(new URL(page.url()).pathname).toBe('/study');
    const banner = await bannerText(page);
    expect(banner).toContain(stack.demo.member.name);
    expect(banner).toContain(zh.roles.member);
    expect(await navLabels(page)).toEqual([zh.nav.study, zh.nav.courses, zh.nav.exams, zh.nav.participate, zh.nav.group]);
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    // A member's first load carries the shell and the member pages only.
    expect(scriptsFetched.get(page)!.length).toBeGreaterThan(0);
    expect(areaChunksFetched(page)).toEqual([]);

    await page.getByRole('link', { name: zh.nav.courses }).click();
    await page.getByRole('heading', { level: 1, name: zh.courses.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/courses');

    // A member typing an admin address is told the page is for administrators, with the way back.
    await page.goto('/organisation');
    await page.getByRole('heading', { level: 1, name: zh.memberShell.rolePage.title }).waitFor();
    await page.getByRole('main').getByText(zh.memberShell.rolePage.admins).waitFor();
    expect(areaChunksFetched(page)).toEqual([]);
    await page.getByRole('link', { name: zh.memberShell.rolePage.goHome.replace('{{page}}', zh.nav.study) }).click();
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();

    await page.getByRole('button', { name: zh.shell.logout }).click();
    await page.getByLabel(zh.login.username).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('gives the editor the studio plus the member pages', async () => {
    const page = await openPage();
    await signIn(page, stack.demo.editor);
    expect(await bannerText(page)).toContain(stack.demo.editor.name);
    expect(await navLabels(page)).toEqual([
      zh.nav.study,
      zh.nav.courses,
      zh.nav.exams,
      zh.nav.participate,
      zh.nav.studio,
      zh.nav.grading,
      zh.nav.voice,
      zh.nav.group,
    ]);
    // The editor starts on a member page, which brings no studio code; the studio's arrives on first opening it.
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    expect(areaChunksFetched(page)).toEqual([]);
    await page.getByRole('link', { name: zh.nav.studio }).click();
    await page.getByRole('heading', { level: 1, name: zh.studio.title }).waitFor();
    expect(areaChunksFetched(page)).toEqual([expect.stringMatching(/^\/assets\/studio-/)]);
    // As on every page reached inside the app, the new page's heading takes focus.
    expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
    expect(await page.title()).toBe(`${zh.studio.title} – ${zh.app.name}`);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
  });

  it('says a page could not be opened, with a reload button, when its code cannot be fetched', async () => {
    const page = await openPage();
    expectConsoleErrors(/ERR_INTERNET_DISCONNECTED .*\/assets\/studio-/);
    await page.route(areaChunk, (route) => route.abort('internetdisconnected'));
    await signIn(page, stack.demo.editor);
    await page.getByRole('link', { name: zh.nav.studio }).click();
    await page.getByRole('heading', { level: 1, name: zh.app.pageLoadFailed.title }).waitFor();
    await page.getByRole('alert').getByText(zh.app.pageLoadFailed.hint).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    // The connection is back: reloading opens the page (the session survives the reload).
    await page.unroute(areaChunk);
    await page.getByRole('button', { name: zh.app.pageLoadFailed.reload }).click();
    await page.getByRole('heading', { level: 1, name: zh.studio.title }).waitFor();
  });

  it('lists only the branch admin’s own branch on the Organisation page', async () => {
    const page = await openPage();
    const admin = stack.demo.branchAdmin;
    await signIn(page, admin);
    // The start page is the units page; the member list has its own page.
    expect(new URL(page.url()).pathname).toBe('/organisation');
    const banner = await bannerText(page);
    expect(banner).toContain(admin.name);
    expect(banner).toContain(zh.roles.admin);
    expect(await navLabels(page)).toEqual([zh.nav.organisation, zh.nav.reports, zh.nav.grading, zh.nav.voice, zh.nav.group]);

    await page.goto('/organisation/members');
    await page.getByRole('heading', { level: 1, name: zh.orgMembers.title }).waitFor();
    const table = page.getByRole('table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const logins = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-login')));
    expect(logins.length).toBeGreaterThan(0);
    // member07 belongs to the west branch.
    expect(logins).not.toContain('member07');
    // Every unit shown is the branch or one of its groups (names from the branch down).
    for (const unit of await table.locator('tbody tr td:nth-child(3)').allTextContents()) {
      expect(unit.trim().startsWith('东区分会')).toBe(true);
    }
    expect(await findSeriousAxeViolations(page)).toEqual([]);
  });

  it('switches to English and back to Chinese, remembering the choice', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.login.title }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');

    await page.reload();
    await page.getByLabel(en.login.username).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await findSeriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: zh.login.title }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  it('brings no English messages to a Chinese reader, and fetches them on choosing English', async () => {
    const page = await openPage();
    await signIn(page, stack.demo.member);
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    expect(englishChunksFetched(page)).toEqual([]);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.study.title }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: en.shell.logout }).count()).toBe(1);
    expect(englishChunksFetched(page)).toEqual([expect.stringMatching(englishChunk)]);

    // Back to Chinese and to English again: no further fetch.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: zh.study.title }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.study.title }).waitFor();
    expect(englishChunksFetched(page)).toHaveLength(1);
  });

  it('stays in Chinese and says why when English cannot be fetched', async () => {
    const page = await openPage({ width: 390, height: 844 });
    expectConsoleErrors(/ERR_INTERNET_DISCONNECTED .*\/assets\/en-/);
    await page.route(englishChunk, (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('alert').getByText(zh.language.loadFailed).waitFor();
    await page.getByRole('heading', { level: 1, name: zh.login.title }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByRole('button', { name: '中文' }).getAttribute('aria-pressed')).toBe('true');
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'language-load-failed-zh-phone');

    // The connection is back: choosing English again works without a reload.
    await page.unroute(englishChunk);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.login.title }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('alert').getByText(zh.language.loadFailed).count()).toBe(0);
  });

  it('fits a 360 px wide phone without sideways scrolling', async () => {
    const page = await openPage({ width: 360, height: 740 });
    expect(await hasHorizontalScroll(page)).toBe(false);
    await signIn(page, stack.demo.branchAdmin);
    // The admin's start page is the tree of their units; the member list is one link away.
    await page.getByRole('list', { name: zh.orgUnits.treeLabel }).waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.goto('/organisation/members');
    await page.getByRole('link', { name: stack.demo.member.name }).first().waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});
