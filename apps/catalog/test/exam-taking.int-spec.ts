import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { AnswerEndpoint } from '../src/exams/taking/answer-endpoint.js';
import { insertPublishedExam, type FixtureQuestion } from '../src/exams/taking/exam-fixtures.js';
import { AttemptSweeper } from '../src/exams/taking/attempt-sweeper.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const PHONE = 'phone-device-key-0001';
const LAPTOP = 'laptop-device-key-0002';

// Answers chosen so that none of them occurs in a stem or an option's text.
const BLANK_ANSWERS = ['嘉兴南湖红船', '一九二一年七月'];
const REFERENCE = '参考要点：坚持实事求是的思想路线';
const EXPLANATION = '解析：这一题考查的是党史中的重要会议';
const QUESTIONS: FixtureQuestion[] = [
  {
    kind: 'single',
    stem: '党的根本宗旨是什么？',
    options: [
      { key: 'A', text: '全心全意为人民服务' },
      { key: 'B', text: '发展经济' },
      { key: 'C', text: '对外开放' },
    ],
    answer: { keys: ['A'] },
    points: 2,
    explanation: EXPLANATION,
  },
  {
    kind: 'multiple',
    stem: '下列哪些属于“四个意识”？',
    options: [
      { key: 'A', text: '政治意识' },
      { key: 'B', text: '大局意识' },
      { key: 'C', text: '市场意识' },
    ],
    answer: { keys: ['A', 'B'] },
    points: 2,
    explanation: EXPLANATION,
  },
  { kind: 'true_false', stem: '党员应当按期交纳党费。', answer: { value: true }, points: 1, explanation: EXPLANATION },
  {
    kind: 'fill_blank',
    stem: '中共一大闭幕于____，召开于____。',
    answer: { blanks: [[BLANK_ANSWERS[0]!, '南湖'], [BLANK_ANSWERS[1]!]] },
    points: 2,
    explanation: EXPLANATION,
  },
  { kind: 'short_answer', stem: '谈谈你对理论学习的体会。', answer: { reference: REFERENCE }, points: 3, explanation: EXPLANATION },
];
const OBJECTIVE = QUESTIONS.filter((q) => q.kind !== 'short_answer');

const tokenOf = (login: string) => catalog.tokenFor(login);
const start = async (login: string, examId: string, device: string) =>
  catalog
    .http()
    .post(`/api/me/exams/${examId}/attempts`)
    .set(as(await tokenOf(login)))
    .set('X-Exam-Device', device);
const save = async (login: string, attemptId: string, item: number, answer: object, baseRevision: number, device: string) =>
  catalog
    .http()
    .put(`/api/me/attempts/${attemptId}/answers/${item}`)
    .set(as(await tokenOf(login)))
    .set('X-Exam-Device', device)
    .send({ answer, baseRevision });
const read = async (login: string, attemptId: string, device: string) =>
  catalog
    .http()
    .get(`/api/me/attempts/${attemptId}`)
    .set(as(await tokenOf(login)))
    .set('X-Exam-Device', device);
const submit = async (login: string, attemptId: string, device: string) =>
  catalog
    .http()
    .post(`/api/me/attempts/${attemptId}/submit`)
    .set(as(await tokenOf(login)))
    .set('X-Exam-Device', device);
