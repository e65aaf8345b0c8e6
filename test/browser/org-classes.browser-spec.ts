import { describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import en from '../../apps/web/client/src/i18n/en.js';
import zh from '../../apps/web/client/src/i18n/zh-CN.js';
import { expectConsoleErrors } from '../support/browser.js';
import { browserSuite, expectTidy, fillTemplate } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });

const statusWith = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

describe('training classes, as a branch admin on a phone', () => {
  it('creates a class, enrols by filter, one by one and from a CSV, and withdraws a member', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin);
    await page.goto('/organisation/classes');
    await page.getByRole('heading', { level: 1, name: zh.orgClasses.title }).waitFor();
    await page.getByRole('navigation', { name: zh.orgNav.label }).waitFor();
    await page.getByText(zh.orgClasses.none).waitFor();
    await expectTidy(page, 'org-classes-list-zh');

    // The form says what is missing before anything is sent.
    await page.getByRole('button', { name: zh.orgClasses.create }).click();
    await page.getByText(zh.orgClasses.nameRequired).waitFor();

    await page.getByLabel(zh.orgClasses.name, { exact: true }).fill('2027 年春季学习班');
    await page.getByLabel(zh.orgClasses.description).fill('每周一次集中学习');
    await page.getByLabel(zh.orgClasses.startsOn).fill('2027-03-01');
    await page.getByLabel(zh.orgClasses.endsOn).fill('2027-06-30');
    await page.getByRole('button', { name: zh.orgClasses.create }).click();
    await page.getByRole('heading', { level: 1, name: '2027 年春季学习班' }).waitFor();
    const [made] = await suite.db.query(`SELECT id FROM training_classes WHERE name = '2027 年春季学习班'`);
    expect(page.url()).toContain(`/organisation/classes/${made.id}`);
    await page.getByText(zh.orgClasses.noMembers).waitFor();

    // By filter: the retired members of the east branch who can sign in; count first, then confirm.
    const retired: Array<{ id: string; login: string; name: string }> = await suite.db.query(
      `SELECT u.id, u.login, u.name FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path LIKE 'committee/east/%' AND u.category = 'retired' AND u.active ORDER BY u.login`,
    );
    expect(retired.length).toBeGreaterThan(1);
    await page.getByLabel(zh.orgClasses.filterCategory).selectOption('retired');
    await page.getByRole('button', { name: zh.orgClasses.count }).click();
    await page
      .getByText(fillTemplate(zh.orgClasses.preview, { matched: retired.length, enrolled: retired.length, alreadyIn: 0 }))
      .waitFor();
    expect(await suite.db.query(`SELECT count(*)::int AS n FROM training_class_members WHERE class_id = $1`, [made.id])).toEqual([
      { n: 0 },
    ]);
    await page.getByRole('button', { name: fillTemplate(zh.orgClasses.confirmAdd, { count: retired.length }) }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.filterDone, { enrolled: retired.length, alreadyIn: 0 })).waitFor();
    const table = page.getByRole('table', { name: zh.orgClasses.membersCaption });
    for (const person of retired) await table.getByText(person.login, { exact: true }).waitFor();

    // One by one: someone of the branch who is not retired, found by name.
    const [other]: Array<{ id: string; login: string; name: string }> = await suite.db.query(
      `SELECT u.id, u.login, u.name FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path LIKE 'committee/east/%' AND u.role = 'member' AND u.category IS DISTINCT FROM 'retired' ORDER BY u.login LIMIT 1`,
    );
    await page.getByLabel(zh.orgClasses.searchLabel).fill(other.login);
    await page.getByRole('button', { name: zh.orgClasses.search, exact: true }).click();
    await page.getByRole('button', { name: fillTemplate(zh.orgClasses.enrolOneLabel, { name: other.name }) }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.enrolledOne, { name: other.name })).waitFor();
    await table.getByText(other.login, { exact: true }).waitFor();

    // From a GBK list without a header: one login already in, one unknown.
    const gbkUnknown = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三
    const csv = Buffer.concat([Buffer.from(`${retired[0].login}\r\n`), gbkUnknown, Buffer.from('\r\n')]);
    await page.getByLabel(zh.orgClasses.chooseFile).setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: csv });
    await statusWith(page, fillTemplate(zh.orgClasses.csvDone, { enrolled: 0, alreadyIn: 1, rejected: 1 })).waitFor();
    const rejected = page.getByRole('table', { name: zh.orgClasses.rejectedCaption });
    await rejected.getByText('张三', { exact: true }).waitFor();
    await rejected.getByText(zh.orgClasses.reasons.unknown, { exact: true }).waitFor();
    await expectTidy(page, 'org-class-page-zh');

    // Withdraw: asked first; the row stays, marked withdrawn.
    await page.getByRole('button', { name: fillTemplate(zh.orgClasses.withdrawLabel, { name: other.name }) }).click();
    await page.getByRole('button', { name: zh.orgClasses.withdrawYes }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.withdrawn, { name: other.name })).waitFor();
    const withdrawnRow = table.getByRole('row').filter({ hasText: other.login });
    await withdrawnRow.getByText(zh.orgClasses.statusWithdrawn.split('（')[0]).waitFor();
    expect(
      await suite.db.query(
        `SELECT withdrawn_at IS NOT NULL AS withdrawn FROM training_class_members WHERE class_id = $1 AND user_id = $2`,
        [made.id, other.id],
      ),
    ).toEqual([{ withdrawn: true }]);
    expect(await suite.db.query(`SELECT count(*)::int AS n FROM training_class_members WHERE class_id = $1`, [made.id])).toEqual([
      { n: retired.length + 1 },
    ]);

    // The list shows the class with its enrolled count.
    await page.getByRole('link', { name: zh.orgClasses.back }).click();
    await page.getByRole('link', { name: '2027 年春季学习班' }).waitFor();
    await page.getByText(fillTemplate(zh.orgClasses.enrolledCount, { count: retired.length })).waitFor();
  });

  it('edits and archives a class in English; an archived class is listed only on request', async () => {
    const token = await suite.tokenOf(suite.stack.demo.branchAdmin);
    const made = await suite.api<{ id: string }>(token, 'POST', '/api/training-classes', {
      name: 'Autumn reading class',
      startsOn: '2027-09-01',
      endsOn: '2027-11-30',
    });
    const page = await suite.open(suite.stack.demo.branchAdmin, { locale: 'en' });
    await page.goto(`/organisation/classes/${made.id}`);
    await page.getByRole('heading', { level: 1, name: 'Autumn reading class' }).waitFor();
    await page.getByRole('button', { name: en.orgClasses.edit }).click();
    await page.getByLabel(en.orgClasses.name, { exact: true }).fill('Autumn reading circle');
    await page.getByRole('button', { name: en.orgClasses.save, exact: true }).click();
    await statusWith(page, en.orgClasses.saved).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Autumn reading circle' }).waitFor();
    await expectTidy(page, 'org-class-page-en');

    await page.getByRole('button', { name: en.orgClasses.archive }).click();
    await page.getByRole('button', { name: en.orgClasses.archiveYes }).click();
    await page.getByText(en.orgClasses.archivedNote).waitFor();
    await expect(page.getByRole('heading', { name: en.orgClasses.addHeading }).count()).resolves.toBe(0);
    expect(await suite.db.query(`SELECT archived_at IS NOT NULL AS archived FROM training_classes WHERE id = $1`, [made.id])).toEqual([
      { archived: true },
    ]);

    await page.getByRole('link', { name: en.orgClasses.back }).click();
    await page.getByRole('heading', { level: 1, name: en.orgClasses.title }).waitFor();
    // The list (or the sentence that there is none) has loaded without the archived class.
    await page.locator('.org-classes .plan-list, .org-classes .notice').first().waitFor();
    await expect(page.getByRole('link', { name: 'Autumn reading circle' }).count()).resolves.toBe(0);
    await page.getByLabel(en.orgClasses.showArchived).check();
    await page.getByRole('link', { name: 'Autumn reading circle' }).waitFor();
    await expectTidy(page, 'org-classes-list-en');
  });
});

