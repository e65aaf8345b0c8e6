import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertPublishedExam, type FixtureQuestion } from '../src/exams/taking/exam-fixtures.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DEVICE = 'grading-test-device-01';
const REFERENCE = '要点：联系群众，服务群众';

const QUESTIONS: FixtureQuestion[] = [
  {
    kind: 'single',
    stem: '党的最高理想是什么？',
    options: [
      { key: 'A', text: '实现共产主义' },
      { key: 'B', text: '发家致富' },
    ],
    answer: { keys: ['A'] },
    points: 4,
    explanation: '最高理想是实现共产主义。',
  },
  { kind: 'short_answer', stem: '怎样做好群众工作？', answer: { reference: REFERENCE }, points: 3, explanation: '群众路线。' },
  { kind: 'short_answer', stem: '谈谈学习的收获。', answer: { reference: '' }, points: 3, explanation: '' },
];

const http = () => catalog.http();
/** Sits the exam: the choice answered right, the short answers with the texts given in the fixture's order. */
async function sit(login: string, examId: string, texts: string[]) {
  const token = await catalog.tokenFor(login);
  const started = await http().post(`/api/me/exams/${examId}/attempts`).set(as(token)).set('X-Exam-Device', DEVICE);
  expect(started.status).toBe(200);
  for (const q of started.body.questions) {
    const answer = q.kind === 'single' ? { keys: ['A'] } : { text: texts[QUESTIONS.findIndex((x) => x.stem === q.stem) - 1] };
    const saved = await http()
      .put(`/api/me/attempts/${started.body.attemptId}/answers/${q.item}`)
      .set(as(token))
      .set('X-Exam-Device', DEVICE)
      .send({ answer, baseRevision: 0 });
    expect(saved.status).toBe(200);
  }
  const submitted = await http().post(`/api/me/attempts/${started.body.attemptId}/submit`).set(as(token)).set('X-Exam-Device', DEVICE);
  expect(submitted.status).toBe(200);
  return submitted.body;
}
const grade = async (login: string, body: object) =>
  http()
    .post('/api/grading/answers')
    .set(as(await catalog.tokenFor(login)))
    .send(body);
const itemOf = (result: { questions: Array<{ item: number; stem: string }> }, stem: string) =>
  result.questions.find((q) => q.stem === stem)!.item;

beforeAll(async () => {
  catalog = await startCatalog();
}, 60_000);
afterAll(() => catalog.close());

