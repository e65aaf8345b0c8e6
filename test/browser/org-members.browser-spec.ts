import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { expectConsoleErrors, findSeriousAxeViolations, saveScreenshot, signInAs } from '../support/browser.js';
import { browserSuite, desktop, expectTidy, phone, signInLabels, type Locale, type Viewport } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const zhLabels = signInLabels('zh-CN');
const enLabels = signInLabels('en');

async function openPage(locale: Locale, viewport: Viewport): Promise<Page> {
  const page = await suite.openPage({ locale, viewport });
  await page.getByLabel(signInLabels(locale).username).waitFor();
  return page;
}

const unitId = async (path: string) => (await suite.db.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

/** Does `change`, then waits for the member list it asks for to arrive and be shown. */
async function listAfter(page: Page, change: () => Promise<unknown>, expectedQuery: RegExp): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/members?') && expectedQuery.test(decodeURIComponent(r.url())) && r.ok()),
    change(),
  ]);
  await page.locator('table.member-list[aria-busy="false"], p.status:text-matches(".+")').first().waitFor();
  await page.waitForFunction('!document.querySelector("table.member-list[aria-busy=\\"true\\"]")');
}

const rowLogins = (page: Page) =>
  page.locator('table.member-list tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-login') ?? ''));

describe('members administration', () => {
  it('lets a branch admin filter, sort, create a member and reset their password on a phone, in Chinese; the member must then choose a new password', async () => {
    const page = await openPage('zh-CN', phone);
    await signInAs(page, suite.stack.demo.branchAdmin, zhLabels);
    await listAfter(page, () => page.goto('/organisation/members'), /limit=/);
    await page.getByRole('heading', { level: 1, name: zh.orgMembers.title }).waitFor();
    const all = await rowLogins(page);
    expect(all.length).toBeGreaterThan(3);
    expect(all).not.toContain('member07');
    for (const cell of await page.locator('table.member-list tbody td:nth-child(3)').allTextContents()) {
      expect(cell.trim().startsWith('东区分会')).toBe(true);
    }
    await expectTidy(page, 'org-members-zh-390-list');

    // Filters: category, then a position held now.
    await listAfter(page, () => page.getByLabel(zh.orgMembers.category, { exact: true }).selectOption('retired'), /category=retired/);
    const retired = await page.locator('table.member-list tbody td:nth-child(4)').allTextContents();
    expect(retired.length).toBeGreaterThan(0);
    for (const cell of retired) expect(cell.trim()).toBe('离退休');
    await listAfter(page, () => page.getByRole('button', { name: zh.orgMembers.clear }).click(), /^(?!.*category=)/);
    await listAfter(page, () => page.getByLabel(zh.orgMembers.position, { exact: true }).selectOption('secretary'), /position=secretary/);
    expect(await rowLogins(page)).toEqual(['member05']);
    expect(new URL(page.url()).searchParams.get('position')).toBe('secretary');
    await listAfter(page, () => page.getByRole('button', { name: zh.orgMembers.clear }).click(), /^(?!.*position=)/);

    // Sort (on a phone by the sort selects; the column headings serve wider screens).
    await listAfter(page, () => page.getByLabel(zh.orgMembers.sort, { exact: true }).selectOption('login'), /sort=login/);
    await listAfter(page, () => page.getByLabel(zh.orgMembers.order, { exact: true }).selectOption('desc'), /order=desc/);
    const descending = await rowLogins(page);
    expect(descending).toEqual([...descending].sort().reverse());
    expect(descending).toEqual([...all].sort().reverse().slice(0, descending.length));

    // A new member, created in group 1 of the branch.
    await page.getByRole('button', { name: zh.orgMembers.newMember }).click();
    const form = page.getByRole('region', { name: zh.orgMembers.newMember });
    await form.getByRole('button', { name: zh.orgMembers.create }).click();
    await form.getByText(zh.orgMembers.errors.loginRequired).waitFor();
    expect(await form.getByLabel(zh.orgMembers.login).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel(zh.orgMembers.login).fill('zhang-xin');
    await form.getByLabel(zh.orgMembers.name, { exact: true }).fill('张新');
    await form.getByLabel(zh.orgMembers.unit).selectOption(await unitId('committee/east/group-1'));
    await form.getByLabel(zh.orgMembers.category).selectOption('rural');
    await expectTidy(page);
    await form.getByRole('button', { name: zh.orgMembers.create }).click();
    await page.getByRole('heading', { level: 1, name: '张新' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/organisation\/members\/[0-9a-f-]{36}$/);
    const facts = page.locator('dl.facts');
    await facts.getByText('东区分会 / 东区第一小组').waitFor();
    await facts.getByText('农村').waitFor();

    // Password reset: confirmed, shown once with a note and a copy button.
    await page.getByRole('button', { name: zh.orgMembers.member.resetPassword }).click();
    await page.getByText(zh.orgMembers.member.resetConfirm.replace('{{name}}', '张新')).waitFor();
    await page.getByRole('button', { name: zh.orgMembers.member.confirm }).click();
    const shown = page.getByTestId('one-time-password');
    await shown.waitFor();
    const oneTime = (await shown.textContent())!.trim();
    expect(oneTime).toMatch(/^[A-Za-z0-9]{10}$/);
    await page.getByText(zh.orgMembers.member.oneTimeNote).waitFor();
    await page.getByRole('button', { name: zh.orgMembers.member.copy }).waitFor();
    await expectTidy(page, 'org-members-zh-390-reset');
    await page.getByRole('button', { name: zh.orgMembers.member.done }).click();
    expect(await shown.count()).toBe(0);

    // The member signs in with it and is kept on the change-password page until they choose their own.
    await page.getByRole('button', { name: zh.shell.logout }).click();
    await page.getByLabel(zh.login.username).waitFor();
    await signInAs(page, { login: 'zhang-xin', password: oneTime }, zhLabels);
    await page.getByRole('heading', { level: 1, name: zh.orgMembers.password.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.getByText(zh.orgMembers.password.forcedIntro).waitFor();
    expect(await page.getByRole('navigation', { name: zh.shell.mainNav }).count()).toBe(0);
    await page.goto('/study');
    await page.getByRole('heading', { level: 1, name: zh.orgMembers.password.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await expectTidy(page, 'org-members-zh-390-change-password');

    await page.getByLabel(zh.orgMembers.password.current).fill(oneTime);
    await page.getByLabel(zh.orgMembers.password.new, { exact: true }).fill('zhang-own-secret');
    await page.getByLabel(zh.orgMembers.password.repeat).fill('zhang-own-secreT');
    await page.getByRole('button', { name: zh.orgMembers.password.submit }).click();
    await page.getByRole('alert').getByText(zh.orgMembers.password.errors.mismatch).waitFor();
    expect(await page.getByLabel(zh.orgMembers.password.repeat).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel(zh.orgMembers.password.show).check();
    expect(await page.getByLabel(zh.orgMembers.password.new, { exact: true }).getAttribute('type')).toBe('text');
    await page.getByLabel(zh.orgMembers.password.repeat).fill('zhang-own-secret');
    await page.getByRole('button', { name: zh.orgMembers.password.submit }).click();
    await page.getByRole('status').getByText(zh.orgMembers.password.changed).waitFor();
    await page.getByRole('navigation', { name: zh.shell.mainNav }).waitFor();
    await page.getByRole('button', { name: zh.orgMembers.password.continue }).click();
    await page.waitForURL((url) => url.pathname === '/study');

    // The new password works from now on; the one-time password no longer does.
    await page.getByRole('button', { name: zh.shell.logout }).click();
    expectConsoleErrors(/status of 401 .*\/api\/auth\/login:/);
    await page.getByLabel(zh.login.username).fill('zhang-xin');
    await page.getByLabel(zh.login.password, { exact: true }).fill(oneTime);
    await page.getByRole('button', { name: zh.login.submit }).click();
    await page.getByRole('alert').getByText(zh.login.badCredentials).waitFor();
    await signInAs(page, { login: 'zhang-xin', password: 'zhang-own-secret' }, zhLabels);
    await page.waitForURL((url) => url.pathname === '/study');
  });

  it('sends a member whose password an admin resets while they use the app to the change-password page on their next step', async () => {
    const page = await openPage('en', phone);
    await signInAs(page, { login: 'member03', password: suite.stack.demo.member.password }, enLabels);
    await page.getByRole('navigation', { name: en.shell.mainNav }).waitFor();

    const login = await fetch(`${suite.stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: suite.stack.demo.committeeAdmin.login, password: suite.stack.demo.committeeAdmin.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = 'member03'`);
    const reset = await fetch(`${suite.stack.baseUrl}/api/members/${id}/reset-password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(reset.ok).toBe(true);

    // The next request the page makes is refused with the reason; the app goes to the one page left.
    expectConsoleErrors(/status of 403/);
    await page.getByRole('link', { name: en.nav.courses }).click();
    await page.getByRole('heading', { level: 1, name: en.orgMembers.password.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.getByText(en.orgMembers.password.forcedIntro).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
  });

  it('sorts by the column headings, follows ?unitId= and filters by status in English on a desktop', async () => {
    const page = await openPage('en', desktop);
    await signInAs(page, suite.stack.demo.branchAdmin, enLabels);
    const group2 = await unitId('committee/east/group-2');
    await listAfter(page, () => page.goto(`/organisation/members?unitId=${group2}`), new RegExp(`unitId=${group2}`));
    await page.getByRole('heading', { level: 1, name: en.orgMembers.title }).waitFor();
    expect(await page.getByLabel(en.orgMembers.unit).inputValue()).toBe(group2);
    for (const cell of await page.locator('table.member-list tbody td:nth-child(3)').allTextContents()) {
      expect(cell.trim()).toBe('东区分会 / 东区第二小组');
    }
    const nameHeader = page.getByRole('columnheader', { name: en.orgMembers.col.name, exact: true });
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');

    const loginHeader = page.getByRole('columnheader', { name: en.orgMembers.col.login, exact: true });
    await listAfter(page, () => loginHeader.getByRole('button').click(), /sort=login&order=asc/);
    expect(await loginHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await nameHeader.getAttribute('aria-sort')).toBeNull();
    const up = await rowLogins(page);
    expect(up).toEqual([...up].sort());
    await listAfter(page, () => loginHeader.getByRole('button').click(), /sort=login&order=desc/);
    expect(await loginHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await rowLogins(page)).toEqual([...up].reverse());

    // Deactivated members are found by status; the others are not.
    const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = 'member06'`);
    await suite.db.query(`UPDATE users SET active = false WHERE id = $1`, [id]);
    await listAfter(page, () => page.getByLabel(en.orgMembers.status).selectOption('inactive'), /active=false/);
    expect(await rowLogins(page)).toEqual(['member06']);
    await page.getByRole('cell', { name: en.orgMembers.inactive }).waitFor();
    await listAfter(page, () => page.getByLabel(en.orgMembers.status).selectOption('active'), /active=true/);
    expect(await rowLogins(page)).not.toContain('member06');

    await page.getByLabel(en.orgMembers.search).fill('member1');
    await listAfter(page, () => page.getByRole('button', { name: en.orgMembers.apply, exact: true }).click(), /q=member1/);
    for (const login of await rowLogins(page)) expect(login).toContain('member1');
    await expectTidy(page, 'org-members-en-desktop-list');

    // The member page in English: reactivating with a confirmation.
    await page.goto(`/organisation/members/${id}`);
    await page.getByRole('button', { name: en.orgMembers.member.reactivate }).click();
    await page.getByRole('button', { name: en.orgMembers.member.confirm }).click();
    await page.getByRole('status').getByText(en.orgMembers.member.reactivated).waitFor();
    expect((await suite.db.query(`SELECT active FROM users WHERE id = $1`, [id]))[0].active).toBe(true);
    await page.getByRole('link', { name: en.orgMembers.member.studyReport }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'org-members-en-desktop-member');
  });
});
