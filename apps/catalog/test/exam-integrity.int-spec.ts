import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertPublishedExam, type FixtureQuestion } from '../src/exams/taking/exam-fixtures.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const PHONE = 'integrity-phone-key-01';
const LAPTOP = 'integrity-laptop-key-02';
const QUESTIONS: FixtureQuestion[] = [
  { kind: 'true_false', stem: '党员应当参加组织生活。', answer: { value: true }, points: 5 },
  { kind: 'true_false', stem: '党员可以不交党费。', answer: { value: false }, points: 5 },
];

const http = () => catalog.http();
const token = (login: string) => catalog.tokenFor(login);
const start = async (login: string, examId: string, device: string) =>
  http()
    .post(`/api/me/exams/${examId}/attempts`)
    .set(as(await token(login)))
    .set('X-Exam-Device', device);
const submit = async (login: string, attemptId: string, device: string) =>
  http()
    .post(`/api/me/attempts/${attemptId}/submit`)
    .set(as(await token(login)))
    .set('X-Exam-Device', device);
const myExam = async (login: string, examId: string) =>
  (
    await http()
      .get(`/api/me/exams/${examId}`)
      .set(as(await token(login)))
  ).body;
const userId = async (login: string) => (await catalog.dataSource.query(`SELECT id FROM users WHERE login = $1`, [login]))[0].id as string;

beforeAll(async () => {
  catalog = await startCatalog();
}, 60_000);
afterAll(() => catalog.close());

