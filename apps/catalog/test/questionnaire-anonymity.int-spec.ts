import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QuestionnaireToFill } from '#contracts';
import { DEMO_PASSWORD } from '../src/seed/demo-organisation.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

/**
 * Tries, as hard as someone holding the database could with SQL, to tell who gave which answers to an
 * anonymous questionnaire, and fails. Five members of one unit and one category answer, each with an answer
 * only they gave (the truth the attacks are scored against), submitting in the reverse of their id order
 * after each saved a draft.
 */
let catalog: CatalogHarness;
let questionnaireId: string;
const members: Array<{ id: string; login: string; token: string; marker: string }> = [];
const RATING = randomUUID();
const SAY = randomUUID();
const TABLES = ['questionnaire_respondents', 'questionnaire_responses', 'questionnaire_answers'];

const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  catalog = await startCatalog();
  const admin = await catalog.tokenFor('admin');
  const [{ id: village }] = await q(`SELECT id FROM org_units WHERE path = 'committee/north/village-1'`);
  for (const n of [1, 2, 3, 4, 5]) {
    const login = `anon-${n}`;
    const made = await catalog
      .http()
      .post('/api/members')
      .set(as(admin))
      .send({ login, name: `匿名测试${n}`, role: 'member', orgUnitId: village, category: 'rural', password: DEMO_PASSWORD });
    expect(made.status).toBe(201);
    const [{ id }] = await q(`SELECT id FROM users WHERE login = $1`, [login]);
    members.push({ id, login, token: await catalog.tokenFor(login), marker: `只有${login}这样回答` });
  }
  const editor = await catalog.tokenFor('editor');
  const created = await catalog
    .http()
    .post('/api/questionnaires')
    .set(as(editor))
    .send({
      title: '匿名学习需求调查',
      intro: '',
      anonymous: true,
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      audience: { unitIds: [village], categories: ['rural'], positions: [], classIds: [] },
      questions: [
        {
          id: RATING,
          kind: 'rating',
          prompt: '满意度',
          required: true,
          options: [],
          scale: { min: 1, max: 5, minLabel: '', maxLabel: '' },
        },
        { id: SAY, kind: 'text', prompt: '建议', required: true, options: [] },
      ],
    });
  expect(created.status).toBe(201);
  questionnaireId = created.body.id;
  expect((await catalog.http().post(`/api/questionnaires/${questionnaireId}/open`).set(as(editor))).status).toBe(200);

  // Everyone saves a draft first, then they submit in the reverse of their id order.
  const answersOf = (m: (typeof members)[number]) => ({ [RATING]: { rating: members.indexOf(m) + 1 }, [SAY]: { text: m.marker } });
  for (const m of members) {
    const saved = await catalog
      .http()
      .put(`/api/my/questionnaires/${questionnaireId}/draft`)
      .set(as(m.token))
      .send({ answers: answersOf(m) });
    expect(saved.status).toBe(200);
  }
  for (const m of [...members].sort((a, b) => b.id.localeCompare(a.id))) {
    const sent = await catalog
      .http()
      .post(`/api/my/questionnaires/${questionnaireId}/submit`)
      .set(as(m.token))
      .send({ answers: answersOf(m) });
    expect([sent.status, sent.body.message]).toEqual([200, undefined]);
  }
}, 120_000);
afterAll(() => catalog.close());

/** Each response's id with the member whose answer it really holds (known to the test only by the markers). */
async function truth(): Promise<Map<string, string>> {
  const rows: Array<{ response_id: string; text: string }> = await q(
    `SELECT response_id, text FROM questionnaire_answers WHERE question_id = $1`,
    [SAY],
  );
  return new Map(rows.map((r) => [r.response_id, members.find((m) => m.marker === r.text)!.id]));
}

/** How many responses a pairing of respondents (in some order) with responses (in some order) gets right. */
async function scorePairing(respondentOrder: string[], responseOrder: string[]): Promise<number> {
  const real = await truth();
  return responseOrder.filter((responseId, i) => real.get(responseId) === respondentOrder[i]).length;
}