/** Moves an attempt's clock back, as if it had started `seconds` earlier. */
const age = (attemptId: string, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE exam_attempts SET started_at = started_at - make_interval(secs => $2), deadline_at = deadline_at - make_interval(secs => $2) WHERE id = $1`,
    [attemptId, seconds],
  );
const deadlineAgo = (attemptId: string, seconds: number) =>
  catalog.dataSource.query(
    `UPDATE exam_attempts SET deadline_at = now() - make_interval(secs => $2), started_at = now() - make_interval(secs => $2) - interval '30 minutes' WHERE id = $1`,
    [attemptId, seconds],
  );

/** A right answer for a question of the fixture, by its stem, in the member's option order. */
function rightAnswer(stem: string): object {
  const q = QUESTIONS.find((x) => x.stem === stem)!;
  const key = q.answer as Record<string, unknown>;
  if (q.kind === 'fill_blank') return { blanks: (key.blanks as string[][]).map((alternatives) => alternatives[0]) };
  if (q.kind === 'short_answer') return { text: '学而时习之' };
  if (q.kind === 'true_false') return { value: key.value };
  return { keys: key.keys };
}

/** Fields that would give an answer away, anywhere in a response meant for a member still sitting. */
function leaks(node: unknown, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((x, i) => leaks(x, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(node)) {
    const here = `${path}.${name}`;
    const inOption = /\.options\[\d+\]$/.test(path);
    const inSavedAnswer = /\.answers\[\d+\]$/.test(path);
    if (['explanation', 'reference', 'correct', 'awarded'].includes(name)) found.push(here);
    if (name === 'key' && !inOption) found.push(here);
    if (name === 'answer' && !inSavedAnswer) found.push(here);
    found.push(...leaks(value, here));
  }
  return found;
}

beforeAll(async () => {
  catalog = await startCatalog();
}, 60_000);
afterAll(() => catalog.close());

describe('taking an exam', () => {
  it('counts down from the server’s start, and resuming on the same device keeps the paper, the answers and the clock', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, timeLimitMin: 30 });
    const started = await start('member', examId, PHONE);
    expect(started.status).toBe(200);
    const paper = started.body;
    const [row] = await catalog.dataSource.query(`SELECT started_at, deadline_at FROM exam_attempts WHERE id = $1`, [paper.attemptId]);
    expect(new Date(paper.startedAt).getTime()).toBe(row.started_at.getTime());
    expect(new Date(paper.deadlineAt).getTime() - new Date(paper.startedAt).getTime()).toBe(30 * 60_000);
    expect(paper.remainingSec).toBe(Math.floor((new Date(paper.deadlineAt).getTime() - new Date(paper.serverNow).getTime()) / 1000));
    expect(paper.questions).toHaveLength(QUESTIONS.length);
    expect(paper.answers).toEqual([]);

    const single = paper.questions.find((q: { kind: string }) => q.kind === 'single');
    const saved = await save('member', paper.attemptId, single.item, rightAnswer(single.stem), 0, PHONE);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ item: single.item, revision: 1 });
    expect(saved.body.remainingSec).toBeLessThanOrEqual(30 * 60);

    // The browser was closed for ten minutes: the clock went on.
    await age(paper.attemptId, 600);
    const resumed = await start('member', examId, PHONE);
    expect(resumed.status).toBe(200);
    expect(resumed.body.attemptId).toBe(paper.attemptId);
    expect(resumed.body.questions).toEqual(paper.questions);
    expect(resumed.body.answers).toEqual([expect.objectContaining({ item: single.item, revision: 1, answer: rightAnswer(single.stem) })]);
    expect(resumed.body.remainingSec).toBe(
      Math.floor((new Date(resumed.body.deadlineAt).getTime() - new Date(resumed.body.serverNow).getTime()) / 1000),
    );
    expect(resumed.body.remainingSec).toBeLessThanOrEqual(20 * 60);
    expect(new Date(resumed.body.deadlineAt).getTime()).toBe(new Date(paper.deadlineAt).getTime() - 600_000);

    const again = await read('member', paper.attemptId, PHONE);
    expect(again.status).toBe(200);
    expect(again.body.remainingSec).toBeLessThanOrEqual(20 * 60);
    const events = await catalog.dataSource.query(`SELECT kind FROM exam_attempt_events WHERE attempt_id = $1 ORDER BY id`, [
      paper.attemptId,
    ]);
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['started', 'saved', 'resumed']);
  });

  it('never sends an answer key, explanation or reference while the member sits', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS });
    const texts: string[] = [];
    const started = await start('member02', examId, PHONE);
    texts.push(started.text);
    for (const q of started.body.questions) {
      const answer = rightAnswer(q.stem);
      const written = await save('member02', started.body.attemptId, q.item, answer, 0, PHONE);
      expect(written.status).toBe(200);
      texts.push(written.text);
    }
    texts.push((await start('member02', examId, PHONE)).text);
    texts.push((await read('member02', started.body.attemptId, PHONE)).text);
    texts.push(
      (
        await catalog
          .http()
          .get(`/api/me/exams/${examId}`)
          .set(as(await tokenOf('member02')))
      ).text,
    );
    texts.push(
      (
        await catalog
          .http()
          .get(`/api/me/exams`)
          .set(as(await tokenOf('member02')))
      ).text,
    );

    for (const text of texts) {
      expect(leaks(JSON.parse(text))).toEqual([]);
      expect(text).not.toContain(REFERENCE);
      expect(text).not.toContain(EXPLANATION);
    }
    // The blank answers appear only in the member's own saved answers, never in the questions.
    for (const text of texts.slice(0, 1)) for (const blank of BLANK_ANSWERS) expect(text).not.toContain(blank);
    const resumed = JSON.parse(texts[texts.length - 4]!);
    for (const blank of BLANK_ANSWERS) expect(JSON.stringify(resumed.questions)).not.toContain(blank);
    for (const q of resumed.questions)
      expect(Object.keys(q).sort()).toEqual(['blanks', 'imageUrl', 'item', 'kind', 'options', 'points', 'stem']);
  });

  it('refuses a second device at start, save, read and submit, naming what to do', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: OBJECTIVE });
    const first = await start('member03', examId, PHONE);
    expect(first.status).toBe(200);
    const other = await start('member03', examId, LAPTOP);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({
      code: 'other_device',
      message: 'This exam is open on another device. Continue there, or ask an administrator to void this attempt and grant another.',
    });
    const q = first.body.questions[0];
    const saveElsewhere = await save('member03', first.body.attemptId, q.item, rightAnswer(q.stem), 0, LAPTOP);
    expect(saveElsewhere.status).toBe(409);
    expect(saveElsewhere.body.code).toBe('other_device');
    expect((await read('member03', first.body.attemptId, LAPTOP)).body.code).toBe('other_device');
    expect((await submit('member03', first.body.attemptId, LAPTOP)).body.code).toBe('other_device');
    const stored = await catalog.dataSource.query(`SELECT count(*)::int AS n FROM exam_answers WHERE attempt_id = $1`, [
      first.body.attemptId,
    ]);
    expect(stored[0].n).toBe(0);
    const view = await catalog
      .http()
      .get(`/api/me/exams/${examId}`)
      .set(as(await tokenOf('member03')))
      .set('X-Exam-Device', LAPTOP);
    expect(view.body).toMatchObject({ block: 'in_progress_elsewhere', openAttemptId: first.body.attemptId });
    const refused = await catalog.dataSource.query(
      `SELECT count(*)::int AS n FROM exam_attempt_events WHERE attempt_id = $1 AND kind = 'refused'`,
      [first.body.attemptId],
    );
    expect(refused[0].n).toBe(3);
    expect((await start('member03', examId, 'short')).status).toBe(400);
  });

  it('refuses a save that names an old revision, with the stored one, and refuses a malformed answer', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: OBJECTIVE });
    const { body: paper } = await start('member04', examId, PHONE);
    const q = paper.questions.find((x: { kind: string }) => x.kind === 'single');
    const keys = q.options.map((o: { key: string }) => o.key);
    expect((await save('member04', paper.attemptId, q.item, { keys: [keys[0]] }, 0, PHONE)).body.revision).toBe(1);
    const stale = await save('member04', paper.attemptId, q.item, { keys: [keys[1]] }, 0, PHONE);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'stale', revision: 1 });
    expect((await save('member04', paper.attemptId, q.item, { keys: [keys[1]] }, 1, PHONE)).body.revision).toBe(2);
    const ahead = await save('member04', paper.attemptId, q.item, { keys: [keys[2]] }, 7, PHONE);
    expect(ahead.body).toMatchObject({ code: 'stale', revision: 2 });
    const [{ answer, revision }] = await catalog.dataSource.query(`SELECT answer, revision FROM exam_answers WHERE attempt_id = $1`, [
      paper.attemptId,
    ]);
    expect({ answer, revision }).toEqual({ answer: { keys: [keys[1]] }, revision: 2 });

    const wrongKind = await save('member04', paper.attemptId, q.item, { value: true }, 2, PHONE);
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.code).toBe('invalid_answer');
    expect((await save('member04', paper.attemptId, q.item, { keys: ['Z'] }, 2, PHONE)).body.code).toBe('invalid_answer');
    expect((await save('member04', paper.attemptId, 99, { keys: [keys[0]] }, 0, PHONE)).status).toBe(404);
    expect((await save('member04', paper.attemptId, q.item, { nonsense: 1 }, 2, PHONE)).status).toBe(400);
  });

  it('accepts saves within the grace after the deadline, refuses a late submit, and submits what was saved', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: OBJECTIVE });
    const { body: paper } = await start('member05', examId, PHONE);
    const [first, second] = paper.questions;
    expect((await save('member05', paper.attemptId, first.item, rightAnswer(first.stem), 0, PHONE)).status).toBe(200);
    await deadlineAgo(paper.attemptId, 5);
    const inGrace = await save('member05', paper.attemptId, second.item, rightAnswer(second.stem), 0, PHONE);
    expect(inGrace.status).toBe(200);
    expect(inGrace.body.remainingSec).toBe(0);

    await deadlineAgo(paper.attemptId, 31);
    const late = await submit('member05', paper.attemptId, PHONE);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'time_up' });
    expect(late.body.message).toContain('Time is up');
    const lateSave = await save('member05', paper.attemptId, first.item, rightAnswer(first.stem), 1, PHONE);
    expect(lateSave.status).toBe(409);
    expect(lateSave.body.code).toBe('time_up');

    const result = await catalog
      .http()
      .get(`/api/me/attempts/${paper.attemptId}/result`)
      .set(as(await tokenOf('member05')));
    expect(result.body).toMatchObject({ status: 'graded', submitReason: 'time_out', score: first.points + second.points });
    expect(result.body.questions.filter((q: { answer: unknown }) => q.answer !== null)).toHaveLength(2);
  });

  it('submits an overdue attempt with its saved answers when it is next read, and by the sweeper when nobody reads it', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, maxAttempts: 2 });
    const { body: paper } = await start('member06', examId, PHONE);
    const answered = paper.questions.filter((q: { kind: string }) => q.kind !== 'short_answer');
    for (const q of answered) await save('member06', paper.attemptId, q.item, rightAnswer(q.stem), 0, PHONE);
    await deadlineAgo(paper.attemptId, 120);
    const readLate = await read('member06', paper.attemptId, PHONE);
    expect(readLate.status).toBe(200);
    const objectivePoints = OBJECTIVE.reduce((sum, q) => sum + (q.points ?? 1), 0);
    // The short answer was left empty: nothing waits for a grader.
    expect(readLate.body).toMatchObject({ status: 'graded', submitReason: 'time_out', score: objectivePoints, pendingItems: 0 });
    const kinds = await catalog.dataSource.query(`SELECT kind FROM exam_attempt_events WHERE attempt_id = $1 ORDER BY id`, [
      paper.attemptId,
    ]);
    expect(kinds.at(-1).kind).toBe('timed_out');

    const { body: second } = await start('member06', examId, PHONE);
    expect(second.attemptId).not.toBe(paper.attemptId);
    expect(second.number).toBe(2);
    const q = second.questions.find((x: { kind: string }) => x.kind !== 'short_answer');
    await save('member06', second.attemptId, q.item, rightAnswer(q.stem), 0, PHONE);
    await deadlineAgo(second.attemptId, 120);
    const sweeper = catalog.app.get(AttemptSweeper);
    // The interval may have swept it a moment earlier; either way the sweeper submitted it, not a read.
    await sweeper.sweepNow();
    const [swept] = await catalog.dataSource.query(
      `SELECT status, submit_reason, auto_score::float8 AS score FROM exam_attempts WHERE id = $1`,
      [second.attemptId],
    );
    expect(swept).toEqual({ status: 'graded', submit_reason: 'time_out', score: q.points });
    expect(await sweeper.sweepNow()).toBe(0);
  });

  it('a double-tapped start gives one attempt; submitting grades objective answers at once and leaves short answers for a grader', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, maxAttempts: 1 });
    const [a, b] = await Promise.all([start('member07', examId, PHONE), start('member07', examId, PHONE)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.attemptId).toBe(b.body.attemptId);
    for (const q of a.body.questions) await save('member07', a.body.attemptId, q.item, rightAnswer(q.stem), 0, PHONE);
    const done = await submit('member07', a.body.attemptId, PHONE);
    expect(done.status).toBe(200);
    const objectivePoints = OBJECTIVE.reduce((sum, q) => sum + (q.points ?? 1), 0);
    expect(done.body).toMatchObject({
      status: 'grading',
      submitReason: 'member',
      autoScore: objectivePoints,
      score: null,
      pendingItems: 1,
    });
    expect(done.body.questions.every((q: { key: unknown; explanation: unknown }) => q.key === null && q.explanation === null)).toBe(true);
    expect((await submit('member07', a.body.attemptId, PHONE)).status).toBe(200);
    const view = await catalog
      .http()
      .get(`/api/me/exams/${examId}`)
      .set(as(await tokenOf('member07')));
    expect(view.body).toMatchObject({ attemptsUsed: 1, attemptsLeft: 0, block: 'no_attempts_left', result: { status: 'grading' } });
    const refused = await start('member07', examId, PHONE);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('no_attempts_left');
  });

  it('draws a paper from the bank by the exam’s rules, freezes it, and gives it back the same on resume', async () => {
    const bank: FixtureQuestion[] = Array.from({ length: 6 }, (_, i) => ({
      kind: 'true_false' as const,
      stem: `判断题 ${i + 1}`,
      answer: { value: i % 2 === 0 },
      points: 1,
    }));
    const { examId, questionIds } = await insertPublishedExam(catalog.dataSource, { questions: bank });
    await catalog.dataSource.query(`DELETE FROM exam_fixed_items WHERE exam_id = $1`, [examId]);
    // Only these six are left to draw from (the other tests' questions are retired).
    await catalog.dataSource.query(`UPDATE exam_questions SET retired_at = now() WHERE id <> ALL($1::uuid[])`, [questionIds]);
    await catalog.dataSource.query(`UPDATE exams SET paper_kind = 'drawn' WHERE id = $1`, [examId]);
    await catalog.dataSource.query(
      `INSERT INTO exam_draw_rules (exam_id, position, kind, count, points) VALUES ($1, 0, 'true_false', 4, 2.5)`,
      [examId],
    );
    const view = await catalog
      .http()
      .get(`/api/me/exams/${examId}`)
      .set(as(await tokenOf('member11')));
    expect(view.body).toMatchObject({ questionCount: 4, maxScore: 10 });
    const started = await start('member11', examId, PHONE);
    expect(started.status).toBe(200);
    expect(started.body.questions).toHaveLength(4);
    expect(new Set(started.body.questions.map((q: { stem: string }) => q.stem)).size).toBe(4);
    expect(started.body.questions.every((q: { points: number }) => q.points === 2.5)).toBe(true);
    const [row] = await catalog.dataSource.query(`SELECT paper, max_score::float8 AS max FROM exam_attempts WHERE id = $1`, [
      started.body.attemptId,
    ]);
    expect(row.max).toBe(10);
    expect(row.paper.every((item: { questionId: string }) => questionIds.includes(item.questionId))).toBe(true);
    // The bank changes afterwards: the attempt keeps the paper it was given.
    await catalog.dataSource.query(`UPDATE exam_questions SET stem = stem || '（已修改）' WHERE id = ANY($1::uuid[])`, [questionIds]);
    const resumed = await start('member11', examId, PHONE);
    expect(resumed.body.questions).toEqual(started.body.questions);
  });

  it('lists the member’s exams with why one may not be started', async () => {
    const open = await insertPublishedExam(catalog.dataSource, { title: '东区考试', questions: OBJECTIVE, unitPaths: ['committee/east'] });
    const later = await insertPublishedExam(catalog.dataSource, {
      title: '下月考试',
      questions: OBJECTIVE,
      unitPaths: ['committee/east'],
      opensAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
    });
    const west = await insertPublishedExam(catalog.dataSource, { title: '西区考试', questions: OBJECTIVE, unitPaths: ['committee/west'] });
    const token = await tokenOf('member08');
    const [{ path }] = await catalog.dataSource.query(
      `SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = 'member08'`,
    );
    expect(path).toMatch(/^committee\/west/);
    const mine = (await catalog.http().get('/api/me/exams').set(as(token))).body as Array<{ examId: string; block: string | null }>;
    expect(mine.map((x) => x.examId)).toContain(west.examId);
    expect(mine.map((x) => x.examId)).not.toContain(open.examId);
    const foreign = await start('member08', open.examId, PHONE);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('not_in_audience');

    const east = (
      await catalog
        .http()
        .get('/api/me/exams')
        .set(as(await tokenOf('member')))
    ).body as Array<{
      examId: string;
      block: string | null;
      questionCount: number;
      maxScore: number;
    }>;
    expect(east.find((x) => x.examId === later.examId)).toMatchObject({ block: 'not_open', questionCount: OBJECTIVE.length });
    expect((await start('member', later.examId, PHONE)).body.code).toBe('not_open');

    const db = catalog.dataSource;
    const [{ id: courseId }] = await db.query(
      `INSERT INTO courses (title, category_id, status, created_by, published_at)
       SELECT '党史学习', (SELECT id FROM course_categories LIMIT 1), 'published', (SELECT id FROM users WHERE login = 'editor'), now()
       RETURNING id`,
    );
    const lectures = await db.query(
      `INSERT INTO lectures (course_id, position, title) SELECT $1, n, '第' || n || '讲' FROM generate_series(0, 1) n RETURNING id`,
      [courseId],
    );
    const gated = await insertPublishedExam(db, {
      questions: OBJECTIVE,
      unitPaths: ['committee/east'],
      requiresCourseId: courseId,
      requiresShare: 1,
    });
    const learner = await db.query(`SELECT id FROM users WHERE login = 'member10'`);
    await db.query(`INSERT INTO lecture_progress (user_id, lecture_id, completed_at) VALUES ($1, $2, now())`, [
      learner[0].id,
      lectures[0].id,
    ]);
    const view = await catalog
      .http()
      .get(`/api/me/exams/${gated.examId}`)
      .set(as(await tokenOf('member10')));
    expect(view.body.block).toBe('prerequisite');
    expect(view.body.prerequisite).toEqual({ courseTitle: '党史学习', planName: null, requiredShare: 1, doneShare: 0.5 });
    expect((await start('member10', gated.examId, PHONE)).body.code).toBe('prerequisite');
    await db.query(`INSERT INTO lecture_progress (user_id, lecture_id, completed_at) VALUES ($1, $2, now())`, [
      learner[0].id,
      lectures[1].id,
    ]);
    expect((await start('member10', gated.examId, PHONE)).status).toBe(200);
  });
});

describe('saving an answer ahead of Express', () => {
  const ID = '0b0e3f5c-6a47-4d55-9a55-6f1d6c0f2a11';
  /** The same app through Express and Nest's pipeline only, as every route but the fast paths is served. */
  const nest = () => request(catalog.app.getHttpAdapter().getInstance());
  const endpoint = () => catalog.app.get(AnswerEndpoint);

  it('answers every refusal and every save exactly as the Nest route does', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: OBJECTIVE });
    const { body: paper } = await start('member12', examId, PHONE);
    const q = paper.questions.find((x: { kind: string }) => x.kind === 'single');
    const keys: string[] = q.options.map((o: { key: string }) => o.key);
    const member = as(await tokenOf('member12'));
    const url = (attemptId: string, item: number | string) => `/api/me/attempts/${attemptId}/answers/${item}`;
    const body = (baseRevision: number) => ({ answer: { keys: [keys[0]] }, baseRevision });
    const cases: Array<[string, string, Record<string, string>, unknown, number]> = [
      ['no token', url(paper.attemptId, q.item), { 'X-Exam-Device': PHONE }, body(0), 401],
      ['a bad token', url(paper.attemptId, q.item), { Authorization: 'Bearer not.a.token', 'X-Exam-Device': PHONE }, body(0), 401],
      ['an administrator', url(paper.attemptId, q.item), { ...as(await tokenOf('admin')), 'X-Exam-Device': PHONE }, body(0), 403],
      ['an inspector', url(paper.attemptId, q.item), { ...as(await tokenOf('inspector')), 'X-Exam-Device': PHONE }, body(0), 403],
      ['an attempt id that is no id', url('nope', q.item), { ...member, 'X-Exam-Device': PHONE }, body(0), 400],
      ['an item that is no number', url(paper.attemptId, 'x'), { ...member, 'X-Exam-Device': PHONE }, body(0), 400],
      ['a body of the wrong shape', url(paper.attemptId, q.item), { ...member, 'X-Exam-Device': PHONE }, { nonsense: 1 }, 400],
      ['no body', url(paper.attemptId, q.item), { ...member, 'X-Exam-Device': PHONE }, undefined, 400],
      ['no device key', url(paper.attemptId, q.item), member, body(0), 400],
      ['a short device key', url(paper.attemptId, q.item), { ...member, 'X-Exam-Device': 'short' }, body(0), 400],
      ['another device', url(paper.attemptId, q.item), { ...member, 'X-Exam-Device': LAPTOP }, body(0), 409],
      ['an attempt of someone else', url(ID, q.item), { ...member, 'X-Exam-Device': PHONE }, body(0), 404],
      ['a question not on the paper', url(paper.attemptId, 99), { ...member, 'X-Exam-Device': PHONE }, body(0), 404],
      [
        'an answer of the wrong kind',
        url(paper.attemptId, q.item),
        { ...member, 'X-Exam-Device': PHONE },
        { answer: { value: true }, baseRevision: 0 },
        409,
      ],
    ];
    const calls = jest.spyOn(endpoint(), 'handleRaw');
    try {
      for (const [what, path, headers, sent, status] of cases) {
        const fast = await catalog
          .http()
          .put(path)
          .set({ 'Content-Type': 'application/json', ...headers })
          .send(sent === undefined ? '' : JSON.stringify(sent));
        const routed = await nest()
          .put(path)
          .set({ 'Content-Type': 'application/json', ...headers })
          .send(sent === undefined ? '' : JSON.stringify(sent));
        expect({ what, status: fast.status, body: fast.body }).toEqual({ what, status, body: routed.body });
        expect({ what, status: routed.status }).toEqual({ what, status });
      }
      expect(calls).toHaveBeenCalledTimes(cases.length);

      const saved = await catalog.http().put(url(paper.attemptId, q.item)).set(member).set('X-Exam-Device', PHONE).send(body(0));
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ item: q.item, revision: 1 });
      const staleFast = await catalog.http().put(url(paper.attemptId, q.item)).set(member).set('X-Exam-Device', PHONE).send(body(0));
      const staleNest = await nest().put(url(paper.attemptId, q.item)).set(member).set('X-Exam-Device', PHONE).send(body(0));
      expect(staleFast.status).toBe(409);
      expect(staleFast.body).toEqual(staleNest.body);
      expect(staleFast.body).toMatchObject({ statusCode: 409, code: 'stale', revision: 1 });
      const routedSave = await nest().put(url(paper.attemptId, q.item)).set(member).set('X-Exam-Device', PHONE).send(body(1));
      expect(routedSave.status).toBe(200);
      expect(Object.keys(routedSave.body).sort()).toEqual(Object.keys(saved.body).sort());
      expect(routedSave.body).toMatchObject({ item: q.item, revision: 2 });
      expect(calls).toHaveBeenCalledTimes(cases.length + 2);
    } finally {
      calls.mockRestore();
    }
  });

  it('takes every spelling of the path that Express routes there, and refuses a body that is not JSON or too large', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: OBJECTIVE });
    const { body: paper } = await start('member14', examId, PHONE);
    const q = paper.questions.find((x: { kind: string }) => x.kind === 'single');
    const keys: string[] = q.options.map((o: { key: string }) => o.key);
    const member = as(await tokenOf('member14'));
    const spellings = [
      `/api/me/attempts/${paper.attemptId}/answers/${q.item}`,
      `/api/me/attempts/${paper.attemptId}/answers/${q.item}/`,
      `/API/Me/Attempts/${paper.attemptId}/Answers/${q.item}`,
      `/api/me/attempts/${paper.attemptId}/answers/${q.item}?x=1`,
      `/api/me/attempts/${paper.attemptId}/answers/%${(48 + q.item).toString(16)}`,
    ];
    const calls = jest.spyOn(endpoint(), 'handleRaw');
    try {
      for (const [n, path] of spellings.entries()) {
        const saved = await catalog
          .http()
          .put(path)
          .set(member)
          .set('X-Exam-Device', PHONE)
          .send({ answer: { keys: [keys[n % keys.length]] }, baseRevision: n });
        expect({ path, status: saved.status, revision: saved.body.revision }).toEqual({ path, status: 200, revision: n + 1 });
      }
      expect(calls).toHaveBeenCalledTimes(spellings.length);
      const path = spellings[0]!;
      const notJson = await catalog
        .http()
        .put(path)
        .set(member)
        .set('X-Exam-Device', PHONE)
        .set('Content-Type', 'application/json')
        .send('{"answer":');
      expect(notJson.status).toBe(400);
      expect(notJson.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('JSON') });
      const huge = { answer: { text: 'x'.repeat(1024 * 1024) }, baseRevision: spellings.length };
      const tooLarge = await catalog.http().put(path).set(member).set('X-Exam-Device', PHONE).send(huge);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body).toMatchObject({ statusCode: 413, message: expect.stringContaining('1 MB') });
      expect(calls).toHaveBeenCalledTimes(spellings.length + 2);
      const [{ revision }] = await catalog.dataSource.query(`SELECT revision FROM exam_answers WHERE attempt_id = $1 AND item = $2`, [
        paper.attemptId,
        q.item,
      ]);
      expect(revision).toBe(spellings.length);
    } finally {
      calls.mockRestore();
    }
  });
});
