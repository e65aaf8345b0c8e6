import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { NonRespondentPage, QuestionnaireResults, ResponseRates, TextAnswerPage } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import {
  createQuestionnaire,
  membersUnder,
  respond,
  type SeedAnswer,
  type SeededQuestionnaire,
} from './support/questionnaire-responses.js';

/**
 * Results over the caller's subtree: right figures, the small-group rule (and what a total would otherwise
 * tell), files equal to the screen, written answers of an anonymous questionnaire that lead to nobody, and
 * reminders to those who have not answered.
 *
 * Who responds to the anonymous questionnaire: all of east (group 1: 7, group 2: 5), all six of west group 1,
 * three of west group 2, five of the six of north: 26 of 30.
 */

let catalog: CatalogHarness;
let admin: string;
let eastAdmin: string;
let editor: string;
let anon: SeededQuestionnaire;
let named: SeededQuestionnaire;
const seeded = new Map<string, SeedAnswer & { unitPath: string; category: string | null }>();
let nonRespondents: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

const get = async <T>(path: string, token: string, status = 200): Promise<T> => {
  const answer = await catalog.http().get(path).set(as(token));
  expect({ path, status: answer.status, body: answer.status === status ? null : answer.body }).toEqual({ path, status, body: null });
  return answer.body as T;
};

