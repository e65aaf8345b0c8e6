import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { expectConsoleErrors, launchBrowser } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

jest.setTimeout(60_000);

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // Two failures lock a login, so the test reaches the lock-out quickly.
  const envFor = (name: string): Record<string, string> => (name === 'catalog' ? { LOGIN_MAX_FAILURES: '2' } : {});
  stack = await startStack({ services: ['catalog', 'web'], envFor });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function tryPassword(page: Page, login: string, password: string): Promise<string> {
  await page.getByLabel(zh.login.username).fill(login);
  await page.getByLabel(zh.login.password, { exact: true }).fill(password);
  const answer = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: zh.login.submit }).click();
  await answer;
  const alert = page.locator('[role="alert"]:not(:empty)');
  await alert.waitFor();
  return (await alert.textContent())?.trim() ?? '';
}

describe('sign-in after too many failed attempts', () => {
  it('tells the person, in Chinese and in English, how many minutes to wait', async () => {
    // Chromium reports each refused sign-in as a failed resource; those are the answers this test asks for.
    expectConsoleErrors(/Failed to load resource: the server responded with a status of (401|429) .*\/api\/auth\/login/);
    const context = await browser.newContext({ baseURL: stack.baseUrl, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel(zh.login.username).waitFor();

    expect(await tryPassword(page, stack.demo.member.login, 'wrong-password')).toBe(zh.login.badCredentials);
    const zhLocked = zh.login.tooManyAttempts_other.replace('{{count}}', '15');
    await expect(tryPassword(page, stack.demo.member.login, 'wrong-password')).resolves.toBe(zhLocked);
    // The right password is refused too while the lock holds.
    await expect(tryPassword(page, stack.demo.member.login, stack.demo.member.password)).resolves.toBe(zhLocked);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: en.login.title }).waitFor();
    const alert = page.locator('[role="alert"]:not(:empty)');
    expect((await alert.textContent())?.trim()).toBe(en.login.tooManyAttempts_other.replace('{{count}}', '15'));
    await context.close();
  });
});
