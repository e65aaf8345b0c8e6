import { describe, expect, it, jest } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { captureDownload, expectConsoleErrors, type SignInDetails } from '../support/browser.js';
import { browserSuite, expectTidy, fillTemplate, messagesOf, type Locale } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });

// The GBK bytes of the Chinese words in the fixture (from `iconv -f UTF-8 -t GB18030`): Node has no GBK encoder,
// and a CSV saved by Excel in Chinese is GBK.
const GBK: Record<string, string> = {
  姓名: 'd0d5c3fb',
  登录名: 'b5c7c2bcc3fb',
  单位: 'b5a5cebb',
  类别: 'c0e0b1f0',
  张三: 'd5c5c8fd',
  李四: 'c0eecbc4',
  王五: 'cdf5cee5',
  东区第一小组: 'b6abc7f8b5dad2bbd0a1d7e9',
  离退休: 'c0ebcdcbd0dd',
  农村: 'c5a9b4e5',
};
function gbk(text: string): Buffer {
  return Buffer.concat(
    text
      .split(/([\u3400-\u9fff]+)/)
      .filter(Boolean)
      .map((piece) => (/[\u3400-\u9fff]/.test(piece) ? Buffer.from(GBK[piece]!, 'hex') : Buffer.from(piece, 'ascii'))),
  );
}
const listWith = (wangUnit: string) =>
  gbk(
    [
      '姓名,登录名,单位,类别',
      '张三,web-zhang,东区第一小组,离退休',
      `王五,web-wang,${wangUnit},农村`,
      '李四,web-li,committee/east/group-2,农村',
      '',
    ].join('\r\n'),
  );

/** Signed in at phone width, on the import page. */
async function openSignedIn(user: SignInDetails, locale: Locale): Promise<Page> {
  const page = await suite.open(user, { locale, acceptDownloads: true });
  await page.goto('/organisation/import');
  await page.getByRole('heading', { level: 1, name: messagesOf(locale).orgImport.title }).waitFor();
  return page;
}

describe('member import page', () => {
  it('zh-CN at 390 px: a GBK list with a bad row, the reason, the rejected rows, the fix, the confirmation', async () => {
    const page = await openSignedIn(suite.stack.demo.branchAdmin, 'zh-CN');
    const t = zh.orgImport;
    await expectTidy(page, 'org-import-zh-start');

    const template = await captureDownload(page, () => page.getByRole('button', { name: t.template }).click());
    expect(template.name).toBe(t.templateName);
    expect([...template.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(template.body.toString('utf8').slice(1).split('\r\n')[0]).toBe('姓名,登录名,单位,类别,状态');

    await page.getByLabel(t.pick).setInputFiles({ name: '东区名单.csv', mimeType: 'text/csv', buffer: listWith('group-9') });
    await page.getByRole('heading', { name: fillTemplate(t.previewTitle, { name: '东区名单.csv' }) }).waitFor();
    await page.getByText(t.encoding.gb18030).waitFor();
    await page.getByText(fillTemplate(t.counts.create, { count: 2 }), { exact: true }).waitFor();
    await page.getByText(fillTemplate(t.counts.reject, { count: 1 }), { exact: true }).waitFor();
    // The reason, in the page's language, beside the row.
    await page.getByRole('cell', { name: /本组织没有单位“group-9”/ }).waitFor();
    await page.getByRole('cell', { name: '张三' }).waitFor();
    // Categories by their Chinese names, as the file gave them.
    await page.getByRole('cell', { name: /离退休$/ }).waitFor();
    expect(await suite.db.query(`SELECT login FROM users WHERE login LIKE 'web-%'`)).toEqual([]);
    await expectTidy(page, 'org-import-zh-preview');

    const rejected = await captureDownload(page, () => page.getByRole('button', { name: t.downloadRejected }).click());
    expect(rejected.name).toMatch(/\.csv$/);
    expect([...rejected.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(rejected.body.toString('utf8').slice(1)) as string[][];
    expect(rows[0]).toEqual(['姓名', '登录名', '单位', '类别', '原因']);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 4)).toEqual(['王五', 'web-wang', 'group-9', '农村']);
    expect(rows[1]![4]).toContain('group-9');

    // Fix the row in the file and import it again.
    await page.getByRole('button', { name: t.startAgain }).click();
    await page.getByLabel(t.pick).setInputFiles({ name: '东区名单.csv', mimeType: 'text/csv', buffer: listWith('group-2') });
    await page.getByText(fillTemplate(t.counts.create, { count: 3 }), { exact: true }).waitFor();
    await page.getByText(fillTemplate(t.counts.reject, { count: 0 }), { exact: true }).waitFor();
    await page.getByText(t.noneReject).waitFor();
    await page.getByRole('button', { name: fillTemplate(t.confirmCount, { create: 3, update: 0 }) }).click();

    await page.getByRole('heading', { name: t.doneTitle }).waitFor();
    await page.getByText(fillTemplate(t.doneSummary, { created: 3, updated: 0 })).waitFor();
    await expectTidy(page, 'org-import-zh-done');
    expect(
      await suite.db.query(
        `SELECT u.login, u.name, o.path, u.category, u.password_hash, u.must_change_password
           FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE login LIKE 'web-%' ORDER BY login`,
      ),
    ).toEqual([
      { login: 'web-li', name: '李四', path: 'committee/east/group-2', category: 'rural', password_hash: null, must_change_password: true },
      {
        login: 'web-wang',
        name: '王五',
        path: 'committee/east/group-2',
        category: 'rural',
        password_hash: null,
        must_change_password: true,
      },
      {
        login: 'web-zhang',
        name: '张三',
        path: 'committee/east/group-1',
        category: 'retired',
        password_hash: null,
        must_change_password: true,
      },
    ]);
    await page.getByRole('link', { name: t.toMembers }).click();
    await page.waitForURL('**/organisation/members');
  });

  it('en at 390 px: refuses a wrong file plainly, explains a rejected row, and offers nothing to confirm', async () => {
    const page = await openSignedIn(suite.stack.demo.branchAdmin, 'en');
    const t = en.orgImport;
    await expectTidy(page, 'org-import-en-start');

    // The browser logs the refused upload (400); the page says why.
    expectConsoleErrors(/status of 400 \(Bad Request\).*\/api\/members\/imports/);
    await page.getByLabel(t.pick).setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from('fullname,user\nA,b\n') });
    await page
      .getByRole('alert')
      .getByText(fillTemplate(t.file['missing-columns'], { columns: 'name, login, unit' }))
      .waitFor();

    const csv = 'name,login,unit,active\nSomeone,web-west,committee/west/group-1,\nMember,member,committee/east/group-2,\n';
    await page.getByLabel(t.pick).setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText(fillTemplate(t.counts.reject, { count: 2 }), { exact: true }).waitFor();
    await page.getByRole('cell', { name: /outside your organisation/ }).waitFor();
    await page.getByRole('cell', { name: /use a transfer/ }).waitFor();
    await expect(page.getByRole('button', { name: fillTemplate(t.confirmCount, { create: 0, update: 0 }) }).isDisabled()).resolves.toBe(
      true,
    );
    await page.getByText(t.nothingToDo).waitFor();
    await expectTidy(page, 'org-import-en-preview');
  });
});