describe('organisation settings', () => {
  it('lets a branch admin add a kind of position but only read the member categories', async () => {
    const page = await suite.open(suite.stack.demo.branchAdmin);
    await page.goto('/organisation/settings');
    await page.getByRole('heading', { level: 1, name: zh.orgNav.settings }).waitFor();
    const kinds = page.getByRole('table', { name: zh.orgClasses.kindsCaption });
    await kinds.getByText('书记', { exact: true }).waitFor();
    await page.getByText(zh.orgClasses.onlyCommittee).waitFor();
    await expect(page.getByRole('heading', { name: zh.orgClasses.addCategoryHeading }).count()).resolves.toBe(0);
    await page.getByRole('table', { name: zh.orgClasses.categoriesCaption }).getByText('retired', { exact: true }).waitFor();

    const form = page.getByRole('form', { name: zh.orgClasses.addKindHeading });
    await form.getByLabel(zh.orgClasses.code).fill('Bad Code!');
    await form.getByLabel(zh.orgClasses.nameZh).fill('宣传委员');
    await form.getByLabel(zh.orgClasses.nameEn).fill('Publicity officer');
    await form.getByRole('button', { name: zh.orgClasses.add }).click();
    await form.getByText(zh.orgClasses.codeInvalid).waitFor();
    await form.getByLabel(zh.orgClasses.code).fill('publicity');
    await form.getByRole('button', { name: zh.orgClasses.add }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.kindAdded, { name: '宣传委员' })).waitFor();
    await kinds.getByText('宣传委员', { exact: true }).waitFor();
    await kinds.getByText(fillTemplate(zh.orgClasses.kindScope, { name: '东区分会' }), { exact: true }).waitFor();
    expect(
      await suite.db.query(`SELECT o.path FROM position_kinds k JOIN org_units o ON o.id = k.owner_unit_id WHERE k.code = 'publicity'`),
    ).toEqual([{ path: 'committee/east' }]);

    // The same code again is refused with the server's sentence.
    expectConsoleErrors(/status of 409/);
    await form.getByLabel(zh.orgClasses.code).fill('publicity');
    await form.getByLabel(zh.orgClasses.nameZh).fill('又一个');
    await form.getByLabel(zh.orgClasses.nameEn).fill('Another');
    await form.getByRole('button', { name: zh.orgClasses.add }).click();
    await form.getByText(zh.orgClasses.codeTaken).waitFor();
    await expectTidy(page, 'org-settings-branch-zh');
  });

  it('lets a committee admin add a member category, in English', async () => {
    const page = await suite.open(suite.stack.demo.committeeAdmin, { locale: 'en' });
    await page.goto('/organisation/settings');
    const form = page.getByRole('form', { name: en.orgClasses.addCategoryHeading });
    await form.getByLabel(en.orgClasses.nameZh).fill('社区志愿者');
    await form.getByLabel(en.orgClasses.nameEn).fill('Community volunteer');
    await form.getByLabel(en.orgClasses.code).fill('volunteer');
    await form.getByRole('button', { name: en.orgClasses.add }).click();
    await statusWith(page, fillTemplate(en.orgClasses.categoryAdded, { name: 'Community volunteer' })).waitFor();
    await page.getByRole('table', { name: en.orgClasses.categoriesCaption }).getByText('volunteer', { exact: true }).waitFor();
    await expect(page.getByText(en.orgClasses.onlyCommittee).count()).resolves.toBe(0);
    await expectTidy(page, 'org-settings-committee-en');
  });
});

