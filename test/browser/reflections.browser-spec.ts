import { describe, expect, it, jest } from '@jest/globals';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { browserSuite, desktop, expectTidy, fillTemplate, messagesOf, phone } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
// member11 is a member of east group 2, member06 its group leader, member05 the east branch secretary.
const author = { login: 'member11', password: DEMO_PASSWORD };
const leader = { login: 'member06', password: DEMO_PASSWORD };
const secretary = { login: 'member05', password: DEMO_PASSWORD };
const title = '学习《社区治理》的体会';
const firstDraft = '这门课让我明白了议事会的作用。\n我准备在楼栋里试一试。';
const comment = '请结合您所在楼栋的一件实事，写得具体一些。';
const revised = `${firstDraft}\n上个月我们楼栋用议事会解决了停车问题：先收集意见，再协商，最后公示。`;

describe('a reflection is written on a phone, returned, revised and accepted', () => {
  it('walks the member, the group leader and the secretary through it in both languages', async () => {
    const zh = messagesOf('zh-CN').reflections;
    const en = messagesOf('en').reflections;

    // The member writes on a phone, in Chinese.
    const member = await suite.open(author, { locale: 'zh-CN', viewport: phone });
    await member.goto('/reflections');
    await member.getByRole('heading', { level: 1, name: zh.mine.title }).waitFor();
    await member.getByRole('link', { name: zh.mine.write }).click();
    await member.getByRole('heading', { level: 1, name: zh.edit.newTitle }).waitFor();
    await member.getByLabel(zh.edit.titleLabel).fill(title);
    const body = member.getByLabel(zh.edit.bodyLabel);
    await body.fill(firstDraft);
    await member.getByText(fillTemplate(zh.edit.counter, { count: firstDraft.length, max: 5000 })).waitFor();
    // The draft saves itself once typing stops, and the address then names it.
    await member.getByText(zh.edit.saved.split('{{')[0]!).waitFor();
    await member.waitForURL(/\/reflections\/[0-9a-f-]{36}$/);
    await expectTidy(member, 'reflection-write-zh-phone');
    await member.getByRole('button', { name: zh.edit.submit }).click();
    await member.getByRole('status').filter({ hasText: zh.edit.submitted }).waitFor();
    await member.waitForURL(/\/reflections\/[0-9a-f-]{36}$/);
    const id = new URL(member.url()).pathname.split('/').pop()!;

    // The group leader returns it with a comment, in English on a phone.
    const groupLeader = await suite.open(leader, { locale: 'en', viewport: phone });
    await groupLeader.goto('/review/reflections');
    await groupLeader.getByRole('heading', { level: 1, name: en.queue.title }).waitFor();
    await groupLeader.getByRole('link', { name: title }).click();
    await groupLeader.getByRole('heading', { level: 1, name: en.review.title }).waitFor();
    expect(await groupLeader.locator('.panel .reflection-text').innerText()).toBe(firstDraft);
    await groupLeader.getByRole('radio', { name: en.verdict.returned }).check();
    await groupLeader.getByRole('button', { name: en.review.send }).click();
    await groupLeader.getByRole('alert').filter({ hasText: en.review.commentNeeded }).waitFor();
    await groupLeader.getByLabel(en.review.commentLabel).fill(comment);
    await groupLeader.getByRole('button', { name: en.review.send }).click();
    await groupLeader
      .getByRole('status')
      .filter({ hasText: fillTemplate(en.review.done, { verdict: en.status.returned }) })
      .waitFor();
    await expectTidy(groupLeader, 'reflection-review-en-phone');

    // The member reads the comment, revises and sends it again.
    await member.goto(`/reflections/${id}`);
    await member.getByText(zh.edit.returnedNotice).waitFor();
    await member.getByText(fillTemplate(zh.edit.comment, { comment })).first().waitFor();
    await body.fill(revised);
    await member.getByRole('button', { name: zh.edit.resubmit }).click();
    await member.getByRole('status').filter({ hasText: zh.edit.submitted }).waitFor();
    await member.getByRole('heading', { level: 3, name: /第 1 次提交/ }).waitFor();
    await expectTidy(member, 'reflection-resubmitted-zh-phone');

    // The branch secretary accepts the revised version as excellent, in Chinese at a desk.
    const branchSecretary = await suite.open(secretary, { locale: 'zh-CN', viewport: desktop });
    await branchSecretary.goto(`/review/reflections/${id}`);
    await branchSecretary.getByRole('heading', { level: 1, name: zh.review.title }).waitFor();
    expect(await branchSecretary.locator('.panel .reflection-text').innerText()).toBe(revised);
    await branchSecretary.getByRole('radio', { name: zh.verdict.excellent }).check();
    await branchSecretary.getByRole('button', { name: zh.review.send }).click();
    await branchSecretary
      .getByRole('status')
      .filter({ hasText: fillTemplate(zh.review.done, { verdict: zh.status.excellent }) })
      .waitFor();
    await expectTidy(branchSecretary, 'reflection-accepted-zh-desktop');

    const [row] = await suite.db.query(
      `SELECT r.status, r.accepted_at IS NOT NULL AS accepted, r.body, (SELECT count(*)::int FROM reflection_versions v WHERE v.reflection_id = r.id) AS versions
         FROM reflections r WHERE r.id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'excellent', accepted: true, body: revised, versions: 2 });

    // The author agrees to show it; the list shows it accepted; the author reviews nobody.
    await member.goto(`/reflections/${id}`);
    await member.getByRole('button', { name: zh.edit.consentGive }).click();
    await member.getByRole('status').filter({ hasText: zh.edit.consentGiven }).waitFor();
    await member.goto('/reflections');
    await member.getByRole('listitem').filter({ hasText: title }).getByText(zh.status.excellent).waitFor();
    await expectTidy(member, 'reflections-mine-zh-phone');
    await member.goto('/review/reflections');
    await member.getByText(zh.queue.none).waitFor();

    // The branch admin puts it on the branch's wall, in English on a phone, and the report counts it.
    const admin = await suite.open(suite.stack.demo.branchAdmin, { locale: 'en', viewport: phone });
    await admin.goto(`/review/reflections/${id}`);
    await admin.getByRole('button', { name: en.review.publish }).click();
    await admin.getByRole('status').filter({ hasText: en.review.published }).waitFor();
    await member.goto('/reflections/wall');
    const card = member.getByRole('article', { name: title });
    expect(await card.locator('.reflection-text').innerText()).toBe(revised);
    await expectTidy(member, 'reflections-wall-zh-phone');

    await admin.goto('/reports/reflections');
    await admin.getByRole('heading', { level: 1, name: en.report.title }).waitFor();
    const branch = admin.locator('tr[data-unit-path="committee/east"]');
    await branch.waitFor();
    // Unit, path, sent 1, reviews 2, accepted 1, returned 1, waiting 0.
    expect((await branch.locator('th, td').allInnerTexts()).slice(2, 7)).toEqual(['1', '2', '1', '1', '0']);
    await expectTidy(admin, 'reflections-report-en-phone');
  });
});
