import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#database';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { findSeriousAxeViolations, hasHorizontalScroll, launchBrowser, saveScreenshot, signInAs, type SignInDetails } from './browser.js';
import { startStack, type ServiceName, type Stack } from './stack.js';

export type Locale = 'zh-CN' | 'en';
export interface Viewport {
  width: number;
  height: number;
}

/** A common phone of today: every page must be usable at its width. */
export const phone: Viewport = { width: 390, height: 844 };
export const desktop: Viewport = { width: 1280, height: 900 };

/** The messages of the web client in `locale`. */
export const messagesOf = (locale: Locale) => (locale === 'en' ? en : zh);

/** The login form's labels and the logout button's name in `locale`, as `signInAs` finds them. */
export function signInLabels(locale: Locale) {
  const m = messagesOf(locale);
  return { username: m.login.username, password: m.login.password, submit: m.login.submit, logout: m.shell.logout };
}

/** An i18n message with its `{{placeholders}}` filled in. */
export const fillTemplate = (template: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((text, [key, value]) => text.replaceAll(`{{${key}}}`, String(value)), template);

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The name of a control whose visible words come first and whose hidden words say what it acts on. */
export const namedLike = (words: string, about: string) => new RegExp(`^${escapeRegExp(words)}\\s*${escapeRegExp(about)}$`);

/** The page is usable as it is now: no sideways scrolling and nothing serious for axe; then, if named, a screenshot to look at. */
export async function expectTidy(page: Page, screenshot?: string): Promise<void> {
  expect(await hasHorizontalScroll(page)).toBe(false);
  expect(await findSeriousAxeViolations(page)).toEqual([]);
  if (screenshot) await saveScreenshot(page, screenshot);
}

export interface BrowserSuiteOptions {
  /** The processes of the stack; all of them unless said. */
  services?: ServiceName[];
  /** The time zone of every browser context the suite opens (Chromium's own otherwise). */
  timezoneId?: string;
}

export interface PageOptions {
  locale?: Locale;
  viewport?: Viewport;
  acceptDownloads?: boolean;
}

export interface BrowserSuite {
  readonly stack: Stack;
  /** The stack's database, for setting up and checking what the pages did. */
  readonly db: DataSource;
  readonly browser: Browser;
  /** A new context on the web app (zh-CN at phone width unless said), with '/' open and nobody signed in. */
  openPage(options?: PageOptions): Promise<Page>;
  /** As `openPage`, then signed in as `user` through the login form of that language. */
  open(user: SignInDetails, options?: PageOptions): Promise<Page>;
  /** One JSON request to the web app's API; fails on any answer but 2xx. */
  api<T = unknown>(token: string | null, method: string, path: string, body?: unknown): Promise<T>;
  /** The access token of `user`, as the API's login answers it. */
  tokenOf(user: SignInDetails): Promise<string>;
}

/**
 * A stack, Chromium and a connection to the stack's database for the browser specs of one file: started
 * before its first test and stopped, with every context it opened, after its last.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let db: DataSource | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The browser suite is used before its beforeAll has started it.');
    return value;
  };

  beforeAll(async () => {
    stack = await startStack({ services: options.services });
    browser = await launchBrowser();
    db = createDataSource(stack.db.url);
    await db.initialize();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await db?.destroy();
    await stack?.stop();
  }, 60_000);

  const suite: BrowserSuite = {
    get stack() {
      return started(stack);
    },
    get db() {
      return started(db);
    },
    get browser() {
      return started(browser);
    },
    async openPage({ locale = 'zh-CN', viewport = phone, acceptDownloads } = {}) {
      const context = await suite.browser.newContext({
        baseURL: suite.stack.baseUrl,
        locale,
        viewport,
        ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
        ...(acceptDownloads === undefined ? {} : { acceptDownloads }),
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/');
      return page;
    },
    async open(user, pageOptions = {}) {
      const page = await suite.openPage(pageOptions);
      await signInAs(page, user, signInLabels(pageOptions.locale ?? 'zh-CN'));
      return page;
    },
    async api<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${suite.stack.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async tokenOf(user) {
      return (await suite.api<{ accessToken: string }>(null, 'POST', '/api/auth/login', { login: user.login, password: user.password }))
        .accessToken;
    },
  };
  return suite;
}