describe('an anonymous questionnaire', () => {
  it('records that all five responded, once each, and holds their five responses', async () => {
    const respondents = await q(`SELECT user_id FROM questionnaire_respondents WHERE questionnaire_id = $1`, [questionnaireId]);
    expect(respondents.map((r: { user_id: string }) => r.user_id).sort()).toEqual(members.map((m) => m.id).sort());
    expect((await truth()).size).toBe(5);
    const fill = (await catalog.http().get(`/api/my/questionnaires/${questionnaireId}`).set(as(members[0]!.token)))
      .body as QuestionnaireToFill;
    expect(fill).toMatchObject({ state: 'submitted', answers: {}, savedAt: null });
  });

  it('keeps no member on a response, and no time on a response or a respondent', async () => {
    const responses = await q(`SELECT * FROM questionnaire_responses WHERE questionnaire_id = $1`, [questionnaireId]);
    expect(responses).toHaveLength(5);
    for (const r of responses) expect(r).toMatchObject({ user_id: null, submitted_at: null });
    // Every date or time column of the three tables, whatever it is called, is empty for this questionnaire.
    const timeColumns: Array<{ table_name: string; column_name: string }> = await q(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_name = ANY($1) AND (data_type LIKE 'timestamp%' OR data_type IN ('date', 'time without time zone', 'interval'))`,
      [TABLES],
    );
    expect(timeColumns.length).toBeGreaterThan(0);
    for (const { table_name, column_name } of timeColumns) {
      const scope =
        table_name === 'questionnaire_answers'
          ? `response_id IN (SELECT id FROM questionnaire_responses WHERE questionnaire_id = $1)`
          : `questionnaire_id = $1`;
      const [{ n }] = await q(`SELECT count(${column_name})::int AS n FROM ${table_name} WHERE ${scope}`, [questionnaireId]);
      expect({ table_name, column_name, n }).toEqual({ table_name, column_name, n: 0 });
    }
  });

  it('shares no column with the respondents that tells one member from another', async () => {
    const columns = async (table: string) =>
      (await q(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table])).map(
        (c: { column_name: string }) => c.column_name,
      ) as string[];
    const respondentColumns = await columns('questionnaire_respondents');
    const shared = (await columns('questionnaire_responses')).filter((c) => respondentColumns.includes(c));
    expect(shared.sort()).toEqual(['questionnaire_id', 'user_id']);
    const responses: string[] = (await q(`SELECT id FROM questionnaire_responses WHERE questionnaire_id = $1`, [questionnaireId])).map(
      (r: { id: string }) => r.id,
    );
    for (const column of shared) {
      // For each response, the respondents it could belong to by this column: all five, or none.
      const candidates: Array<{ id: string; n: number }> = await q(
        `SELECT s.id, count(r.user_id)::int AS n FROM questionnaire_responses s
           LEFT JOIN questionnaire_respondents r ON r.questionnaire_id = $1 AND r.${column} = s.${column}
          WHERE s.questionnaire_id = $1 GROUP BY s.id`,
        [questionnaireId],
      );
      expect(candidates.map((c) => c.id).sort()).toEqual([...responses].sort());
      for (const c of candidates) expect([0, 5]).toContain(c.n);
    }
    // Through the members' own unit and category, which a response keeps for breakdowns: still all five.
    const byGroup: Array<{ n: number }> = await q(
      `SELECT count(u.id)::int AS n FROM questionnaire_responses s
         JOIN questionnaire_respondents r ON r.questionnaire_id = s.questionnaire_id
         JOIN users u ON u.id = r.user_id AND u.org_unit_id = s.org_unit_id AND u.category = s.category
        WHERE s.questionnaire_id = $1 GROUP BY s.id`,
      [questionnaireId],
    );
    expect(byGroup.map((g) => g.n)).toEqual([5, 5, 5, 5, 5]);
  });

  it('has no sequence to order by, and response ids are random', async () => {
    const ordered = await q(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_name = ANY($1) AND (column_default LIKE 'nextval%' OR is_identity = 'YES')`,
      [TABLES],
    );
    expect(ordered).toEqual([]);
    const ids: string[] = (await q(`SELECT id::text FROM questionnaire_responses WHERE questionnaire_id = $1`, [questionnaireId])).map(
      (r: { id: string }) => r.id,
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lets neither physical order nor transaction ids pair respondents with responses', async () => {
    const respondents: Array<{ user_id: string; xmin: string }> = await q(
      `SELECT user_id, xmin::text AS xmin FROM questionnaire_respondents WHERE questionnaire_id = $1 ORDER BY ctid`,
      [questionnaireId],
    );
    const responses: Array<{ id: string; xmin: string }> = await q(
      `SELECT id, xmin::text AS xmin FROM questionnaire_responses WHERE questionnaire_id = $1 ORDER BY ctid`,
      [questionnaireId],
    );
    const submissionOrder = members.map((m) => m.id).sort((a, b) => b.localeCompare(a));
    // The responses do lie in the order they came, each written by its own transaction ...
    const real = await truth();
    expect(responses.map((r) => real.get(r.id))).toEqual(submissionOrder);
    expect(new Set(responses.map((r) => r.xmin)).size).toBe(5);
    // ... but the respondents were all written again by the last submission, in member-id order, so they carry
    // one transaction id between them and their physical order is their id order, not the order they came in.
    expect(new Set(respondents.map((r) => r.xmin)).size).toBe(1);
    expect(respondents.map((r) => r.user_id)).toEqual([...submissionOrder].reverse());
    // So pairing the two by physical order gets right only what chance does (here, the middle one).
    expect(
      await scorePairing(
        respondents.map((r) => r.user_id),
        responses.map((r) => r.id),
      ),
    ).toBe(1);
    // And by transaction id every respondent ties with every response or with none.
    const tied = responses.filter((s) => respondents.some((r) => r.xmin === s.xmin));
    expect(tied.length).toBeLessThanOrEqual(1);
  });

  it('keeps no draft once submitted', async () => {
    expect(await q(`SELECT * FROM questionnaire_drafts WHERE questionnaire_id = $1`, [questionnaireId])).toEqual([]);
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM questionnaire_drafts WHERE answers::text LIKE '%只有anon-%'`);
    expect(n).toBe(0);
  });

  it('refuses, even from raw SQL, a member or a time on a response, a time on a respondent, and a change of anonymity', async () => {
    const [{ id: responseId, org_unit_id: unit }] = await q(
      `SELECT id, org_unit_id FROM questionnaire_responses WHERE questionnaire_id = $1 LIMIT 1`,
      [questionnaireId],
    );
    const who = members[0]!.id;
    await expect(
      q(`INSERT INTO questionnaire_responses (questionnaire_id, org_unit_id, user_id, submitted_at) VALUES ($1, $2, $3, now())`, [
        questionnaireId,
        unit,
        who,
      ]),
    ).rejects.toThrow(/is anonymous: a response keeps no member and no time/);
    await expect(
      q(`UPDATE questionnaire_responses SET user_id = $2, submitted_at = now() WHERE id = $1`, [responseId, who]),
    ).rejects.toThrow(/is anonymous/);
    await expect(
      q(`UPDATE questionnaire_respondents SET responded_at = now() WHERE questionnaire_id = $1`, [questionnaireId]),
    ).rejects.toThrow(/is anonymous: a respondent keeps no time/);
    await expect(q(`UPDATE questionnaires SET anonymous = false WHERE id = $1`, [questionnaireId])).rejects.toThrow(
      /whether it is anonymous can no longer change/,
    );
    await expect(q(`DELETE FROM questionnaire_respondents WHERE questionnaire_id = $1`, [questionnaireId])).rejects.toThrow(
      /rows are kept/,
    );
    await expect(q(`DELETE FROM questionnaire_answers WHERE response_id = $1`, [responseId])).rejects.toThrow(/rows are kept/);
  });
});
