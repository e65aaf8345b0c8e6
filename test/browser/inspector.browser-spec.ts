import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { captureDownload, type SignInDetails } from '../support/browser.js';
import { browserSuite, desktop, expectTidy, fillTemplate, phone, type Locale } from '../support/browser-suite.js';

jest.setTimeout(120_000);

/**
 * The inspector reads the reports of their branch and changes nothing; the committee admin makes a plan
 * for the secretaries in the page. The inspector is appointed here, by the committee admin, through the API.
 */
const suite = browserSuite({ services: ['catalog', 'web'], timezoneId: 'Asia/Shanghai' });
const inspector: SignInDetails = { login: 'east-inspector', password: 'inspector-pass-2026' };
const secretaryPlan = '书记学习：每年 56 小时';
const branchPlan = '东区书记学习';
let branchPlanId = '';

type Messages = typeof zh;
const unitId = async (path: string) => (await suite.db.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

beforeAll(async () => {
  const admin = await suite.tokenOf(suite.stack.demo.committeeAdmin);
  await suite.api(admin, 'POST', '/api/members', {
    login: inspector.login,
    name: '东区督查员',
    role: 'inspector',
    orgUnitId: await unitId('committee/east'),
    password: inspector.password,
  });
  // The password an admin sets may have to be changed at first sign-in; this test is about the reports.
  await suite.db.query(`UPDATE users SET must_change_password = false WHERE login = $1`, [inspector.login]);
  // Two secretaries in the east branch, whatever the demo organisation already appointed.
  await suite.db.query(
    `INSERT INTO member_positions (user_id, org_unit_id, position_code)
     SELECT u.id, u.org_unit_id, 'secretary' FROM users u WHERE u.login IN ('member', 'member02')
     ON CONFLICT DO NOTHING`,
  );
  const year = new Date().getFullYear();
  branchPlanId = (
    await suite.api<{ id: string }>(admin, 'POST', '/api/study-plans', {
      name: branchPlan,
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
      requiredHours: 40,
      unitIds: [await unitId('committee/east')],
      positions: ['secretary'],
    })
  ).id;
}, 180_000);

/** Signed in with downloads accepted, at phone width in Chinese unless said. */
const openSignedIn = (user: SignInDetails, viewport = phone, locale: Locale = 'zh-CN') =>
  suite.open(user, { locale, viewport, acceptDownloads: true });

/** No control on the page changes a plan: no new plan, no closing, no make-up window. */
async function expectNoWriteActions(page: Page, m: Messages) {
  for (const name of [m.plans.close, m.plans.confirmClose, m.plans.openMakeup, m.plans.changeMakeup, m.planForm.create]) {
    expect([name, await page.getByRole('button', { name }).count()]).toEqual([name, 0]);
  }
  expect(await page.getByRole('link', { name: m.plans.new }).count()).toBe(0);
}

describe('plans for a position, and an inspector who reads them', () => {
  it('lets the committee admin make a plan for the secretaries in the page', async () => {
    const page = await openSignedIn(suite.stack.demo.committeeAdmin);
    await page.goto('/plans/new');
    await page.getByRole('heading', { level: 1, name: zh.plans.new }).waitFor();
    const positions = page.getByRole('group', { name: zh.planTargets.positions });
    await positions.getByRole('checkbox', { name: '书记', exact: true }).waitFor();
    await page.getByRole('group', { name: zh.planTargets.classes }).waitFor();
    await page.getByText(fillTemplate(zh.planForm.wholeUnit, { unit: '示范委员会' })).waitFor();
    await page.getByLabel(zh.planForm.name).fill(secretaryPlan);
    await page.getByLabel(zh.planForm.requiredHours).fill('56');
    await positions.getByRole('checkbox', { name: '书记', exact: true }).check();
    await positions.getByText(fillTemplate(zh.planTargets.chosen_other, { count: 1 })).waitFor();
    await expectTidy(page, 'plan-targets-new-plan-zh-390');

    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/study-plans'));
    await page.getByRole('button', { name: zh.planForm.create }).click();
    const plan = (await (await created).json()) as { id: string; positions: string[]; classIds: string[]; memberCount: number };
    expect(plan.positions).toEqual(['secretary']);
    expect(plan.classIds).toEqual([]);
    const [{ n }] = await suite.db.query(
      `SELECT count(DISTINCT mp.user_id)::int AS n FROM member_positions mp JOIN users u ON u.id = mp.user_id
        WHERE mp.position_code = 'secretary' AND mp.ended_on IS NULL AND u.role = 'member' AND u.active`,
    );
    expect(plan.memberCount).toBe(n);
    await page.getByRole('heading', { level: 1, name: secretaryPlan }).waitFor();
    await page.getByText(fillTemplate(zh.planTargets.positionsFact, { names: '书记' })).waitFor();
    await expectTidy(page, 'plan-targets-overview-zh-390');
  });

  it('shows the inspector only the reports, and reads a plan and its export without any write action (zh-CN, 390 px)', async () => {
    const page = await openSignedIn(inspector);
    await page.getByRole('heading', { level: 1, name: zh.reports.title }).waitFor();
    const nav = page.getByRole('navigation', { name: zh.shell.mainNav });
    expect(await nav.getByRole('link').allTextContents()).toEqual([zh.nav.reports]);
    await page.getByText(zh.planTargets.readOnly).waitFor();
    await page.getByRole('link', { name: zh.planTargets.unitStudy }).waitFor();
    await page.getByRole('link', { name: branchPlan }).waitFor();
    await page.getByRole('link', { name: secretaryPlan }).waitFor();
    await expectNoWriteActions(page, zh);
    await expectTidy(page, 'inspector-reports-zh-390');

    await page.getByRole('link', { name: branchPlan }).click();
    await page.getByRole('heading', { level: 1, name: branchPlan }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/reports/plans/${branchPlanId}`);
    await page.getByText(fillTemplate(zh.planTargets.positionsFact, { names: '书记' })).waitFor();
    const units = page.getByRole('region', { name: zh.reports.units });
    await units.getByRole('table').waitFor();
    // The branch's figures only: no unit beyond it is named.
    const text = (await page.getByRole('main').textContent()) ?? '';
    for (const foreign of ['西区', '北区', '示范委员会']) expect(text).not.toContain(foreign);
    await units.getByRole('button', { name: new RegExp(`^${zh.exports.xlsx}`) }).waitFor();
    await expectNoWriteActions(page, zh);
    await expectTidy(page, 'inspector-plan-overview-zh-390');
    const file = await captureDownload(page, () => units.getByRole('button', { name: new RegExp(`^${zh.exports.xlsx}`) }).click());
    expect(file.name).toMatch(new RegExp(`^${branchPlan} - 东区分会 - 单位汇总 - \\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    expect(file.body.subarray(0, 2).toString()).toBe('PK');

    await page.getByRole('link', { name: zh.reports.allMembers }).click();
    await page.locator('table').first().waitFor();
    await expectNoWriteActions(page, zh);
    await expectTidy(page);

    await page.goto('/plans');
    await page.getByRole('heading', { level: 1, name: zh.plans.title }).waitFor();
    await page.getByRole('heading', { level: 2, name: branchPlan }).waitFor();
    await page.getByText(zh.planTargets.readOnly).waitFor();
    await expectNoWriteActions(page, zh);
    await expectTidy(page, 'inspector-plans-zh-390');
  });

  it('reads the same in English, with no write action', async () => {
    const page = await openSignedIn(inspector, phone, 'en');
    await page.getByRole('heading', { level: 1, name: en.reports.title }).waitFor();
    const nav = page.getByRole('navigation', { name: en.shell.mainNav });
    expect(await nav.getByRole('link').allTextContents()).toEqual([en.nav.reports]);
    await page.getByRole('link', { name: en.planTargets.unitStudy }).waitFor();
    await page.getByRole('link', { name: en.planTargets.viewPlans }).click();
    await page.getByRole('heading', { level: 2, name: branchPlan }).waitFor();
    await page
      .getByText(fillTemplate(en.planTargets.positionsFact, { names: 'Secretary' }))
      .first()
      .waitFor();
    await expectNoWriteActions(page, en);
    await expectTidy(page, 'inspector-plans-en-390');

    const wide = await openSignedIn(inspector, desktop, 'en');
    await wide.goto(`/reports/plans/${branchPlanId}`);
    await wide.getByRole('heading', { level: 1, name: branchPlan }).waitFor();
    await wide.getByRole('region', { name: en.reports.units }).waitFor();
    await expectNoWriteActions(wide, en);
    await expectTidy(wide, 'inspector-plan-overview-en-desktop');
  });
});
