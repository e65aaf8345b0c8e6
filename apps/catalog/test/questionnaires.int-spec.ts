import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyQuestionnaireView, QuestionnaireQuestion, QuestionnaireSummary, QuestionnaireToFill, QuestionnaireView } from '#contracts';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { startWithBranchEditors } from './support/exam-rows.js';

let catalog: CatalogHarness;
let units: Record<string, string>;
let tokens: Record<string, string>;

// `member` is retired in committee/east/group-1; member07 is a retired west branch secretary; member06 (east/group-2) is on the job.
const LOGINS = ['editor', 'east-editor', 'west-editor', 'admin', 'east-admin', 'member', 'member07', 'member06'] as const;

beforeAll(async () => {
  ({ catalog, units, tokens } = await startWithBranchEditors(LOGINS));
}, 120_000);
afterAll(() => catalog.close());

const as = (login: string) => ({ Authorization: `Bearer ${tokens[login]}` });
const http = () => catalog.http();
const DAY = 86_400_000;
const SCRIPT = '<script>alert(1)</script>';

function form() {
  const want: QuestionnaireQuestion = {
    id: randomUUID(),
    kind: 'single',
    prompt: '您希望增加培训吗？',
    required: true,
    options: [
      { id: 'yes', label: '希望' },
      { id: 'no', label: '不需要' },
    ],
    scale: null,
    showIf: null,
  };
  const topics: QuestionnaireQuestion = {
    id: randomUUID(),
    kind: 'multiple',
    prompt: '哪些主题？',
    required: true,
    options: [
      { id: 'law', label: '法律' },
      { id: 'farm', label: '农业' },
      { id: 'other', label: '其他', other: true },
    ],
    scale: null,
    showIf: { questionId: want.id, optionIds: ['yes'] },
  };
  const rate: QuestionnaireQuestion = {
    id: randomUUID(),
    kind: 'rating',
    prompt: '您对目前的课程满意吗？',
    required: false,
    options: [],
    scale: { min: 1, max: 5, minLabel: '不满意', maxLabel: '很满意' },
    showIf: null,
  };
  const say: QuestionnaireQuestion = {
    id: randomUUID(),
    kind: 'text',
    prompt: '还有什么建议？',
    required: false,
    options: [],
    scale: null,
    showIf: null,
  };
  return { want, topics, rate, say, questions: [want, topics, rate, say] };
}

const body = (extra: Record<string, unknown> = {}) => ({
  title: '学习需求调查',
  intro: '请花两分钟告诉我们您的学习需求。',
  anonymous: false,
  opensAt: new Date(Date.now() - DAY).toISOString(),
  closesAt: new Date(Date.now() + 7 * DAY).toISOString(),
  audience: { unitIds: [units['committee/east']], categories: [], positions: [], classIds: [] },
  questions: form().questions,
  ...extra,
});

async function create(login: string, extra: Record<string, unknown> = {}): Promise<QuestionnaireView> {
  const answer = await http().post('/api/questionnaires').set(as(login)).send(body(extra));
  expect(answer.status).toBe(201);
  return answer.body as QuestionnaireView;
}
async function opened(login: string, extra: Record<string, unknown> = {}): Promise<QuestionnaireView> {
  const made = await create(login, extra);
  const answer = await http().post(`/api/questionnaires/${made.id}/open`).set(as(login));
  expect(answer.status).toBe(200);
  return answer.body as QuestionnaireView;
}
const mine = async (login: string) => {
  const answer = await http().get('/api/my/questionnaires').set(as(login));
  expect(answer.status).toBe(200);
  return answer.body as MyQuestionnaireView[];
};
const submit = (login: string, id: string, answers: object) =>
  http().post(`/api/my/questionnaires/${id}/submit`).set(as(login)).send({ answers });

