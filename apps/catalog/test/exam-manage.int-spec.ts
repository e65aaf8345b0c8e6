import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { startWithBranchEditors } from './support/exam-rows.js';

let catalog: CatalogHarness;
let units: Record<string, string>;
let tokens: Record<string, string>;

beforeAll(async () => {
  ({ catalog, units, tokens } = await startWithBranchEditors(['editor', 'east-editor', 'west-editor', 'admin', 'member']));
}, 120_000);
afterAll(() => catalog.close());

const as = (login: string) => ({ Authorization: `Bearer ${tokens[login]}` });
const http = () => catalog.http();
const DAY = 86_400_000;

async function question(login: string, stem: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await http()
    .post('/api/exam-questions')
    .set(as(login))
    .send({
      kind: 'single',
      stem,
      options: [
        { key: 'A', text: '甲' },
        { key: 'B', text: '乙' },
      ],
      answer: { keys: ['A'] },
      points: 2,
      explanation: `${stem}的解析`,
      topic: null,
      courseId: null,
      lectureId: null,
      difficulty: null,
      tags: [],
      imageId: null,
      ...extra,
    });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

const exam = (extra: Record<string, unknown> = {}) => ({
  title: '党史知识测验',
  description: '',
  paperKind: 'fixed',
  fixedItems: [],
  drawRules: [],
  timeLimitMin: 30,
  passPercent: 60,
  maxAttempts: 2,
  shuffleQuestions: true,
  shuffleOptions: true,
  multipleScoring: 'partial',
  opensAt: new Date(Date.now() - DAY).toISOString(),
  closesAt: new Date(Date.now() + 7 * DAY).toISOString(),
  showAnswers: false,
  creditHours: null,
  requiresCourseId: null,
  requiresPlanId: null,
  requiresShare: null,
  preExamId: null,
  audience: { unitIds: [units['committee/east']], categories: [], positions: [], classIds: [] },
  ...extra,
});

const post = (login: string, body: Record<string, unknown>) => http().post('/api/exams').set(as(login)).send(body);

describe('exams', () => {
  it('creates, reads, changes, lists and archives a fixed exam, with its count and total', async () => {
    const [q1, q2] = [await question('east-editor', '固定题一'), await question('editor', '委员会的固定题')];
    const created = await post(
      'east-editor',
      exam({
        fixedItems: [{ questionId: q1 }, { questionId: q2, points: 5 }],
        audience: {
          unitIds: [units['committee/east/group-1'], units['committee/east/group-1']],
          categories: ['retired'],
          positions: [],
          classIds: [],
        },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      ownerUnit: { id: units['committee/east'] },
      questionCount: 2,
      maxScore: 7,
      fixedItems: [
        { questionId: q1, points: null },
        { questionId: q2, points: 5 },
      ],
      audience: { unitIds: [units['committee/east/group-1']], categories: ['retired'] },
      attemptCount: 0,
      postExamIds: [],
      publishedAt: null,
    });
    const id = created.body.id as string;

    const changed = await http()
      .put(`/api/exams/${id}`)
      .set(as('east-editor'))
      .send(exam({ title: '党史测验（改）', fixedItems: [{ questionId: q2 }] }));
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: '党史测验（改）', questionCount: 1, maxScore: 2 });

    const list = await http().get('/api/exams?status=draft').set(as('east-editor'));
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect((await http().get(`/api/exams/${id}`).set(as('admin'))).status).toBe(200);
    expect((await http().get(`/api/exams/${id}`).set(as('west-editor'))).status).toBe(404);
    expect((await http().put(`/api/exams/${id}`).set(as('west-editor')).send(exam())).status).toBe(404);
    expect((await http().get('/api/exams').set(as('member'))).status).toBe(403);

    const published = await http().post(`/api/exams/${id}/publish`).set(as('east-editor'));
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    const archived = await http().post(`/api/exams/${id}/archive`).set(as('east-editor'));
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    expect((await http().delete(`/api/exams/${id}`).set(as('east-editor'))).status).toBe(404);
  });

  it('says what to fix in an exam that does not hold together', async () => {
    const mine = await question('east-editor', '东区的题');
    const west = await question('west-editor', '西区的题');
    const retired = await question('east-editor', '退役的题');
    expect((await http().post(`/api/exam-questions/${retired}/retire`).set(as('east-editor'))).status).toBe(200);
    const post1 = (await post('east-editor', exam({ title: '前测', fixedItems: [{ questionId: mine }] }))).body.id as string;
    const postTest = (await post('east-editor', exam({ title: '后测', fixedItems: [{ questionId: mine }], preExamId: post1 }))).body;
    expect(postTest.preExamId).toBe(post1);
    expect((await http().get(`/api/exams/${post1}`).set(as('east-editor'))).body.postExamIds).toEqual([postTest.id]);

    const cases: Array<[Record<string, unknown>, string]> = [
      [exam({ closesAt: new Date(Date.now() - 2 * DAY).toISOString() }), 'closesAt: the exam must close after it opens'],
      [exam({ audience: { unitIds: [], categories: [], positions: [], classIds: [] } }), 'audience.unitIds: choose at least one unit'],
      [
        exam({ audience: { unitIds: [units['committee/west']], categories: [], positions: [], classIds: [] } }),
        'audience.unitIds: some units are not in your organisation',
      ],
      [
        exam({ audience: { unitIds: [units['committee/east']], categories: ['astronauts'], positions: [], classIds: [] } }),
        'audience.categories: some member categories do not exist',
      ],
      [exam({ fixedItems: [{ questionId: west }] }), 'fixedItems: question 1 is not in the question bank this exam may use'],
      [exam({ fixedItems: [{ questionId: retired }] }), 'fixedItems: question 1 is retired'],
      [exam({ fixedItems: [{ questionId: mine }, { questionId: mine }] }), 'a question is on the paper twice'],
      [exam({ paperKind: 'drawn', drawRules: [{ kind: 'single', count: 1 }] }), 'rule 1 (1 single-choice) needs its points'],
      [exam({ preExamId: postTest.id }), 'preExamId: that exam is itself a post-test'],
      [exam({ requiresShare: 0.8 }), 'requiresShare: choose the course or study plan'],
      [exam({ passPercent: 0 }), 'passPercent: must be above 0'],
      [exam({ timeLimitMin: 0 }), 'timeLimitMin: must be at least 1 minute'],
      [exam({ maxAttempts: 21 }), 'maxAttempts: must be at most 20'],
    ];
    for (const [body, message] of cases) {
      const answer = await post('east-editor', body);
      expect({ status: answer.status, message: answer.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
    }
    expect((await post('admin', exam())).status).toBe(403);
  });

  it('draws from the bank by rules, names the rule the bank cannot fill, and re-checks on publishing', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await question('east-editor', `抽题 ${i}`, { topic: '抽题' }));
    const rule = { kind: 'single', topic: '抽题', count: 3, points: 4 };
    const short = await post('east-editor', exam({ paperKind: 'drawn', drawRules: [{ ...rule, count: 5 }] }));
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('rule 1 (5 single-choice, topic "抽题") needs 5 questions but the bank has only 3 that fit');

    const created = await post('east-editor', exam({ paperKind: 'drawn', drawRules: [rule], fixedItems: [{ questionId: ids[0] }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      questionCount: 3,
      maxScore: 12,
      fixedItems: [],
      drawRules: [{ ...rule, courseId: null, difficulty: null }],
    });
    const sample = await http().get(`/api/exams/${created.body.id}/sample`).set(as('east-editor'));
    expect(sample.status).toBe(200);
    expect(sample.body.maxScore).toBe(12);
    expect(sample.body.items.map((i: { stem: string }) => i.stem).sort()).toEqual(['抽题 0', '抽题 1', '抽题 2']);
    expect(sample.body.items[0]).toMatchObject({ item: 0, kind: 'single', points: 4, key: { keys: ['A'] }, blanks: 0 });
    expect(sample.body.items[0].explanation).toContain('的解析');

    // Retiring a question leaves the rule short: publishing says which rule and why.
    expect((await http().post(`/api/exam-questions/${ids[1]}/retire`).set(as('east-editor'))).status).toBe(200);
    const refused = await http().post(`/api/exams/${created.body.id}/publish`).set(as('east-editor'));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('rule 1 (3 single-choice, topic "抽题") needs 3 questions but the bank has only 2');
    expect((await http().post(`/api/exam-questions/${ids[1]}/restore`).set(as('east-editor'))).status).toBe(200);
    expect((await http().post(`/api/exams/${created.body.id}/publish`).set(as('east-editor'))).status).toBe(200);

    const empty = await post('east-editor', exam({ title: '空卷' }));
    expect(empty.status).toBe(201);
    const noQuestions = await http().post(`/api/exams/${empty.body.id}/publish`).set(as('east-editor'));
    expect(noQuestions.status).toBe(400);
    expect(noQuestions.body.message).toContain('add at least one question to the paper before publishing');
  });

  it('keeps the paper, time limit, pass mark and scoring of an exam once it has been sat', async () => {
    const q1 = await question('east-editor', '已考的题');
    const q2 = await question('east-editor', '另一道题');
    const body = exam({ title: '已有人考', fixedItems: [{ questionId: q1 }] });
    const created = await post('east-editor', body);
    const id = created.body.id as string;
    expect((await http().post(`/api/exams/${id}/publish`).set(as('east-editor'))).status).toBe(200);
    const [{ id: memberId }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`);
    await catalog.dataSource.query(
      `INSERT INTO exam_attempts (exam_id, user_id, number, device_hash, deadline_at, paper, max_score)
       VALUES ($1, $2, 1, 'device', now() + interval '30 minutes', $3::jsonb, 2)`,
      [id, memberId, JSON.stringify([{ questionId: q1, kind: 'single', stem: '已考的题', options: [], key: { keys: ['A'] }, points: 2 }])],
    );

    for (const [change, named] of [
      [{ fixedItems: [{ questionId: q1 }, { questionId: q2 }] }, 'paper'],
      [{ fixedItems: [{ questionId: q1, points: 3 }] }, 'paper'],
      [{ timeLimitMin: 45 }, 'time limit'],
      [{ passPercent: 80 }, 'pass mark'],
      [{ multipleScoring: 'all_or_nothing' }, 'multiple-choice scoring'],
    ] as const) {
      const refused = await http()
        .put(`/api/exams/${id}`)
        .set(as('east-editor'))
        .send({ ...body, ...change });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain(named);
      expect(refused.body.message).toContain('Make a new exam');
    }
    const later = new Date(Date.now() + 14 * DAY).toISOString();
    const allowed = await http()
      .put(`/api/exams/${id}`)
      .set(as('east-editor'))
      .send({ ...body, title: '已有人考（延期）', description: '延长一周', closesAt: later, maxAttempts: 3 });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({
      title: '已有人考（延期）',
      closesAt: later,
      maxAttempts: 3,
      attemptCount: 1,
      status: 'published',
    });

    // The question used by the exam can still be edited and retired; the bank counts its use.
    const used = await http().get(`/api/exam-questions/${q1}`).set(as('east-editor'));
    expect(used.body.usedBy).toBe(1);
    expect((await http().post(`/api/exam-questions/${q1}/retire`).set(as('east-editor'))).status).toBe(200);
    const sample = await http().get(`/api/exams/${id}/sample`).set(as('east-editor'));
    expect(sample.body.items.map((i: { stem: string }) => i.stem)).toEqual(['已考的题']);
  });
});
