import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyPlan, PlanExamStatus } from '#contracts';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { insertAttempt, insertExam, startWithStudiedMember } from './support/exam-rows.js';

/**
 * Plans that require exams: a member meets the plan only once the hours, the compulsory lectures and every
 * required exam (best graded attempt, not voided) are done; My study, the plan members report and the
 * rollup agree; closing the plan freezes the exam results.
 */

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);

/** An exam made directly in the tables (the exam endpoints are another part's), for the units given. */
const makeExam = (title: string, ownerPath: string, unitPaths: string[], status = 'published', maxAttempts = 3) =>
  insertExam(catalog.dataSource, title, { ownerPath, unitPaths, status, maxAttempts });

/** A submitted attempt of 10 points with the given score; graded (passed at 60 %) unless `grading`. */
const attempt = (examId: string, userId: string, score: number | null, status: 'graded' | 'grading' = 'graded') =>
  insertAttempt(catalog.dataSource, examId, userId, { score, pending: status === 'grading' });

const voidAttempt = (attemptId: string) =>
  q(`UPDATE exam_attempts SET status = 'voided', voided_at = now(), void_reason = 'test: copied answers' WHERE id = $1`, [attemptId]);

const createPlan = async (body: Record<string, unknown>, token = eastAdmin) =>
  catalog
    .http()
    .post('/api/study-plans')
    .set(as(token))
    .send({ name: 'Plan', periodStart: daysFromToday(-30), periodEnd: daysFromToday(30), requiredHours: 0.5, ...body });

const myPlan = async (planId: string) =>
  ((await catalog.http().get('/api/me/study').set(as(member))).body.plans as MyPlan[]).find((p) => p.id === planId)!;

