import { describe, expect, it, jest } from '@jest/globals';
import { expectConsoleErrors, signInAs } from '../support/browser.js';
import { browserSuite, desktop, expectTidy, messagesOf, phone, signInLabels } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });

describe('the queue board', () => {
  it('opens for a committee admin from the organisation settings, through the gateway', async () => {
    const t = messagesOf('zh-CN');
    // The board's own policy in force (the harness bypasses policies otherwise): its scripts must run under it.
    const context = await suite.browser.newContext({ baseURL: suite.stack.baseUrl, locale: 'zh-CN', viewport: phone, bypassCSP: false });
    const page = await context.newPage();
    await page.goto('/');
    await signInAs(page, suite.stack.demo.committeeAdmin, signInLabels('zh-CN'));
    // The board's template links a Google web font; the policy refuses it, as it should.
    expectConsoleErrors(/fonts\.googleapis\.com/);
    await page.goto('/organisation/settings');
    await page.getByRole('heading', { level: 2, name: t.queueBoard.heading }).waitFor();
    await expectTidy(page, 'queue-board-panel-zh');

    await page.getByRole('button', { name: t.queueBoard.open }).click();
    await page.waitForURL('**/api/admin/queues/**');
    // bull-board's own page, listing Lectern's queues: it was let in by the ticket cookie alone.
    await page.getByText('Lectern queues').first().waitFor();
    await page.getByText('transcode', { exact: true }).first().waitFor();
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'lectern_queue_board');
    expect(cookie).toMatchObject({ path: '/api/admin/queues', httpOnly: true, sameSite: 'Strict' });
    await context.close();
  });

  it('is offered to no one else: a branch admin sees no queue panel, in English too', async () => {
    const t = messagesOf('en');
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'en', viewport: desktop });
    await page.goto('/organisation/settings');
    await page.getByRole('heading', { level: 1, name: t.orgNav.settings }).waitFor();
    await page.getByText(t.orgClasses.onlyCommittee).waitFor();
    expect(await page.getByRole('heading', { name: t.queueBoard.heading }).count()).toBe(0);
    // Nor does the board open when asked for directly.
    expectConsoleErrors(/status of 401/);
    expect((await page.goto('/api/admin/queues/'))?.status()).toBe(401);
  });
});