const download = (path: string, token: string) =>
  catalog
    .http()
    .get(path)
    .set(as(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

async function csvOf(path: string, token: string): Promise<string[][]> {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  return parse((answer.body as Buffer).toString('utf8').replace(/^\ufeff/, '')) as string[][];
}

async function xlsxOf(path: string, token: string): Promise<string[][]> {
  const answer = await download(path, token);
  expect(answer.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(answer.body);
  const sheet = book.worksheets[0]!;
  const width = sheet.getRow(1).cellCount;
  return Array.from({ length: sheet.rowCount }, (_, r) => Array.from({ length: width }, (_, c) => sheet.getRow(r + 1).getCell(c + 1).text));
}

/** The screen's rows as the files' text: each column's label, then each item's cells. */
const screenCells = (columns: Array<{ key: string; label: string }>, rows: string[][]) => [columns.map((c) => c.label), ...rows];

const TOPIC_ORDERS = [
  ['policy', 'tech', 'history'],
  ['tech', 'policy', 'history'],
  ['policy', 'history', 'tech'],
];

beforeAll(async () => {
  catalog = await startCatalog();
  const db = catalog.dataSource;
  [admin, eastAdmin, editor] = await Promise.all(['admin', 'east-admin', 'editor'].map((login) => catalog.tokenFor(login)));
  anon = await createQuestionnaire(db, { title: '2027 年学习需求调查', anonymous: true });
  named = await createQuestionnaire(db, { title: '培训意见征集', anonymous: false });

  const respondents = [
    ...(await membersUnder(db, 'committee/east')),
    ...(await membersUnder(db, 'committee/west/group-1')),
    ...(await membersUnder(db, 'committee/west/group-2')).slice(0, 3),
    ...(await membersUnder(db, 'committee/north')).slice(0, 5),
  ];
  // The audience is the committee's active members and editors.
  const everyone: Array<{ id: string; login: string }> = await db.query(
    `SELECT id, login FROM users WHERE role IN ('member', 'editor') AND active`,
  );
  nonRespondents = everyone.filter((m) => !respondents.some((r) => r.id === m.id)).map((m) => m.login);
  const units: Array<{ login: string; path: string }> = await db.query(
    `SELECT u.login, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.role = 'member'`,
  );
  // Written in reverse order of their text, so an order of submission would show.
  for (const [i, m] of [...respondents].reverse().entries()) {
    const answer: SeedAnswer = {
      want: (['yes', 'no', 'other'] as const)[i % 3]!,
      other: `其他-${String(i).padStart(2, '0')}`,
      rating: (i % 5) + 1,
      topics: TOPIC_ORDERS[i % 3]!,
      ...(i % 2 === 0 ? { wish: `想学-${String(99 - i).padStart(2, '0')}${i === 0 ? ' <script>alert(1)</script>' : ''}` } : {}),
    };
    seeded.set(m.login, { ...answer, unitPath: units.find((u) => u.login === m.login)!.path, category: m.category });
    await respond(db, anon, m.login, answer, true);
  }
  // Six east members answer the named questionnaire.
  for (const [i, m] of (await membersUnder(db, 'committee/east')).slice(0, 6).entries()) {
    await respond(db, named, m.login, { want: 'yes', rating: 4, topics: TOPIC_ORDERS[0]!, wish: `实名建议 ${i}` }, false);
  }
}, 120_000);
afterAll(() => catalog?.close());

const under = (path: string) => [...seeded.values()].filter((a) => a.unitPath === path || a.unitPath.startsWith(`${path}/`));

describe('results per question', () => {
  it('counts choices, rating, ranking and written answers of the caller’s subtree', async () => {
    const results = await get<QuestionnaireResults>(`/api/questionnaire-results/${anon.id}?by=unit`, admin);
    const all = under('committee');
    expect(results.respondents).toBe(26);
    expect(results.suppressed).toBe(false);
    const [want, rating, topics, wish] = results.questions.map((q) => q.tally!);
    expect(want).toMatchObject({ kind: 'single', answered: 26, otherTexts: all.filter((a) => a.want === 'other').length });
    if (want.kind !== 'single') throw new Error('single');
    expect(Object.fromEntries(want.options.map((o) => [o.optionId, o.count]))).toEqual({
      yes: all.filter((a) => a.want === 'yes').length,
      no: all.filter((a) => a.want === 'no').length,
      other: all.filter((a) => a.want === 'other').length,
    });
    if (rating.kind !== 'rating') throw new Error('rating');
    expect(rating.mean).toBe(Math.round((all.reduce((s, a) => s + a.rating, 0) / all.length) * 100) / 100);
    expect(rating.distribution.map((d) => d.count)).toEqual([1, 2, 3, 4, 5].map((v) => all.filter((a) => a.rating === v).length));
    if (topics.kind !== 'ranking') throw new Error('ranking');
    const borda = (id: string) => all.reduce((s, a) => s + 2 - a.topics.indexOf(id), 0);
    expect(topics.options.map((o) => [o.optionId, o.borda])).toEqual(
      ['policy', 'tech', 'history'].map((id) => [id, borda(id)]).sort((a, b) => (b[1] as number) - (a[1] as number)),
    );
    expect(wish).toEqual({ kind: 'text', answered: all.filter((a) => a.wish).length });
  });

  it('hides a unit of fewer than five, and the smallest other one, so the total does not tell it', async () => {
    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    const results = await get<QuestionnaireResults>(`/api/questionnaire-results/${anon.id}?by=unit&unitId=${west.id}`, admin);
    expect(results.respondents).toBe(9);
    const groups = Object.fromEntries(results.breakdown.groups.map((g) => [g.label, g]));
    // Group 2 has three respondents: hidden; group 1 (six) hidden with it, else 9 − 6 would tell group 2.
    expect(groups['西区第二小组']).toMatchObject({ respondents: null, suppressed: true });
    expect(groups['西区第一小组']).toMatchObject({ respondents: null, suppressed: true });
    expect(groups['西区第二小组']!.tallies.every((t) => t === null)).toBe(true);
    // The committee's units are all five or more.
    const top = await get<QuestionnaireResults>(`/api/questionnaire-results/${anon.id}?by=unit`, admin);
    expect(Object.fromEntries(top.breakdown.groups.map((g) => [g.label, g.respondents]))).toEqual({
      东区分会: 12,
      北区分会: 5,
      西区分会: 9,
    });
  });

  it('breaks down by member category with the same rule: hidden categories hold nobody or at least five', async () => {
    const results = await get<QuestionnaireResults>(`/api/questionnaire-results/${anon.id}?by=category&lang=en`, admin);
    const all = under('committee');
    const shown = results.breakdown.groups.filter((g) => !g.suppressed);
    const hidden = results.breakdown.groups.filter((g) => g.suppressed);
    for (const g of shown) {
      const count = all.filter((a) => (a.category ?? '') === g.key).length;
      expect(g.respondents).toBe(count);
      expect(count === 0 || count >= 5).toBe(true);
      const rating = g.tallies[1];
      if (count > 0 && rating?.kind === 'rating') {
        const theirs = all.filter((a) => (a.category ?? '') === g.key);
        expect(rating.mean).toBe(Math.round((theirs.reduce((s, a) => s + a.rating, 0) / theirs.length) * 100) / 100);
      }
    }
    const hiddenSum = hidden.reduce((s, g) => s + all.filter((a) => (a.category ?? '') === g.key).length, 0);
    expect(hiddenSum === 0 || hiddenSum >= 5).toBe(true);
    expect(results.breakdown.groups.map((g) => g.label)).toEqual(expect.arrayContaining(['Retired', 'Rural', 'Mobile / migrant']));
  });
});

describe('scope', () => {
  it('a branch admin reads their branch only', async () => {
    const results = await get<QuestionnaireResults>(`/api/questionnaire-results/${anon.id}?by=unit`, eastAdmin);
    expect(results.unit.name).toBe('东区分会');
    expect(results.respondents).toBe(12);
    expect(Object.fromEntries(results.breakdown.groups.map((g) => [g.label, g.respondents]))).toEqual({ 东区第一小组: 7, 东区第二小组: 5 });
    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    await get(`/api/questionnaire-results/${anon.id}?unitId=${west.id}`, eastAdmin, 404);
    await get(`/api/questionnaire-results/${anon.id}/rates?unitId=${west.id}`, eastAdmin, 404);
    const rates = await get<ResponseRates>(`/api/questionnaire-results/${anon.id}/rates`, eastAdmin);
    expect(rates.items.every((u) => u.path.startsWith('committee/east'))).toBe(true);
    const texts = await get<TextAnswerPage>(
      `/api/questionnaire-results/${anon.id}/questions/${anon.questions.wish}/answers?limit=200`,
      eastAdmin,
    );
    expect(texts.total).toBe(under('committee/east').filter((a) => a.wish).length);
    const pending = await get<NonRespondentPage>(`/api/questionnaire-results/${anon.id}/pending`, eastAdmin);
    expect(pending.total).toBe(0);
  });

  it('a questionnaire of another branch, or a made-up one, is not found; members cannot read results', async () => {
    const westOwn = await createQuestionnaire(catalog.dataSource, {
      title: '西区调查',
      anonymous: false,
      ownerPath: 'committee/west',
      audiencePaths: ['committee/west'],
    });
    await get(`/api/questionnaire-results/${westOwn.id}`, eastAdmin, 404);
    await get(`/api/questionnaire-results/${westOwn.id}`, admin, 200);
    await get(`/api/questionnaire-results/00000000-0000-4000-8000-000000000000`, admin, 404);
    await get(`/api/questionnaire-results/${anon.id}`, await catalog.tokenFor('member'), 403);
    await get(`/api/questionnaire-results/${anon.id}`, editor, 200);
  });
});

describe('written answers', () => {
  it('of an anonymous questionnaire: no member, no time, in the order of the text, told of units of five or more', async () => {
    const path = `/api/questionnaire-results/${anon.id}/questions/${anon.questions.wish}/answers?limit=200`;
    const page = await get<TextAnswerPage & { columns: Array<{ key: string; label: string }> }>(path, admin);
    const written = under('committee').filter((a) => a.wish);
    expect(page.total).toBe(written.length);
    expect(page.items.map((i) => i.text).sort()).toEqual(written.map((a) => a.wish!).sort());
    const [{ texts }] = await catalog.dataSource.query(`SELECT array_agg(t ORDER BY t) AS texts FROM unnest($1::text[]) t`, [
      written.map((a) => a.wish!),
    ]);
    expect(page.items.map((i) => i.text)).toEqual(texts);
    for (const item of page.items) {
      expect(Object.keys(item).sort()).toEqual(['memberName', 'submittedAt', 'text', 'unitName']);
      expect(item.memberName).toBeNull();
      expect(item.submittedAt).toBeNull();
      const author = [...seeded.values()].find((a) => a.wish === item.text)!;
      // West's groups are hidden, so their answers are told of west only.
      if (author.unitPath.startsWith('committee/west')) expect(item.unitName).toBe('西区分会');
    }
    expect(page.columns.map((c) => c.key)).toEqual(['text', 'unit']);
    // Nothing in the answer names a member or a response.
    const body = JSON.stringify(page);
    const people: Array<{ id: string; login: string; name: string }> = await catalog.dataSource.query(`SELECT id, login, name FROM users`);
    for (const p of people) {
      expect(body).not.toContain(p.id);
      expect(body).not.toContain(`"${p.login}"`);
      expect(body).not.toContain(p.name);
    }
    const responseIds: Array<{ id: string }> = await catalog.dataSource.query(`SELECT id FROM questionnaire_responses`);
    for (const r of responseIds) expect(body).not.toContain(r.id);
  });

  it('lists none for a unit too small to show, searches within a length limit, and pages', async () => {
    const [group2] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west/group-2'`);
    const base = `/api/questionnaire-results/${anon.id}/questions/${anon.questions.wish}/answers`;
    const small = await get<TextAnswerPage>(`${base}?unitId=${group2.id}`, admin);
    expect(small).toMatchObject({ shown: false, items: [], total: 0 });
    const found = await get<TextAnswerPage>(`${base}?q=${encodeURIComponent('想学 script')}`, admin);
    expect(found.items.map((i) => i.text)).toEqual([expect.stringContaining('<script>')]);
    expect((await get<TextAnswerPage>(`${base}?q=${encodeURIComponent('%')}`, admin)).total).toBe(0);
    const tooLong = await catalog
      .http()
      .get(`${base}?q=${'学'.repeat(51)}`)
      .set(as(admin));
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('at most 50 characters');
    const first = await get<TextAnswerPage>(`${base}?limit=5&page=1`, admin);
    const second = await get<TextAnswerPage>(`${base}?limit=5&page=2`, admin);
    expect(first.items).toHaveLength(5);
    expect(second.items[0]!.text > first.items[4]!.text || second.items[0]!.text !== first.items[4]!.text).toBe(true);
    // "Other" texts of a choice question are listed the same way; a rating question has none.
    const others = await get<TextAnswerPage>(
      `/api/questionnaire-results/${anon.id}/questions/${anon.questions.want}/answers?limit=200`,
      admin,
    );
    expect(others.total).toBe(under('committee').filter((a) => a.want === 'other').length);
    await get(`/api/questionnaire-results/${anon.id}/questions/${anon.questions.rating}/answers`, admin, 404);
  });

  it('of a named questionnaire: each with its member and time; the files hold what the screen shows', async () => {
    const path = `/api/questionnaire-results/${named.id}/questions/${named.questions.wish}/answers?limit=200`;
    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await get<TextAnswerPage & { columns: Array<{ key: string; label: string }> }>(`${path}&lang=${lang}`, admin);
      expect(page.items).toHaveLength(6);
      expect(page.items.every((i) => i.memberName && i.submittedAt)).toBe(true);
      const csv = await csvOf(`${path}&lang=${lang}&format=csv`, admin);
      const xlsx = await xlsxOf(`${path}&lang=${lang}&format=xlsx`, admin);
      expect(csv[0]).toEqual(page.columns.map((c) => c.label));
      expect(csv.map((r) => r[0])).toEqual([page.columns[0]!.label, ...page.items.map((i) => i.text)]);
      expect(csv.map((r) => r[1])).toEqual([page.columns[1]!.label, ...page.items.map((i) => i.memberName)]);
      expect(xlsx).toEqual(csv);
    }
  });
});

describe('response rates and reminders', () => {
  it('rates per unit over the audience, and the files equal the screen', async () => {
    const rates = await get<ResponseRates>(`/api/questionnaire-results/${anon.id}/rates`, admin);
    expect(rates).toMatchObject({ audience: 31, responded: 26 });
    const byPath = Object.fromEntries(rates.items.map((u) => [u.path, [u.audience, u.responded]]));
    expect(byPath).toMatchObject({
      committee: [31, 26],
      'committee/east': [12, 12],
      'committee/west/group-2': [6, 3],
      'committee/north': [6, 5],
    });
    const csv = await csvOf(`/api/questionnaire-results/${anon.id}/rates?format=csv`, admin);
    expect(csv).toEqual(
      screenCells(
        rates.columns,
        rates.items.map((u) => [
          u.name,
          String(u.audience),
          String(u.responded),
          u.rate === null ? '—' : `${(Math.round(u.rate * 1000) / 10).toFixed(1)}%`,
        ]),
      ),
    );
  });

  it('lists who has not answered, with what contact there is, and the files equal the screen', async () => {
    const page = await get<NonRespondentPage & { columns: Array<{ key: string; label: string }> }>(
      `/api/questionnaire-results/${anon.id}/pending?lang=en`,
      admin,
    );
    expect(page.items.map((i) => i.login).sort()).toEqual([...nonRespondents].sort());
    const xlsx = await xlsxOf(`/api/questionnaire-results/${anon.id}/pending?lang=en&format=xlsx`, admin);
    expect(xlsx).toEqual(
      screenCells(
        page.columns,
        page.items.map((i) => [i.name, i.login, i.unitName, i.category ?? '—', i.started ? 'Started, not submitted' : 'Not started']),
      ),
    );
  });

  it('reminds each member not yet answered once per call, in the app, and nobody who answered', async () => {
    const notices = async () =>
      (await catalog.dataSource.query(
        `SELECT u.login, n.params, n.link FROM member_notices n JOIN users u ON u.id = n.user_id WHERE n.kind = 'questionnaire.reminder'`,
      )) as Array<{ login: string; params: { title: string }; link: string }>;
    const east = await catalog.http().post(`/api/questionnaire-results/${anon.id}/reminders`).set(as(eastAdmin)).send({});
    expect(east.body).toEqual({ reminded: 0 });
    const first = await catalog.http().post(`/api/questionnaire-results/${anon.id}/reminders`).set(as(admin)).send({});
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ reminded: nonRespondents.length });
    const sent = await notices();
    expect(sent.map((n) => n.login).sort()).toEqual([...nonRespondents].sort());
    expect(sent[0]).toMatchObject({ params: { title: '2027 年学习需求调查' }, link: `/questionnaires/${anon.id}` });
    await catalog.http().post(`/api/questionnaire-results/${anon.id}/reminders`).set(as(admin)).send({});
    expect((await notices()).length).toBe(nonRespondents.length * 2);

    await catalog.dataSource.query(`UPDATE questionnaires SET status = 'closed', closed_at = now() WHERE id = $1`, [named.id]);
    const closed = await catalog.http().post(`/api/questionnaire-results/${named.id}/reminders`).set(as(admin)).send({});
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('not open');
  });
});

describe('later responses', () => {
  it('count at once: west group 2 reaching six shows both of west’s groups', async () => {
    const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
    const path = `/api/questionnaire-results/${anon.id}?by=unit&unitId=${west.id}`;
    expect((await get<QuestionnaireResults>(path, admin)).breakdown.groups.every((g) => g.suppressed)).toBe(true);
    for (const m of (await membersUnder(catalog.dataSource, 'committee/west/group-2')).slice(3)) {
      await respond(catalog.dataSource, anon, m.login, { want: 'yes', rating: 5, topics: TOPIC_ORDERS[0]! }, true);
    }
    const after = await get<QuestionnaireResults>(path, admin);
    expect(after.respondents).toBe(12);
    expect(Object.fromEntries(after.breakdown.groups.map((g) => [g.label, g.respondents]))).toEqual({ 西区第一小组: 6, 西区第二小组: 6 });
  });
});