interface Row {
  login: string;
  status: string;
  exams?: Array<{ examId: string; outcome: string; score: number | null }>;
  examsMissing?: number;
}
const reportRows = async (planId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return answer.body.items as Row[];
};
const overview = async (planId: string, fresh: boolean) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=${fresh}`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return answer.body.items as Array<{ path: string; members: number; met: number; onTrack: number; behind: number; notStarted: number }>;
};

/** My study, the members report, the live overview and the rollup all say the same about the plan. */
async function expectAgreement(planId: string, expected: string) {
  expect((await myPlan(planId)).status).toBe(expected);
  const rows = await reportRows(planId);
  expect(rows.find((r) => r.login === 'member')!.status).toBe(expected);
  const met = rows.filter((r) => r.status === 'met').length;
  const [live] = await overview(planId, true);
  const [rolled] = await overview(planId, false);
  expect(live!.met).toBe(met);
  expect(rolled).toEqual(live);
}

beforeAll(async () => {
  // The member has the plan's hours: only the exam can stand between them and the plan.
  ({ catalog, eastAdmin, member, memberId } = await startWithStudiedMember('安全知识', 3600));
}, 120_000);
afterAll(() => catalog.close());

describe('plans that require exams', () => {
  it('lists the required exams and refuses exams outside the organisation or archived', async () => {
    const examId = await makeExam('东区结业考试', 'committee/east', ['committee/east']);
    const plan = await createPlan({ name: '要考试的计划', examIds: [examId, examId] });
    expect(plan.status).toBe(201);
    expect(plan.body.exams).toEqual([{ id: examId, title: '东区结业考试' }]);

    const west = await makeExam('西区考试', 'committee/west', ['committee/west']);
    const foreign = await createPlan({ examIds: [west] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain('examIds');
    const archived = await makeExam('旧考试', 'committee/east', ['committee/east'], 'archived');
    const old = await createPlan({ examIds: [archived] });
    expect(old.status).toBe(400);
    expect(old.body.message).toContain('archived');
    // An exam owned above the admin's branch and set for it is theirs to require.
    const committeeExam = await makeExam('全委会考试', 'committee', ['committee']);
    expect((await createPlan({ examIds: [committeeExam] })).status).toBe(201);
  });

  it('is met only after a passed attempt: not after a failed one, nor a passed one that was voided', async () => {
    const examId = await makeExam('必考', 'committee/east', ['committee/east'], 'published', 3);
    const plan = (await createPlan({ name: '必考计划', examIds: [examId] })).body as { id: string };
    await expectAgreement(plan.id, 'on_track');
    const before = (await myPlan(plan.id)).exams as PlanExamStatus[];
    expect(before).toEqual([
      expect.objectContaining({
        examId,
        title: '必考',
        outcome: 'not_taken',
        attemptsLeft: 3,
        score: null,
        percent: null,
        creditHours: null,
      }),
    ]);

    await attempt(examId, memberId, 4);
    await expectAgreement(plan.id, 'on_track');
    expect((await myPlan(plan.id)).exams[0]).toMatchObject({ outcome: 'failed', attemptsLeft: 2, score: 4, maxScore: 10, percent: 40 });

    const cheated = await attempt(examId, memberId, 10);
    await expectAgreement(plan.id, 'met');
    await voidAttempt(cheated);
    await expectAgreement(plan.id, 'on_track');
    // A voided attempt is not used: the member has the same attempts left as before it.
    expect((await myPlan(plan.id)).exams[0]).toMatchObject({ outcome: 'failed', attemptsLeft: 2 });

    await attempt(examId, memberId, null, 'grading');
    expect((await myPlan(plan.id)).exams[0]).toMatchObject({ outcome: 'grading', attemptsLeft: 1 });
    await expectAgreement(plan.id, 'on_track');

    await attempt(examId, memberId, 8);
    await expectAgreement(plan.id, 'met');
    expect((await myPlan(plan.id)).exams[0]).toMatchObject({ outcome: 'passed', attemptsLeft: 0, score: 8, percent: 80 });
    const row = (await reportRows(plan.id)).find((r) => r.login === 'member')!;
    expect(row).toMatchObject({ examsMissing: 0, exams: [{ examId, outcome: 'passed', score: 8 }] });

    // The members export carries the exam's outcome and score beside the hours, as the screen does.
    const csv = await catalog.http().get(`/api/reports/plans/${plan.id}/members?format=csv&lang=en`).set(as(eastAdmin));
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(header).toContain('必考: outcome');
    expect(header).toContain('必考: score');
    const cells = lines.find((line) => line.includes(',member,'))!.split(',');
    const columns = header!.split(',');
    expect(cells[columns.indexOf('必考: score')]).toBe('8');
  });

  it('counts sitting a required exam as a start, and needs every required exam', async () => {
    const first = await makeExam('第一场', 'committee/east', ['committee/east']);
    const second = await makeExam('第二场', 'committee/east', ['committee/east']);
    const plan = (await createPlan({ name: '两场考试', examIds: [first, second], requiredHours: 0.01 })).body as { id: string };
    const [other] = await q(
      `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path = 'committee/east/group-2' AND u.role = 'member' AND u.active ORDER BY u.login LIMIT 1`,
    );
    expect((await reportRows(plan.id)).find((r) => r.login === other.login)!.status).toBe('not_started');
    await attempt(first, other.id, 2);
    // Started, with no hours halfway through the period: behind, no longer "not started".
    expect((await reportRows(plan.id)).find((r) => r.login === other.login)!.status).toBe('behind');
    await attempt(first, memberId, 9);
    await expectAgreement(plan.id, 'on_track');
    await attempt(second, memberId, 6);
    await expectAgreement(plan.id, 'met');
  });

  it('freezes the exam results when the plan closes: later attempts and voids change nothing', async () => {
    const examId = await makeExam('结业', 'committee/east', ['committee/east']);
    const plan = (await createPlan({ name: '将关闭', examIds: [examId] })).body as { id: string };
    const passed = await attempt(examId, memberId, 7);
    const [other] = await q(
      `SELECT u.id, u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path = 'committee/east/group-2' AND u.role = 'member' AND u.active ORDER BY u.login LIMIT 1`,
    );
    expect((await catalog.http().post(`/api/reports/plans/${plan.id}/close`).set(as(eastAdmin))).status).toBe(200);
    const [frozen] = await q(`SELECT exams, exams_missing, status FROM study_plan_results WHERE plan_id = $1 AND user_id = $2`, [
      plan.id,
      memberId,
    ]);
    expect(frozen).toMatchObject({
      status: 'met',
      exams_missing: 0,
      exams: [{ examId, title: '结业', passed: true, score: 7, maxScore: 10, percent: 70 }],
    });

    await voidAttempt(passed);
    await attempt(examId, other.id, 10);
    const mine = await myPlan(plan.id);
    expect(mine).toMatchObject({ status: 'met', closedAt: expect.any(String) });
    expect(mine.exams).toEqual([expect.objectContaining({ examId, outcome: 'passed', score: 7, percent: 70 })]);
    const rows = await reportRows(plan.id);
    expect(rows.find((r) => r.login === 'member')).toMatchObject({ status: 'met', exams: [{ outcome: 'passed', score: 7 }] });
    expect(rows.find((r) => r.login === other.login)).toMatchObject({
      status: 'not_started',
      examsMissing: 1,
      exams: [{ outcome: 'not_taken', score: null }],
    });
  });
});
