import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import {
  expectConsoleErrors,
  findSeriousAxeViolations,
  hasHorizontalScroll,
  saveScreenshot,
  type SignInDetails,
} from '../support/browser.js';
import { browserSuite, desktop, fillTemplate as fill, messagesOf, phone as phone390, type Locale } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const u = zh.orgUnits;

const unitByPath = async (path: string) =>
  (await suite.db.query(`SELECT id, name, path, depth, parent_id FROM org_units WHERE path = $1`, [path]))[0] as
    { id: string; name: string; path: string; depth: number; parent_id: string } | undefined;

async function openUnits(user: SignInDetails, viewport = desktop, locale: Locale = 'zh-CN'): Promise<Page> {
  const page = await suite.open(user, { locale, viewport });
  const labels = messagesOf(locale);
  await page.goto('/organisation');
  await page.getByRole('heading', { level: 1, name: labels.orgUnits.title }).waitFor();
  await page.getByRole('list', { name: labels.orgUnits.treeLabel }).waitFor();
  return page;
}

/** The "Actions" button of the unit named `name` (its name is said, not shown). */
const actionsOf = (page: Page, name: string, labels = u) => page.getByRole('button', { name: `${labels.actions} ${name}`, exact: true });
/** A unit's row in the tree: a group named by the unit. */
const row = (page: Page, name: string) => page.getByRole('group', { name, exact: true });
const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();

