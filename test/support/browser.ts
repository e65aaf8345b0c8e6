import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless and quiet: no first-run, update or background traffic. */
export function launchBrowser(): Promise<Browser> {
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
  // Evaluated rather than injected as a <script>, so a strict Content-Security-Policy cannot block it.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const { violations } = await (globalThis as unknown as { axe: typeof axe }).axe.run();
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

/** Where screenshots of a test run go, for people to look at (not compared by the tests). */
export const SCREENSHOT_DIR = process.env.LECTERN_SCREENSHOT_DIR ?? '/tmp/lectern-screens';

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