describe('positions on the member page', () => {
  it('appoints a secretary and ends the appointment, keeping it as a past position; lists the member’s classes', async () => {
    const [person]: Array<{ id: string; name: string }> = await suite.db.query(`SELECT id, name FROM users WHERE login = 'member10'`);
    const [group]: Array<{ id: string; name: string }> = await suite.db.query(
      `SELECT id, name FROM org_units WHERE path = 'committee/east/group-1'`,
    );
    const token = await suite.tokenOf(suite.stack.demo.branchAdmin);
    const made = await suite.api<{ id: string }>(token, 'POST', '/api/training-classes', {
      name: '党章学习班',
      startsOn: '2027-01-01',
      endsOn: '2027-02-28',
    });
    await suite.api(token, 'POST', `/api/training-classes/${made.id}/members`, { userIds: [person.id] });

    const page = await suite.open(suite.stack.demo.branchAdmin);
    await page.goto(`/organisation/members/${person.id}`);
    const panel = page.getByRole('region', { name: zh.orgClasses.positionsHeading, exact: true });
    await panel.getByText(zh.orgClasses.noCurrentPositions).waitFor();
    await page.getByRole('region', { name: zh.orgClasses.classesHeading }).getByRole('link', { name: '党章学习班' }).waitFor();

    await panel.getByRole('button', { name: zh.orgClasses.appoint, exact: true }).click();
    await panel.getByText(zh.orgClasses.chooseRequired).first().waitFor();
    await panel.getByLabel(zh.orgClasses.position, { exact: true }).selectOption('secretary');
    await panel.getByLabel(zh.orgClasses.positionUnit).selectOption(group.id);
    await panel.getByLabel(zh.orgClasses.startedOn).fill('2026-01-01');
    await panel.getByRole('button', { name: zh.orgClasses.appoint, exact: true }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.appointed, { position: '书记', unit: group.name })).waitFor();
    const endButton = panel.getByRole('button', { name: fillTemplate(zh.orgClasses.endLabel, { position: '书记', unit: group.name }) });
    await endButton.waitFor();
    const [held] = await suite.db.query(
      `SELECT id, to_char(started_on, 'YYYY-MM-DD') AS started FROM member_positions WHERE user_id = $1`,
      [person.id],
    );
    expect(held.started).toBe('2026-01-01');
    await expectTidy(page, 'org-member-positions-zh');

    // Appointing the same again while it is held is refused with the reason.
    expectConsoleErrors(/status of 409/);
    await panel.getByLabel(zh.orgClasses.position, { exact: true }).selectOption('secretary');
    await panel.getByLabel(zh.orgClasses.positionUnit).selectOption(group.id);
    await panel.getByRole('button', { name: zh.orgClasses.appoint, exact: true }).click();
    await panel.getByRole('alert').filter({ hasText: zh.orgClasses.alreadyHolds }).waitFor();

    await endButton.click();
    await panel.getByLabel(zh.orgClasses.endedOn).fill('2026-06-30');
    await panel.getByRole('button', { name: zh.orgClasses.endYes }).click();
    await statusWith(page, fillTemplate(zh.orgClasses.ended, { position: '书记', unit: group.name })).waitFor();
    await panel.getByRole('heading', { name: zh.orgClasses.pastPositions }).waitFor();
    await panel.getByText(zh.orgClasses.noCurrentPositions).waitFor();
    await expect(panel.getByText(zh.orgClasses.alreadyHolds).count()).resolves.toBe(0);
    expect(await suite.db.query(`SELECT to_char(ended_on, 'YYYY-MM-DD') AS ended FROM member_positions WHERE id = $1`, [held.id])).toEqual([
      { ended: '2026-06-30' },
    ]);
    await expectTidy(page, 'org-member-positions-ended-zh');
  });
});