describe('authoring', () => {
  it('refuses questions that break the rules, each with a message saying what to do', async () => {
    const { want, topics } = form();
    const later = { ...want, showIf: { questionId: topics.id, optionIds: ['law'] } };
    const answer = await http()
      .post('/api/questionnaires')
      .set(as('editor'))
      .send(
        body({
          title: 'x'.repeat(201),
          questions: [
            later,
            { ...topics, showIf: null, options: [topics.options[0], { ...topics.options[1], id: 'law' }, topics.options[2]] },
          ],
        }),
      );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/title.*at most 200 characters/);

    const rules = await http()
      .post('/api/questionnaires')
      .set(as('editor'))
      .send(
        body({
          questions: [
            later,
            { ...topics, showIf: null, options: [topics.options[0], { ...topics.options[1], id: 'law' }, topics.options[2]] },
          ],
          closesAt: new Date(Date.now() - 2 * DAY).toISOString(),
        }),
      );
    expect(rules.status).toBe(400);
    expect(rules.body.errors).toEqual([
      expect.stringMatching(/^closesAt: .*close after it opens/),
      expect.stringMatching(/^questions\[0\]: question 1: .*later question.*earlier one/),
      expect.stringMatching(/^questions\[1\]: question 2: two options have the same id/),
    ]);

    const noUnits = await http()
      .post('/api/questionnaires')
      .set(as('editor'))
      .send(body({ audience: { unitIds: [], categories: [], positions: [], classIds: [] } }));
    expect(noUnits.status).toBe(400);
    expect(noUnits.body.message).toMatch(/audience.unitIds: choose at least one unit/);
  });

  it('keeps an audience inside the author’s subtree and a questionnaire inside its owner’s', async () => {
    const outside = await http()
      .post('/api/questionnaires')
      .set(as('east-editor'))
      .send(body({ audience: { unitIds: [units['committee/west']], categories: [], positions: [], classIds: [] } }));
    expect(outside.status).toBe(400);
    expect(outside.body.message).toMatch(/not in your organisation/);

    const east = await create('east-editor', { title: '东区需求' });
    expect(east.ownerUnit.id).toBe(units['committee/east']);
    expect((await http().get(`/api/questionnaires/${east.id}`).set(as('west-editor'))).status).toBe(404);
    expect((await http().put(`/api/questionnaires/${east.id}`).set(as('west-editor')).send(body())).status).toBe(404);
    expect((await http().post(`/api/questionnaires/${east.id}/open`).set(as('west-editor'))).status).toBe(404);
    const titles = async (login: string) =>
      ((await http().get('/api/questionnaires').set(as(login))).body as QuestionnaireSummary[]).map((q) => q.id);
    expect(await titles('west-editor')).not.toContain(east.id);
    expect(await titles('east-admin')).toContain(east.id);
    expect(await titles('admin')).toContain(east.id);
    expect((await http().get('/api/questionnaires').set(as('member'))).status).toBe(403);
  });

  it('opens only with questions, and a draft questionnaire is not shown to members', async () => {
    const empty = await create('editor', { questions: [] });
    const open = await http().post(`/api/questionnaires/${empty.id}/open`).set(as('editor'));
    expect(open.status).toBe(400);
    expect(open.body.message).toMatch(/add at least one question/);
    const draft = await create('editor');
    expect((await mine('member')).map((q) => q.id)).not.toContain(draft.id);
    expect((await http().get(`/api/my/questionnaires/${draft.id}`).set(as('member'))).status).toBe(404);
  });

  it('stores <script> in every field as plain text', async () => {
    const { want, say } = form();
    const made = await opened('editor', {
      title: SCRIPT,
      intro: SCRIPT,
      questions: [
        {
          ...want,
          prompt: SCRIPT,
          options: [
            { id: 'yes', label: SCRIPT },
            { id: 'other', label: `${SCRIPT}!`, other: true },
          ],
        },
        { ...say, prompt: SCRIPT },
      ],
    });
    expect(made.title).toBe(SCRIPT);
    expect(made.intro).toBe(SCRIPT);
    expect(made.questions[0]).toMatchObject({ prompt: SCRIPT, options: [{ label: SCRIPT }, { label: `${SCRIPT}!`, other: true }] });
    const answer = await submit('member', made.id, { [want.id]: { optionIds: ['other'], otherText: SCRIPT }, [say.id]: { text: SCRIPT } });
    expect(answer.status).toBe(200);
    const [row] = await catalog.dataSource.query(
      `SELECT a.other_text, b.text FROM questionnaire_answers a JOIN questionnaire_answers b ON b.response_id = a.response_id
        WHERE a.question_id = $1 AND b.question_id = $2`,
      [want.id, say.id],
    );
    expect(row).toEqual({ other_text: SCRIPT, text: SCRIPT });
    const fill = (await http().get(`/api/my/questionnaires/${made.id}`).set(as('member'))).body as QuestionnaireToFill;
    expect(fill.title).toBe(SCRIPT);
  });
});