describe('exam integrity', () => {
  it('an attempt stuck on a lost phone is voided and the member starts again on another device; extra attempts are granted with a reason; the audit names who did what', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, maxAttempts: 1 });
    const admin = await token('east-admin');
    const first = await start('member', examId, PHONE);
    expect(first.status).toBe(200);
    expect((await start('member', examId, LAPTOP)).body.code).toBe('other_device');

    const listed = await http().get(`/api/exams/${examId}/attempts`).set(as(admin));
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [
        expect.objectContaining({
          attemptId: first.body.attemptId,
          status: 'in_progress',
          number: 1,
          member: expect.objectContaining({ login: 'member' }),
        }),
      ],
      nextCursor: null,
    });

    expect((await http().post(`/api/exam-attempts/${first.body.attemptId}/void`).set(as(admin)).send({ reason: ' ' })).status).toBe(400);
    const voided = await http()
      .post(`/api/exam-attempts/${first.body.attemptId}/void`)
      .set(as(admin))
      .send({ reason: '手机丢失，换电脑重考' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided', voidReason: '手机丢失，换电脑重考' });
    expect((await http().post(`/api/exam-attempts/${first.body.attemptId}/void`).set(as(admin)).send({ reason: '再次' })).status).toBe(409);
    expect(await myExam('member', examId)).toMatchObject({ attemptsUsed: 0, attemptsLeft: 1, openAttemptId: null, block: null });

    // The voided attempt is closed to the phone too.
    const lateSave = await http()
      .put(`/api/me/attempts/${first.body.attemptId}/answers/0`)
      .set(as(await token('member')))
      .set('X-Exam-Device', PHONE)
      .send({ answer: { value: true }, baseRevision: 0 });
    expect(lateSave.status).toBe(409);
    expect(lateSave.body.code).toBe('voided');

    const second = await start('member', examId, LAPTOP);
    expect(second.status).toBe(200);
    expect(second.body.number).toBe(2);
    expect((await submit('member', second.body.attemptId, LAPTOP)).status).toBe(200);
    expect(await myExam('member', examId)).toMatchObject({ attemptsUsed: 1, attemptsLeft: 0, block: 'no_attempts_left' });

    const member = await userId('member');
    const noReason = await http().post(`/api/exams/${examId}/extra-attempts`).set(as(admin)).send({ userId: member, reason: '' });
    expect(noReason.status).toBe(400);
    const granted = await http().post(`/api/exams/${examId}/extra-attempts`).set(as(admin)).send({ userId: member, reason: '考试时停电' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ examId, userId: member, reason: '考试时停电', grantedBy: { name: '东区管理员' } });
    expect(await myExam('member', examId)).toMatchObject({ attemptsUsed: 1, attemptsLeft: 1, block: null });
    const third = await start('member', examId, LAPTOP);
    expect(third.body.number).toBe(3);

    const audit = await http().get(`/api/exam-attempts/${first.body.attemptId}/audit`).set(as(admin));
    expect(audit.status).toBe(200);
    expect(audit.body.attempt).toMatchObject({ attemptId: first.body.attemptId, status: 'voided' });
    expect(audit.body.events.map((e: { kind: string; actor: { name: string } | null }) => [e.kind, e.actor?.name])).toEqual([
      ['started', '王秀英'],
      ['refused', '王秀英'],
      ['voided', '东区管理员'],
      ['refused', '王秀英'],
    ]);
    expect(audit.body.events[2].detail).toMatchObject({ reason: '手机丢失，换电脑重考', previousStatus: 'in_progress' });
    expect(audit.body.extraAttempts).toEqual([
      expect.objectContaining({ reason: '考试时停电', grantedBy: { id: expect.any(String), name: '东区管理员' } }),
    ]);

    // Paging: newest first, one at a time, to the end.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ attemptId: string }>; nextCursor: string | null } } = await http()
        .get(`/api/exams/${examId}/attempts`)
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(as(admin));
      seen.push(...page.body.items.map((a) => a.attemptId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([third.body.attemptId, second.body.attemptId, first.body.attemptId]);
    const onlyVoided = await http().get(`/api/exams/${examId}/attempts?status=voided`).set(as(admin));
    expect(onlyVoided.body.items.map((a: { attemptId: string }) => a.attemptId)).toEqual([first.body.attemptId]);
  });

  it('a voided graded attempt no longer counts as the result; admins reach only their own subtree', async () => {
    const { examId } = await insertPublishedExam(catalog.dataSource, { questions: QUESTIONS, maxAttempts: 2 });
    const started = await start('member02', examId, PHONE);
    const member02 = await token('member02');
    for (const q of started.body.questions) {
      await http()
        .put(`/api/me/attempts/${started.body.attemptId}/answers/${q.item}`)
        .set(as(member02))
        .set('X-Exam-Device', PHONE)
        .send({ answer: { value: q.stem === QUESTIONS[0]!.stem }, baseRevision: 0 });
    }
    expect((await submit('member02', started.body.attemptId, PHONE)).body).toMatchObject({ status: 'graded', score: 10, passed: true });
    expect((await myExam('member02', examId)).result).toMatchObject({ attemptId: started.body.attemptId, passed: true });

    // member02 is in the west branch: the east admin cannot see, void or grant anything for them.
    const east = await token('east-admin');
    expect((await http().get(`/api/exams/${examId}/attempts`).set(as(east))).body.items).toEqual([]);
    expect((await http().get(`/api/exam-attempts/${started.body.attemptId}/audit`).set(as(east))).status).toBe(404);
    expect((await http().post(`/api/exam-attempts/${started.body.attemptId}/void`).set(as(east)).send({ reason: '作弊' })).status).toBe(
      404,
    );
    const foreign = await http()
      .post(`/api/exams/${examId}/extra-attempts`)
      .set(as(east))
      .send({ userId: await userId('member02'), reason: '补考' });
    expect(foreign.status).toBe(404);
    expect(
      (
        await http()
          .get(`/api/exams/${examId}/attempts`)
          .set(as(await token('editor')))
      ).status,
    ).toBe(403);

    const committee = await token('admin');
    const voided = await http().post(`/api/exam-attempts/${started.body.attemptId}/void`).set(as(committee)).send({ reason: '代考' });
    expect(voided.status).toBe(200);
    expect(await myExam('member02', examId)).toMatchObject({ result: null, attemptsUsed: 0, attemptsLeft: 2 });
    const result = await http().get(`/api/me/attempts/${started.body.attemptId}/result`).set(as(member02));
    expect(result.body).toMatchObject({ status: 'voided' });
    const kept = await catalog.dataSource.query(`SELECT count(*)::int AS n FROM exam_answers WHERE attempt_id = $1`, [
      started.body.attemptId,
    ]);
    expect(kept[0].n).toBe(2);
  });
});