describe('the units page, as the committee admin on a phone in Chinese', () => {
  let page: Page;

  it('shows the tree with kinds, secretaries and member counts, accessible and without sideways scrolling', async () => {
    page = await openUnits(suite.stack.demo.committeeAdmin, phone390);
    const east = page.locator(`#unit-${(await unitByPath('committee/east'))!.id}`);
    await expect(east.textContent()).resolves.toContain(u.kind.branch);
    const [{ direct, total }] = await suite.db.query(
      `SELECT count(*) FILTER (WHERE o.path = 'committee/east')::int AS direct, count(*)::int AS total
         FROM users m JOIN org_units o ON o.id = m.org_unit_id
        WHERE m.role = 'member' AND m.active AND o.path LIKE 'committee/east%'`,
    );
    expect(await east.textContent()).toContain(fill(u.members, { direct, total }));
    const [{ name: secretary }] = await suite.db.query(`SELECT name FROM users WHERE login = 'member05'`);
    expect(await east.textContent()).toContain(fill(u.secretary, { name: secretary }));
    // Groups show once their branch is expanded.
    const expand = page.getByRole('button', { name: fill(u.expand, { name: '东区分会' }) });
    expect(await expand.getAttribute('aria-expanded')).toBe('false');
    await expand.click();
    await row(page, '东区第一小组').waitFor();
    expect(await page.getByRole('button', { name: fill(u.collapse, { name: '东区分会' }) }).getAttribute('aria-expanded')).toBe('true');
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await saveScreenshot(page, 'org-units-zh-phone');
  });

  it('creates a sub-unit, refusing a short name its parent already has', async () => {
    await actionsOf(page, '东区分会').click();
    await page.getByRole('button', { name: u.add, exact: true }).click();
    const form = page.getByRole('form', { name: fill(u.addHeading, { name: '东区分会' }) });
    await form.getByLabel(u.name, { exact: true }).fill('测试小组');
    await form.getByLabel(u.slug).fill('group-1');
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await saveScreenshot(page, 'org-units-zh-phone-add');
    expectConsoleErrors(/status of 409 .*\/api\/org-units:/);
    await form.getByRole('button', { name: u.create }).click();
    await form.getByText(fill(u.slugTaken, { parent: '东区分会', slug: 'group-1' })).waitFor();
    await form.getByLabel(u.slug).fill('test-group');
    await form.getByRole('button', { name: u.create }).click();
    await status(page, fill(u.created, { name: '测试小组' }));
    expect(await unitByPath('committee/east/test-group')).toMatchObject({ name: '测试小组', depth: 2 });
    await row(page, '测试小组').waitFor();
  });

  it('renames it', async () => {
    await actionsOf(page, '测试小组').click();
    await page.getByRole('button', { name: u.rename, exact: true }).click();
    const form = page.getByRole('form', { name: fill(u.renameHeading, { name: '测试小组' }) });
    await form.getByLabel(u.name, { exact: true }).fill('专题小组');
    await form.getByRole('button', { name: u.save }).click();
    await status(page, fill(u.renamed, { name: '专题小组' }));
    expect(await unitByPath('committee/east/test-group')).toMatchObject({ name: '专题小组' });
  });

  it('moves it under another branch, offering only valid parents', async () => {
    await actionsOf(page, '专题小组').click();
    await page.getByRole('button', { name: u.move, exact: true }).click();
    const form = page.getByRole('form', { name: fill(u.moveHeading, { name: '专题小组' }) });
    const options = await form.getByLabel(u.newParent).locator('option').allTextContents();
    // Not its present parent, nor itself; the others are there.
    expect(options).not.toContain('示范委员会 / 东区分会');
    expect(options.some((o) => o.includes('专题小组'))).toBe(false);
    expect(options).toContain('示范委员会 / 西区分会');
    expect(options).toContain('示范委员会 / 东区分会 / 东区第一小组');
    await form.getByLabel(u.newParent).selectOption({ label: '示范委员会 / 西区分会' });
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await saveScreenshot(page, 'org-units-zh-phone-move');
    await form.getByRole('button', { name: u.moveButton }).click();
    await status(page, fill(u.moved, { name: '专题小组', parent: '西区分会' }));
    const moved = await unitByPath('committee/west/test-group');
    expect(moved).toMatchObject({ name: '专题小组', depth: 2, parent_id: (await unitByPath('committee/west'))!.id });
    expect(await unitByPath('committee/east/test-group')).toBeUndefined();
  });

  it('finds it by pinyin initials and shows it in the tree', async () => {
    await page.getByRole('button', { name: fill(u.collapse, { name: '西区分会' }) }).click();
    await page.getByLabel(u.searchLabel).fill('ztxz');
    await page.getByRole('button', { name: u.searchButton }).click();
    const result = page.getByRole('link', { name: '示范委员会 / 西区分会 / 专题小组' });
    await result.waitFor();
    await status(page, fill(u.resultCount, { count: 1 }));
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await result.click();
    const found = page.locator(`#unit-${(await unitByPath('committee/west/test-group'))!.id}`);
    await found.waitFor();
    // Focus moves to the found unit.
    const foundId = `unit-${(await unitByPath('committee/west/test-group'))!.id}`;
    await page.waitForFunction(`document.activeElement?.id === ${JSON.stringify(foundId)}`);
    expect(await found.getAttribute('class')).toContain('unit-row--highlighted');
    await saveScreenshot(page, 'org-units-zh-phone-found');
  });

  it('refuses to delete a unit with members and says why', async () => {
    const [{ count }] = await suite.db.query(
      `SELECT count(*)::int AS count FROM users m JOIN org_units o ON o.id = m.org_unit_id WHERE o.path = 'committee/east/group-1' AND m.role = 'member'`,
    );
    await actionsOf(page, '东区第一小组').click();
    await page.getByRole('button', { name: u.delete, exact: true }).click();
    expectConsoleErrors(/status of 409 .*\/api\/org-units\//);
    await page.getByRole('button', { name: u.deleteButton }).click();
    const refusal = page.getByRole('alert').filter({ hasText: fill(u.cannotDelete, { name: '东区第一小组' }) });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(fill(u.blocker.members, { count }));
    expect(await unitByPath('committee/east/group-1')).toBeDefined();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await saveScreenshot(page, 'org-units-zh-phone-refused');
    await page.getByRole('button', { name: u.close }).click();
  });

  it('deletes an empty unit after asking', async () => {
    await actionsOf(page, '专题小组').click();
    await page.getByRole('button', { name: u.delete, exact: true }).click();
    await page.getByText(fill(u.confirmDelete, { name: '专题小组' })).waitFor();
    await page.getByRole('button', { name: u.deleteButton }).click();
    await status(page, fill(u.deleted, { name: '专题小组' }));
    expect(await unitByPath('committee/west/test-group')).toBeUndefined();
    // The tree reloads after the answer: the row goes once it has.
    await row(page, '专题小组').waitFor({ state: 'detached' });
    // The last search is asked again, so its result goes too.
    await page.getByRole('link', { name: '示范委员会 / 西区分会 / 专题小组' }).waitFor({ state: 'detached' });
    await status(page, fill(u.noResults, { q: 'ztxz' }));
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});

describe('the units page on a desktop in English', () => {
  it('is accessible, with its forms open, and fits the window', async () => {
    const page = await openUnits(suite.stack.demo.committeeAdmin, desktop, 'en');
    const labels = en.orgUnits;
    await page.getByText(en.orgUnits.kind.committee, { exact: true }).first().waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    await actionsOf(page, '西区分会', labels).click();
    await page.getByRole('button', { name: labels.move, exact: true }).click();
    await page.getByRole('form', { name: fill(labels.moveHeading, { name: '西区分会' }) }).waitFor();
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await saveScreenshot(page, 'org-units-en-desktop');
  });

  it('shows a branch admin their branch only', async () => {
    const page = await openUnits(suite.stack.demo.branchAdmin, phone390, 'en');
    await row(page, '东区分会').waitFor();
    expect(await row(page, '西区分会').count()).toBe(0);
    // Their own top unit can be renamed, but neither moved nor deleted.
    await actionsOf(page, '东区分会', en.orgUnits).click();
    expect(await page.getByRole('button', { name: en.orgUnits.move, exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: en.orgUnits.delete, exact: true }).count()).toBe(0);
    expect(await findSeriousAxeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});