describe('filling in', () => {
  it('shows a questionnaire to its audience only: units, categories, positions', async () => {
    const retired = await opened('editor', {
      title: '离退休党员需求',
      audience: { unitIds: [units['committee']], categories: ['retired'], positions: [], classIds: [] },
    });
    const secretaries = await opened('editor', {
      title: '书记需求',
      audience: { unitIds: [units['committee']], categories: [], positions: ['secretary'], classIds: [] },
    });
    expect((await mine('member')).map((q) => q.id)).toContain(retired.id);
    expect((await mine('member')).map((q) => q.id)).not.toContain(secretaries.id);
    expect((await mine('member06')).map((q) => q.id)).not.toContain(retired.id);
    expect((await mine('member07')).map((q) => q.id)).toContain(secretaries.id);
    expect((await http().get(`/api/my/questionnaires/${retired.id}`).set(as('member06'))).status).toBe(404);
    expect((await submit('member06', retired.id, {})).status).toBe(404);
  });

  it('saves a draft to come back to, then takes one submission per member and deletes the draft', async () => {
    const { want, topics, rate, say, questions } = form();
    const made = await opened('editor', { questions });
    expect((await mine('member')).find((q) => q.id === made.id)).toMatchObject({ state: 'new', anonymous: false });

    const half = { [want.id]: { optionIds: ['yes'] } };
    const saved = await http().put(`/api/my/questionnaires/${made.id}/draft`).set(as('member')).send({ answers: half });
    expect(saved.status).toBe(200);
    expect((await mine('member')).find((q) => q.id === made.id)!.state).toBe('draft');
    const resumed = (await http().get(`/api/my/questionnaires/${made.id}`).set(as('member'))).body as QuestionnaireToFill;
    expect(resumed).toMatchObject({ state: 'draft', answers: half, open: true });
    expect(resumed.questions.map((q) => q.id)).toEqual(questions.map((q) => q.id));
    const stranger = await http()
      .put(`/api/my/questionnaires/${made.id}/draft`)
      .set(as('member'))
      .send({ answers: { [randomUUID()]: { text: '?' } } });
    expect(stranger.status).toBe(400);

    // The condition: yes shows the topics, which are required; a hidden question must stay empty.
    const missing = await submit('member', made.id, half);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/question 2: this question must be answered/);
    const hidden = await submit('member', made.id, { [want.id]: { optionIds: ['no'] }, [topics.id]: { optionIds: ['law'] } });
    expect(hidden.status).toBe(400);
    expect(hidden.body.message).toMatch(/question 2: this question is not asked given your earlier answers/);
    const other = await submit('member', made.id, { ...half, [topics.id]: { optionIds: ['other'] } });
    expect(other.body.message).toMatch(/you chose "other"/);
    const offScale = await submit('member', made.id, { ...half, [topics.id]: { optionIds: ['law'] }, [rate.id]: { rating: 9 } });
    expect(offScale.body.message).toMatch(/question 3: choose a point on the question’s scale/);

    const full = {
      ...half,
      [topics.id]: { optionIds: ['law', 'other'], otherText: '电子商务' },
      [rate.id]: { rating: 4 },
      [say.id]: { text: ' 多开晚上的课 ' },
    };
    expect((await submit('member', made.id, full)).status).toBe(200);
    expect((await mine('member')).find((q) => q.id === made.id)!.state).toBe('submitted');
    const again = await submit('member', made.id, full);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already answered this questionnaire\. Each member answers once/);
    expect((await http().put(`/api/my/questionnaires/${made.id}/draft`).set(as('member')).send({ answers: half })).status).toBe(409);

    const db = catalog.dataSource;
    expect(await db.query(`SELECT 1 FROM questionnaire_drafts WHERE questionnaire_id = $1`, [made.id])).toEqual([]);
    const [response] = await db.query(`SELECT * FROM questionnaire_responses WHERE questionnaire_id = $1`, [made.id]);
    expect(response).toMatchObject({ org_unit_id: units['committee/east/group-1'], category: 'retired' });
    expect(response.user_id).not.toBeNull();
    const answers = await db.query(
      `SELECT question_id, option_ids, other_text, rating, ranking, text FROM questionnaire_answers WHERE response_id = $1`,
      [response.id],
    );
    expect(answers).toHaveLength(4);
    expect(answers.find((a: { question_id: string }) => a.question_id === say.id).text).toBe('多开晚上的课');
    expect(answers.find((a: { question_id: string }) => a.question_id === topics.id)).toMatchObject({
      option_ids: ['law', 'other'],
      other_text: '电子商务',
    });
  });

  it('takes anonymous submissions that arrive together, each once', async () => {
    const { want, questions } = form();
    const made = await opened('editor', {
      anonymous: true,
      questions,
      audience: { unitIds: [units['committee']], categories: [], positions: [], classIds: [] },
    });
    const logins = ['member', 'member06', 'member07'];
    const answers = await Promise.all([...logins, 'member'].map((login) => submit(login, made.id, { [want.id]: { optionIds: ['no'] } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 409]);
    const [counts] = await catalog.dataSource.query(
      `SELECT (SELECT count(*)::int FROM questionnaire_respondents WHERE questionnaire_id = $1) AS respondents,
              (SELECT count(*)::int FROM questionnaire_responses WHERE questionnaire_id = $1 AND user_id IS NULL) AS responses`,
      [made.id],
    );
    expect(counts).toEqual({ respondents: 3, responses: 3 });
    for (const login of logins) expect((await mine(login)).find((q) => q.id === made.id)!.state).toBe('submitted');
  });

  it('fixes the questions and anonymity once someone responded, and keeps responses when archived', async () => {
    const { want, questions } = form();
    const made = await opened('editor', { questions });
    expect((await submit('member', made.id, { [want.id]: { optionIds: ['no'] } })).status).toBe(200);

    const changed = await http()
      .put(`/api/questionnaires/${made.id}`)
      .set(as('editor'))
      .send(body({ anonymous: true, questions: questions.slice(0, 2) }));
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(
      /1 member has already responded, so whether it is anonymous and its questions can no longer change/,
    );
    const retitled = await http()
      .put(`/api/questionnaires/${made.id}`)
      .set(as('editor'))
      .send(body({ title: '学习需求调查（延长）', questions }));
    expect(retitled.status).toBe(200);
    expect(retitled.body).toMatchObject({ title: '学习需求调查（延长）', respondentCount: 1 });

    const closed = await http().post(`/api/questionnaires/${made.id}/close`).set(as('editor'));
    expect(closed.body.status).toBe('closed');
    const late = await submit('member06', made.id, { [want.id]: { optionIds: ['no'] } });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/closed and takes no more answers/);
    expect((await http().get(`/api/my/questionnaires/${made.id}`).set(as('member06'))).body).toMatchObject({ open: false, state: 'new' });

    const archived = await http().post(`/api/questionnaires/${made.id}/archive`).set(as('editor'));
    expect(archived.body).toMatchObject({ status: 'archived', respondentCount: 1 });
    expect((await http().post(`/api/questionnaires/${made.id}/open`).set(as('editor'))).status).toBe(409);
    expect((await http().put(`/api/questionnaires/${made.id}`).set(as('editor')).send(body({ questions }))).status).toBe(409);
    const [{ n }] = await catalog.dataSource.query(`SELECT count(*)::int AS n FROM questionnaire_responses WHERE questionnaire_id = $1`, [
      made.id,
    ]);
    expect(n).toBe(1);
    await expect(catalog.dataSource.query(`DELETE FROM questionnaire_responses WHERE questionnaire_id = $1`, [made.id])).rejects.toThrow(
      /rows are kept/,
    );
    expect((await mine('member')).map((q) => q.id)).not.toContain(made.id);
    expect((await http().get('/api/questionnaires?status=archived').set(as('editor'))).body.map((q: { id: string }) => q.id)).toContain(
      made.id,
    );
  });

  it('replaces the questions freely before anyone answers, keeping the drafts’ answers to those that remain', async () => {
    const { want, rate, questions } = form();
    const made = await opened('editor', { questions });
    await http()
      .put(`/api/my/questionnaires/${made.id}/draft`)
      .set(as('member'))
      .send({ answers: { [want.id]: { optionIds: ['no'] }, [rate.id]: { rating: 2 } } });
    const fewer = await http()
      .put(`/api/questionnaires/${made.id}`)
      .set(as('editor'))
      .send(body({ questions: [want] }));
    expect(fewer.status).toBe(200);
    expect(fewer.body.questions).toHaveLength(1);
    const resumed = (await http().get(`/api/my/questionnaires/${made.id}`).set(as('member'))).body as QuestionnaireToFill;
    expect(resumed.answers).toEqual({ [want.id]: { optionIds: ['no'] } });
  });
});
