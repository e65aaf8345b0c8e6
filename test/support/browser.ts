import { afterAll, afterEach } from '@jest/globals';
import axe from 'axe-core';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Uncaught errors and console errors of every page of every watched context, not yet reported. */
const pageProblems: Array<{ uncaught: boolean; text: string }> = [];

/**
 * Console errors that are the protocol's own answers, whatever the test: a heartbeat answered 409 means
 * the lecture now plays in a newer session (another screen, or the next lecture opened before the last
 * heartbeat of this one arrived). The page handles it; only Chromium's request log shows it.
 */
const PROTOCOL_ANSWERS: readonly RegExp[] = [
  /^console error: Failed to load resource: the server responded with a status of 409 \(Conflict\) \(\S+\/api\/heartbeats:/,
];

/** Console errors the running test provokes on purpose (see `expectConsoleErrors`); forgotten after each test. */
let expectedThisTest: RegExp[] = [];

const where = (page: Page | null) => (page ? ` on ${page.url()}` : '');

/** Records every uncaught error and every console error of the context's pages (see `takePageProblems`). */
export function watchPageProblems(context: BrowserContext): BrowserContext {
  context.on('weberror', (webError) => {
    const error = webError.error();
    pageProblems.push({ uncaught: true, text: `uncaught ${error.stack ?? `${error.name}: ${error.message}`}${where(webError.page())}` });
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    pageProblems.push({
      uncaught: false,
      text: `console error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}${where(message.page())}`,
    });
  });
  return context;
}

/**
 * For a test that makes a request fail on purpose (a wrong password, the server down or offline): Chromium
 * itself logs every failed request as "Failed to load resource …", which no page can prevent. The console
 * errors matching one of `patterns` (matched against "console error: <text> (<url>:<line>) on <page>") are
 * allowed until the test ends; uncaught errors never are.
 */
export function expectConsoleErrors(...patterns: RegExp[]): void {
  expectedThisTest.push(...patterns);
}

/** The problems recorded since the last call, less the console errors the test said to expect; forgets them. */
export function takePageProblems(): string[] {
  const expected = [...PROTOCOL_ANSWERS, ...expectedThisTest];
  return pageProblems
    .splice(0)
    .filter((problem) => problem.uncaught || !expected.some((pattern) => pattern.test(problem.text)))
    .map((problem) => problem.text);
}

function failOnPageProblems(): void {
  const problems = takePageProblems();
  expectedThisTest = [];
  if (problems.length) throw new Error(`The pages logged ${problems.length} error(s):\n${problems.join('\n')}`);
}

// Every browser suite imports this module, so each of its tests fails when a page threw or logged an
// error during it; the last check also catches what arrives as a suite winds down.
afterEach(failOnPageProblems);
afterAll(failOnPageProblems);

/**
 * Debian's Chromium, headless and quiet: no first-run, update or background traffic. Every context it opens is
 * watched for page errors. Contexts bypass the app's Content-Security-Policy unless opened with `bypassCSP: false`:
 * Playwright's waitForFunction polls with eval, which the policy forbids (content-security-policy.browser-spec.ts
 * checks the app under the policy).
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => watchPageProblems(await newContext({ bypassCSP: true, ...options }));
  browser.newPage = async (...args) => {
    const context = await browser.newContext(...args);
    const page = await context.newPage();
    // As Playwright's own newPage: closing the page closes its context.
    page.on('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string; html: string }>;
}

/** Runs axe-core against the page as it is now and returns every violation. */
export async function findAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated rather than injected as a <script>, so a strict Content-Security-Policy cannot block it; once per
  // document, since the web app moves between its pages without loading a new one (about 0.3 s each time saved).
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    // Only violations are read: axe then keeps no details of the rules that passed.
    const { violations } = await (globalThis as unknown as { axe: typeof axe }).axe.run({ resultTypes: ['violations'] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html })),
    }));
  });
}

/** Only the violations that block real users: impact "serious" or "critical". */
export async function findSeriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const violations = await findAxeViolations(page);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface SignInDetails {
  login: string;
  password: string;
}

/** Signs in through the login form, found by its labels in the page's language, and waits for the app shell. */
export async function signInAs(
  page: Page,
  user: SignInDetails,
  labels: { username: string; password: string; submit: string; logout: string },
) {
  await page.getByLabel(labels.username).fill(user.login);
  await page.getByLabel(labels.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.getByRole('button', { name: labels.logout }).waitFor();
}

// Evaluated as strings: test files are type-checked without the DOM library.
/** Accepts every confirm()/alert() the page opens from now on; answers the messages seen, in order. */
export function acceptDialogs(page: Page): string[] {
  const messages: string[] = [];
  page.on('dialog', (dialog) => {
    messages.push(dialog.message());
    void dialog.accept();
  });
  return messages;
}

export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
}

/** The accessible name (aria-label, else text) of the focused element, and whether it lies inside `containerSelector`. */
export function focusedControl(page: Page, containerSelector: string): Promise<{ name: string; inside: boolean }> {
  return page.evaluate<{ name: string; inside: boolean }>(
    `(() => {
      const el = document.activeElement;
      const name = (el.getAttribute('aria-label') || el.textContent || '').trim();
      return { name, inside: !!el.closest(${JSON.stringify(containerSelector)}) };
    })()`,
  );
}

/**
 * Where screenshots of a test run go, for people to look at (not compared by the tests): var/screenshots
 * of the checkout, kept after the run and never committed (var/ is ignored), unless LECTERN_SCREENSHOT_DIR says.
 */
export const SCREENSHOT_DIR = process.env.LECTERN_SCREENSHOT_DIR ?? fileURLToPath(new URL('../../var/screenshots', import.meta.url));

/** A full-page screenshot in SCREENSHOT_DIR; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const { mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Runs `trigger` and returns the file the page downloads because of it, as bytes, with its suggested name. */
export async function captureDownload(page: Page, trigger: () => Promise<unknown>): Promise<{ name: string; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: download.suggestedFilename(), body: Buffer.concat(chunks) };
}
