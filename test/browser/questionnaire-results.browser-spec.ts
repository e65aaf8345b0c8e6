import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  createQuestionnaire,
  membersUnder,
  respond,
  type SeededQuestionnaire,
} from '../../apps/catalog/test/support/questionnaire-responses.js';
import { browserSuite, expectTidy, fillTemplate, messagesOf, phone, type Locale } from '../support/browser-suite.js';

jest.setTimeout(90_000);

/** The committee admin reads an anonymous questionnaire's results by member category on a phone, in both languages. */
const suite = browserSuite({ services: ['catalog', 'web'] });
const title = '2027 年学习需求调查';
let questionnaire: SeededQuestionnaire;

beforeAll(async () => {
  questionnaire = await createQuestionnaire(suite.db, { title, anonymous: true });
  // Everyone but two of east group 1 answers (every unit keeps five or more); a few write what else they want to learn.
  const members = await membersUnder(suite.db, 'committee');
  const absent = (await membersUnder(suite.db, 'committee/east/group-1')).slice(0, 2).map((m) => m.login);
  for (const [i, m] of members.filter((m) => !absent.includes(m.login)).entries()) {
    await respond(
      suite.db,
      questionnaire,
      m.login,
      {
        want: (['yes', 'yes', 'no', 'other'] as const)[i % 4]!,
        other: '想学电商直播',
        rating: (i % 5) + 1,
        topics: i % 2 ? ['tech', 'policy', 'history'] : ['policy', 'tech', 'history'],
        ...(i % 3 === 0 ? { wish: i === 0 ? '<script>alert(1)</script> 农村电商补贴怎么申请' : `希望多讲实用技术 ${i}` } : {}),
      },
      true,
    );
  }
}, 180_000);

describe.each<Locale>(['zh-CN', 'en'])('questionnaire results at phone width (%s)', (locale) => {
  const m = messagesOf(locale).questionnaireResults;

  it('shows each question as a chart, the groups by member category, and the written answers', async () => {
    const page = await suite.open(suite.stack.demo.committeeAdmin, { locale, viewport: phone });
    await page.goto(`/voice/questionnaires/${questionnaire.id}/results`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await page.getByRole('radio', { name: m.byCategory }).isChecked()).toBe(true);
    const groups = page.getByRole('table', { name: m.groupsCaption });
    await groups.getByRole('rowheader', { name: locale === 'en' ? 'Retired' : '离退休' }).waitFor();
    await groups.getByRole('rowheader', { name: locale === 'en' ? 'Rural' : '农村' }).waitFor();
    // One chart per question with a figure to read out; the rating's average in words.
    await page.getByRole('img', { name: new RegExp(fillTemplate(m.question, { n: 1 })) }).waitFor();
    await page.getByRole('img', { name: new RegExp(fillTemplate(m.question, { n: 3 })) }).waitFor();
    // Written answers are text, never markup.
    await page.getByText('<script>alert(1)</script> 农村电商补贴怎么申请').waitFor();
    expect(await page.locator('script:text("alert(1)")').count()).toBe(0);
    await page.getByRole('heading', { level: 3, name: m.written.title }).waitFor();
    await expectTidy(page, `questionnaire-results-${locale}-phone`);

    // The units below, each of five or more respondents, with a link into each.
    await page.getByRole('radio', { name: m.byUnit }).check();
    await groups.getByRole('rowheader', { name: '东区分会' }).waitFor();
    await groups.getByRole('button', { name: new RegExp(`${m.open}.*东区分会`) }).waitFor();
    await expectTidy(page);
  });
});

describe('responses', () => {
  it('lists who has not answered with the contact there is, and reminds them in the app', async () => {
    const m = messagesOf('zh-CN').questionnaireResults.rates;
    const page = await suite.open(suite.stack.demo.committeeAdmin, { locale: 'zh-CN', viewport: phone });
    await page.goto(`/voice/questionnaires/${questionnaire.id}/responses`);
    await page.getByRole('heading', { level: 2, name: m.pendingTitle }).waitFor();
    await page.getByText(m.pendingHint).waitFor();
    const pending = page.getByRole('table', { name: m.pendingCaption });
    // Two east members and the editor (in the committee's audience) have not answered.
    await page.getByText(fillTemplate(m.total, { n: 3 })).waitFor();
    expect(await pending.getByRole('row').count()).toBe(4);
    await page.getByRole('button', { name: m.remind }).click();
    await page.getByRole('button', { name: m.confirm }).click();
    await page.getByText(fillTemplate(m.reminded, { n: 3 })).waitFor();
    const [{ n }] = await suite.db.query(`SELECT count(*)::int AS n FROM member_notices WHERE kind = 'questionnaire.reminder'`);
    expect(n).toBe(3);
    await expectTidy(page, 'questionnaire-responses-zh-phone');
  });
});
