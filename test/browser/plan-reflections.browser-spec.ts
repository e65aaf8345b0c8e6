import { describe, expect, it, jest } from '@jest/globals';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { browserSuite, expectTidy, fillTemplate, phone } from '../support/browser-suite.js';

jest.setTimeout(90_000);

const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: 'Asia/Shanghai' });
const planName = '心得体会学习计划';

describe('plans that require reflections', () => {
  it('lets a branch admin on a phone require two reflections, and shows each member’s accepted ones in the members table', async () => {
    // The demo member already has one reflection read by their branch, begun today (in the plan's period).
    await suite.db.query(
      `INSERT INTO reflections (user_id, org_unit_id, title, body, status, version, submitted_at, accepted_at)
       SELECT id, org_unit_id, '学习心得', '认真学习，收获很大。', 'read', 1, now(), now() FROM users WHERE login = 'member'`,
    );

    const page = await suite.open(suite.stack.demo.branchAdmin, { viewport: phone });
    await page.goto('/plans/new');
    await page.getByRole('heading', { level: 1, name: zh.plans.new }).waitFor();
    await page.getByLabel(zh.planForm.name).fill(planName);
    await page.getByLabel(zh.planForm.requiredHours).fill('1');
    const reflections = page.getByLabel(zh.planForm.requiredReflections);
    // More than 50 is refused in the page, with the field marked and its message said.
    await reflections.fill('51');
    await page.getByRole('button', { name: zh.planForm.create }).click();
    await page.getByText(zh.planForm.reflectionsInvalid).waitFor();
    expect(await reflections.getAttribute('aria-invalid')).toBe('true');
    await expectTidy(page, 'plan-reflections-form-zh-phone');

    await reflections.fill('2');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/study-plans'));
    await page.getByRole('button', { name: zh.planForm.create }).click();
    const plan = (await (await created).json()) as { id: string; requiredReflections: number };
    expect(plan.requiredReflections).toBe(2);
    await page.getByRole('heading', { level: 1, name: planName }).waitFor();
    await page.getByText(fillTemplate(zh.plans.requiredReflections, { required: '2' })).waitFor();

    await page.goto(`/reports/plans/${plan.id}/members`);
    const header = fillTemplate(zh.reports.col.reflectionsAccepted, { required: '2' });
    await page.getByRole('columnheader', { name: header }).waitFor();
    const row = page.locator('tr[data-login="member"]');
    await expect(row.locator(`td[data-label="${header}"]`).textContent()).resolves.toBe('1');
    // One of two accepted: not met, whatever the hours.
    await expect(row.getByText(zh.planStatus.met).count()).resolves.toBe(0);
    await expectTidy(page, 'plan-reflections-members-zh-phone');

    // The member finds the same count under the plan in My study, and a way to write the next one for it.
    const member = await suite.open(suite.stack.demo.member, { viewport: phone });
    await member.goto('/study');
    const card = member.locator('.plan-card').filter({ hasText: planName });
    await card.getByText(fillTemplate(zh.memberProgress.reflections.count, { accepted: '1', required: '2' })).waitFor();
    await expectTidy(member, 'plan-reflections-my-study-zh-phone');
    await card.getByRole('link', { name: zh.memberProgress.reflections.write }).click();
    await member.waitForURL((url) => url.pathname === '/reflections/new' && url.searchParams.get('planId') === plan.id);
  });
});