describe('grading short answers', () => {
  it('queues submitted short answers for graders of the member’s subtree, and grading the last one gives the score and the pass', async () => {
    const { examId, questionIds } = await insertPublishedExam(catalog.dataSource, {
      questions: QUESTIONS,
      passPercent: 60,
      showAnswers: true,
    });
    const east = await sit('member', examId, ['深入群众，倾听意见', '收获很大']);
    const west = await sit('member02', examId, ['多走访', '']);
    expect(east).toMatchObject({ status: 'grading', autoScore: 4, score: null, passed: null, pendingItems: 2 });
    // An empty short answer scores 0 and waits for nobody.
    expect(west).toMatchObject({ status: 'grading', pendingItems: 1 });
    expect(east.questions.every((q: { key: unknown }) => q.key === null)).toBe(true);

    const committeeQueue = await http()
      .get('/api/grading/queue')
      .set(as(await catalog.tokenFor('editor')));
    expect(committeeQueue.status).toBe(200);
    expect(committeeQueue.body).toEqual(
      expect.arrayContaining([
        { examId, examTitle: '结业考试', questionId: questionIds[1], stem: QUESTIONS[1]!.stem, points: 3, pending: 2 },
        { examId, examTitle: '结业考试', questionId: questionIds[2], stem: QUESTIONS[2]!.stem, points: 3, pending: 1 },
      ]),
    );
    const eastQueue = await http()
      .get('/api/grading/queue')
      .set(as(await catalog.tokenFor('east-admin')));
    expect(eastQueue.body.find((q: { questionId: string }) => q.questionId === questionIds[1]).pending).toBe(1);
    expect(
      (
        await http()
          .get('/api/grading/queue')
          .set(as(await catalog.tokenFor('member03')))
      ).status,
    ).toBe(403);

    const answers = await http()
      .get(`/api/grading/exams/${examId}/questions/${questionIds[1]}`)
      .set(as(await catalog.tokenFor('east-admin')));
    expect(answers.body).toEqual([
      expect.objectContaining({
        attemptId: east.attemptId,
        member: expect.objectContaining({ name: '王秀英' }),
        reference: REFERENCE,
        text: '深入群众，倾听意见',
        points: 3,
        awarded: null,
        gradedBy: null,
      }),
    ]);

    const first = itemOf(east, QUESTIONS[1]!.stem);
    const second = itemOf(east, QUESTIONS[2]!.stem);
    expect((await grade('east-admin', { attemptId: east.attemptId, item: first, points: 3.5, comment: '' })).status).toBe(400);
    expect((await grade('east-admin', { attemptId: east.attemptId, item: first, points: 1.234, comment: '' })).status).toBe(400);
    expect(
      (await grade('east-admin', { attemptId: east.attemptId, item: itemOf(east, QUESTIONS[0]!.stem), points: 1, comment: '' })).status,
    ).toBe(409);
    expect((await grade('east-admin', { attemptId: west.attemptId, item: first, points: 1, comment: '' })).status).toBe(404);

    const graded = await grade('east-admin', { attemptId: east.attemptId, item: first, points: 2.5, comment: '要点基本齐全' });
    expect(graded.status).toBe(200);
    expect(graded.body).toMatchObject({ awarded: 2.5, comment: '要点基本齐全', gradedBy: { name: '东区管理员' } });
    const token = await catalog.tokenFor('member');
    const halfway = await http().get(`/api/me/attempts/${east.attemptId}/result`).set(as(token));
    expect(halfway.body).toMatchObject({ status: 'grading', score: null, pendingItems: 1 });

    await grade('editor', { attemptId: east.attemptId, item: second, points: 0, comment: '' });
    const done = await http().get(`/api/me/attempts/${east.attemptId}/result`).set(as(token));
    // 4 + 2.5 + 0 of 10 is 65 %: passed at 60 %.
    expect(done.body).toMatchObject({ status: 'graded', score: 6.5, percent: 65, passed: true, pendingItems: 0 });
    const shortOne = done.body.questions.find((q: { item: number }) => q.item === first);
    expect(shortOne).toMatchObject({ awarded: 2.5, correct: false, graderComment: '要点基本齐全', key: { reference: REFERENCE } });
    expect(shortOne.explanation).toBe('群众路线。');

    // A second look: regrading is allowed, logged with what it replaced, and moves the score.
    const regraded = await grade('editor', { attemptId: east.attemptId, item: second, points: 1, comment: '补给分' });
    expect(regraded.status).toBe(200);
    const after = await http().get(`/api/me/attempts/${east.attemptId}/result`).set(as(token));
    expect(after.body).toMatchObject({ status: 'graded', score: 7.5, passed: true });
    const log = await catalog.dataSource.query(
      `SELECT detail FROM exam_attempt_events WHERE attempt_id = $1 AND kind = 'graded' ORDER BY id`,
      [east.attemptId],
    );
    expect(log.map((e: { detail: { points: number; previous: number | null } }) => [e.detail.points, e.detail.previous])).toEqual([
      [2.5, null],
      [0, null],
      [1, 0],
    ]);
    const view = await http().get(`/api/me/exams/${examId}`).set(as(token));
    expect(view.body.result).toMatchObject({ attemptId: east.attemptId, status: 'graded', score: 7.5, percent: 75, passed: true });
  });

  it('fails an attempt below the pass mark and hides the keys when the exam does not show answers', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, passPercent: 80, showAnswers: false });
    const result = await sit('member05', examId, ['认真', '有收获']);
    await grade('editor', { attemptId: result.attemptId, item: itemOf(result, QUESTIONS[1]!.stem), points: 1, comment: '' });
    await grade('editor', { attemptId: result.attemptId, item: itemOf(result, QUESTIONS[2]!.stem), points: 1, comment: '' });
    const done = await http()
      .get(`/api/me/attempts/${result.attemptId}/result`)
      .set(as(await catalog.tokenFor('member05')));
    expect(done.body).toMatchObject({ status: 'graded', score: 6, passed: false, showAnswers: false });
    expect(done.body.questions.every((q: { key: unknown; explanation: unknown }) => q.key === null && q.explanation === null)).toBe(true);
    expect(JSON.stringify(done.body)).not.toContain(REFERENCE);
  });
});
