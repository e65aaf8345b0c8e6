import { describe, expect, it, jest } from '@jest/globals';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { browserSuite, desktop, expectTidy, fillTemplate, messagesOf, phone } from '../support/browser-suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ services: ['catalog', 'web'] });
// `member` and member10 are members of east group 1.
const editor = { login: 'editor', password: DEMO_PASSWORD };
const member = { login: 'member', password: DEMO_PASSWORD };
const neighbour = { login: 'member10', password: DEMO_PASSWORD };
const title = '2027 年学习需求调查';

describe('a questionnaire with a condition is written, half filled on a phone, resumed and submitted', () => {
  it('walks the editor and two members through it in both languages', async () => {
    const en = messagesOf('en').questionnaires;
    const zh = messagesOf('zh-CN').questionnaires;
    const examEn = messagesOf('en').examEditor;

    // The editor writes it in English at a desk: a question, a second shown only for "Yes", and free text.
    const desk = await suite.open(editor, { locale: 'en', viewport: desktop });
    await desk.goto('/voice/questionnaires');
    await desk.getByRole('heading', { level: 1, name: en.title }).waitFor();
    await desk.getByRole('link', { name: en.list.new }).click();
    await desk.getByRole('heading', { level: 1, name: en.edit.newTitle }).waitFor();
    await desk.getByLabel(en.edit.titleLabel).fill(title);
    await desk.getByLabel(en.edit.introLabel).fill('两分钟，告诉我们您想学什么。');
    await desk.getByLabel(en.edit.anonymous).check();
    await desk.getByRole('group', { name: examEn.exam.units }).getByLabel('东区第一小组').check();

    const question = (n: number) => desk.getByRole('article', { name: fillTemplate(en.edit.question, { n }), exact: true });
    const add = (kind: keyof typeof en.kinds) =>
      desk.getByRole('button', { name: fillTemplate(en.edit.add, { kind: en.kinds[kind] }) }).click();
    await add('single');
    await question(1).getByLabel(en.edit.prompt, { exact: true }).fill('您希望增加培训吗？');
    await question(1).getByLabel(en.edit.required).check();
    await question(1)
      .getByLabel(fillTemplate(en.edit.option, { n: 1 }), { exact: true })
      .fill('希望');
    await question(1)
      .getByLabel(fillTemplate(en.edit.option, { n: 2 }), { exact: true })
      .fill('不需要');
    await add('multiple');
    await question(2).getByLabel(en.edit.prompt, { exact: true }).fill('您想学哪些主题？');
    await question(2)
      .getByLabel(fillTemplate(en.edit.option, { n: 1 }), { exact: true })
      .fill('法律法规');
    await question(2)
      .getByLabel(fillTemplate(en.edit.option, { n: 2 }), { exact: true })
      .fill('农村电商');
    await question(2).getByRole('button', { name: en.edit.addOther }).click();
    await question(2).getByRole('combobox', { name: en.edit.condition }).selectOption({ index: 1 });
    await question(2).getByLabel('希望', { exact: true }).check();
    await add('text');
    await question(3).getByLabel(en.edit.prompt, { exact: true }).fill('还有什么建议？');
    await desk.getByRole('button', { name: en.edit.save }).click();
    await desk.waitForURL(/\/voice\/questionnaires\/[0-9a-f-]{36}$/);
    await desk.getByRole('heading', { level: 1, name: en.edit.editTitle }).waitFor();
    await desk.getByRole('button', { name: en.edit.open }).click();
    await desk.getByRole('status').filter({ hasText: en.edit.opened }).waitFor();
    await expectTidy(desk, 'questionnaire-edit-en-desktop');
    const id = new URL(desk.url()).pathname.split('/').pop()!;

    // The member finds it on a phone, in Chinese: only the unconditional questions at first.
    const phonePage = await suite.open(member, { locale: 'zh-CN', viewport: phone });
    await phonePage.goto('/participate');
    const panel = phonePage.getByRole('region', { name: zh.panel.title });
    await panel.getByRole('link', { name: new RegExp(title) }).click();
    await phonePage.getByRole('heading', { level: 1, name: title }).waitFor();
    await phonePage.getByText(zh.fill.anonymous).waitFor();
    const topics = phonePage.getByRole('heading', { name: '您想学哪些主题？' });
    expect(await topics.count()).toBe(0);
    await phonePage.getByRole('radio', { name: '希望' }).check();
    await topics.waitFor();
    await phonePage.getByRole('checkbox', { name: '法律法规' }).check();
    await phonePage.getByRole('button', { name: zh.fill.save }).click();
    await phonePage.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await expectTidy(phonePage, 'questionnaire-half-zh-phone');

    // They leave, come back later, and carry on where they stopped.
    await phonePage.goto('/participate');
    await panel.getByText(zh.panel.state.draft).waitFor();
    await panel.getByRole('link', { name: new RegExp(title) }).click();
    await phonePage.getByRole('status').filter({ hasText: '已恢复' }).waitFor();
    expect(await phonePage.getByRole('radio', { name: '希望' }).isChecked()).toBe(true);
    expect(await phonePage.getByRole('checkbox', { name: '法律法规' }).isChecked()).toBe(true);
    await phonePage.getByRole('checkbox', { name: en.edit.otherLabel }).check();
    await phonePage.getByRole('button', { name: zh.fill.submit }).click();
    await phonePage
      .getByRole('alert')
      .filter({ hasText: fillTemplate(zh.fill.fixFirst_other, { count: 1 }) })
      .waitFor();
    await phonePage.getByText(zh.fill.problems.other_text_missing).waitFor();
    await phonePage.getByLabel(fillTemplate(zh.fill.otherPrompt, { label: en.edit.otherLabel })).fill('手机上怎么缴党费');
    await phonePage.getByRole('textbox', { name: '还有什么建议？' }).fill('<script>alert(1)</script> 希望晚上上课');
    await phonePage.getByRole('button', { name: zh.fill.submit }).click();
    await phonePage.getByRole('heading', { name: zh.fill.thanks }).waitFor();
    await phonePage.getByText(zh.fill.thanksAnonymous).waitFor();
    await expectTidy(phonePage, 'questionnaire-thanks-zh-phone');

    // A second member sees it in English on a phone, told plainly that it is anonymous.
    const other = await suite.open(neighbour, { locale: 'en', viewport: phone });
    await other.goto('/participate');
    await other.getByRole('region', { name: en.panel.title }).getByText(en.panel.state.new).waitFor();
    await other.goto(`/questionnaires/${id}`);
    await other.getByText(en.fill.anonymous).waitFor();
    await expectTidy(other, 'questionnaire-fill-en-phone');
    await checkStored(id);

    // The editor's list and the locked editor, in Chinese on a phone.
    const pocket = await suite.open(editor, { locale: 'zh-CN', viewport: phone });
    await pocket.goto('/voice/questionnaires');
    const row = pocket.getByRole('listitem').filter({ has: pocket.getByRole('heading', { name: title }) });
    await row.getByText(fillTemplate(zh.list.respondents_other, { count: 1 })).waitFor();
    await expectTidy(pocket, 'questionnaire-list-zh-phone');
    await row.getByRole('link', { name: zh.list.edit }).click();
    await pocket.getByText(fillTemplate(zh.edit.questionsLocked_other, { count: 1 })).waitFor();
    expect(await pocket.getByLabel(zh.edit.anonymous).isDisabled()).toBe(true);
    await expectTidy(pocket, 'questionnaire-edit-zh-phone');
  });
});

/** One response with no member and no time, one respondent, no draft left, and the text kept as typed. */
async function checkStored(id: string) {
  const [row] = await suite.db.query(
    `SELECT (SELECT count(*)::int FROM questionnaire_respondents WHERE questionnaire_id = $1) AS respondents,
            (SELECT count(*)::int FROM questionnaire_drafts WHERE questionnaire_id = $1) AS drafts,
            (SELECT count(*)::int FROM questionnaire_responses WHERE questionnaire_id = $1 AND user_id IS NULL AND submitted_at IS NULL) AS anonymous,
            (SELECT a.text FROM questionnaire_answers a JOIN questionnaire_responses r ON r.id = a.response_id
              WHERE r.questionnaire_id = $1 AND a.text IS NOT NULL) AS text`,
    [id],
  );
  expect(row).toEqual({ respondents: 1, drafts: 0, anonymous: 1, text: '<script>alert(1)</script> 希望晚上上课' });
}
