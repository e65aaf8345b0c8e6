// One admin's week, walked in the page from start to end: a new group is set up (and put where it
// belongs), its members come from a GBK list saved by Excel in Chinese, one of them goes to work in
// another city and is sent to the branch there, which accepts them.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { expectConsoleErrors } from '../support/browser.js';
import { browserSuite, desktop, expectTidy, fillTemplate, namedLike } from '../support/browser-suite.js';

jest.setTimeout(150_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
const westAdmin = { login: 'west-admin', password: 'west-admin-password-1', name: '西区管理员' };

/** The list as Excel in Chinese saves it: GB18030 (GBK), CRLF lines. */
function gbkCsv(lines: string[]): Buffer {
  const encoded = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: `${lines.join('\r\n')}\r\n` });
  if (encoded.status !== 0) throw new Error(`iconv failed: ${encoded.stderr.toString()}`);
  return encoded.stdout;
}
const memberList = (zhaoCategory: string) =>
  gbkCsv([
    '姓名,登录名,单位,类别',
    '钱一,walk-qian,东区第三小组,离退休',
    `赵六,walk-zhao,东区第三小组,${zhaoCategory}`,
    '孙七,walk-sun,东区第三小组,在职',
  ]);

const unitOf = async (login: string): Promise<string | undefined> =>
  (await suite.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $1`, [login]))[0]?.path;

beforeAll(async () => {
  // The west branch's own admin, made as the committee would make one.
  const committee = await suite.tokenOf(suite.stack.demo.committeeAdmin);
  const [west] = await suite.db.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
  await suite.api(committee, 'POST', '/api/members', { ...westAdmin, role: 'admin', orgUnitId: west.id });
}, 180_000);

describe('a branch admin runs their branch in the page, on a phone in Chinese', () => {
  let page: Page;
  const u = zh.orgUnits;
  const t = zh.orgImport;
  const tr = zh.orgTransfers;

  it('sets up a new group, created under the wrong parent and moved where it belongs', async () => {
    page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN', acceptDownloads: true });
    await page.goto('/organisation');
    await page.getByRole('list', { name: u.treeLabel }).waitFor();
    // The branch is the admin's top unit: its groups show at once.
    await page.getByRole('button', { name: `${u.actions} 东区第一小组`, exact: true }).click();
    await page.getByRole('button', { name: u.add, exact: true }).click();
    const add = page.getByRole('form', { name: fillTemplate(u.addHeading, { name: '东区第一小组' }) });
    await add.getByLabel(u.name, { exact: true }).fill('东区第三小组');
    await add.getByLabel(u.slug).fill('group-3');
    await add.getByRole('button', { name: u.create }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fillTemplate(u.created, { name: '东区第三小组' }) })
      .waitFor();
    expect((await suite.db.query(`SELECT path FROM org_units WHERE name = '东区第三小组'`))[0].path).toBe('committee/east/group-1/group-3');

    await page.getByRole('button', { name: `${u.actions} 东区第三小组`, exact: true }).click();
    await page.getByRole('button', { name: u.move, exact: true }).click();
    const move = page.getByRole('form', { name: fillTemplate(u.moveHeading, { name: '东区第三小组' }) });
    await move.getByLabel(u.newParent).selectOption({ label: '东区分会' });
    await expectTidy(page, 'org-walk-1-move');
    await move.getByRole('button', { name: u.moveButton }).click();
    await page
      .getByRole('status')
      .filter({ hasText: fillTemplate(u.moved, { name: '东区第三小组', parent: '东区分会' }) })
      .waitFor();
    expect((await suite.db.query(`SELECT path, depth FROM org_units WHERE name = '东区第三小组'`))[0]).toEqual({
      path: 'committee/east/group-3',
      depth: 2,
    });
  });

  it('imports its members from a GBK list with one bad row, then the fixed list', async () => {
    await page.goto('/organisation/import');
    await page.getByRole('heading', { level: 1, name: t.title }).waitFor();
    await page.getByLabel(t.pick).setInputFiles({ name: '第三小组名单.csv', mimeType: 'text/csv', buffer: memberList('退伍') });
    await page.getByRole('heading', { name: fillTemplate(t.previewTitle, { name: '第三小组名单.csv' }) }).waitFor();
    await page.getByText(t.encoding.gb18030).waitFor();
    await page.getByText(fillTemplate(t.counts.create, { count: 2 }), { exact: true }).waitFor();
    await page.getByText(fillTemplate(t.counts.reject, { count: 1 }), { exact: true }).waitFor();
    // The bad row is named, with a reason in the page's language.
    const reason = page.getByRole('row', { name: /walk-zhao/ });
    expect(await reason.textContent()).toContain('退伍');
    await expectTidy(page, 'org-walk-2-preview');
    // Nothing is written before the confirmation.
    expect(await suite.db.query(`SELECT login FROM users WHERE login LIKE 'walk-%'`)).toEqual([]);

    await page.getByRole('button', { name: t.startAgain }).click();
    await page.getByLabel(t.pick).setInputFiles({ name: '第三小组名单.csv', mimeType: 'text/csv', buffer: memberList('农村') });
    await page.getByText(fillTemplate(t.counts.create, { count: 3 }), { exact: true }).waitFor();
    await page.getByText(fillTemplate(t.counts.reject, { count: 0 }), { exact: true }).waitFor();
    await page.getByRole('button', { name: fillTemplate(t.confirmCount, { create: 3, update: 0 }) }).click();
    await page.getByText(fillTemplate(t.doneSummary, { created: 3, updated: 0 })).waitFor();
    await expectTidy(page, 'org-walk-3-imported');
    expect(
      await suite.db.query(
        `SELECT u.login, u.name, u.category, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id
          WHERE u.login LIKE 'walk-%' ORDER BY u.login`,
      ),
    ).toEqual([
      { login: 'walk-qian', name: '钱一', category: 'retired', path: 'committee/east/group-3' },
      { login: 'walk-sun', name: '孙七', category: 'on-the-job', path: 'committee/east/group-3' },
      { login: 'walk-zhao', name: '赵六', category: 'rural', path: 'committee/east/group-3' },
    ]);
  });

  it('sends one of them to the west branch, where they went to work', async () => {
    await page.goto('/organisation/transfers');
    await page.getByRole('heading', { level: 1, name: tr.title }).waitFor();
    await page.getByLabel(tr.findMember).fill('walk-zhao');
    await page.getByRole('button', { name: tr.search, exact: true }).click();
    await page.getByRole('button', { name: namedLike(tr.transfer, '赵六') }).click();
    await page.getByLabel(tr.outside).check();
    await page.getByLabel(tr.findUnit).fill('西区第一');
    await page.getByRole('button', { name: tr.search, exact: true }).click();
    await page.getByRole('button', { name: namedLike(tr.chooseUnit, '示范委员会 / 西区分会 / 西区第一小组') }).click();
    await page.getByLabel(tr.reason).fill('外出务工，到西区工作');
    await expectTidy(page, 'org-walk-4-transfer');
    await page.getByRole('button', { name: tr.submit }).click();
    await page.getByText(fillTemplate(tr.sentPending, { unit: '西区第一小组' })).waitFor();
    // Until the west accepts, the member stays in the east.
    expect(await unitOf('walk-zhao')).toBe('committee/east/group-3');
  });
});

describe('the west branch accepts the member, at a desk in English', () => {
  const tr = en.orgTransfers;

  it('accepts the transfer; the member is in the west branch and its member list', async () => {
    const page = await suite.open(westAdmin, { locale: 'en', viewport: desktop, acceptDownloads: true });
    await page.goto('/organisation/transfers');
    const mine = page.locator('section', { has: page.getByRole('heading', { name: tr.waitingMine }) });
    const card = mine.locator('article', { hasText: '赵六' });
    await card.getByText('外出务工，到西区工作').waitFor();
    await expectTidy(page, 'org-walk-5-incoming');
    await card.getByLabel(tr.note).fill('Welcome');
    await card.getByRole('button', { name: namedLike(tr.accept, '赵六') }).click();
    await page.getByText(fillTemplate(tr.accepted, { name: '赵六' })).waitFor();
    expect(await unitOf('walk-zhao')).toBe('committee/west/group-1');

    await page.goto('/organisation/members');
    await page.getByLabel(en.orgMembers.search).fill('walk-zhao');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: '赵六' }).first().waitFor();
    await expectTidy(page, 'org-walk-6-west-members');
  });

  it('the east branch no longer has the member, and the transfer is in their history', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'zh-CN', acceptDownloads: true });
    await page.goto('/organisation/transfers');
    const decided = page.locator('section', { has: page.getByRole('heading', { name: zh.orgTransfers.decided }) });
    await decided.locator('article', { hasText: '赵六' }).getByText(zh.orgTransfers.status.done).waitFor();
    const [{ id }] = await suite.db.query(`SELECT id FROM users WHERE login = 'walk-zhao'`);
    // Outside the branch now: its page is not found, and says so.
    expectConsoleErrors(/status of 404/);
    await page.goto(`/organisation/members/${id}`);
    await page.getByRole('alert').waitFor();
    await expectTidy(page, 'org-walk-7-east-after');
  });
});
