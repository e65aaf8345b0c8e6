import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MyPlan } from '#contracts';
import type { CatalogHarness } from '../../../test/support/catalog-app.js';
import { insertAttempt, insertExam, startWithStudiedMember } from './support/exam-rows.js';

/**
 * A passed exam adds its stated credit hours to the plans that require it: once per exam, only while the
 * pass stands (a voided pass removes it), only for a pass handed in on a day that counts toward the plan;
 * My study (with its `exam` part), the members report, the live overview and the rollup agree, and closing
 * the plan freezes the hours.
 */

let catalog: CatalogHarness;
let eastAdmin: string;
let member: string;
let memberId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);

/** A published exam made directly in the tables, for the east branch, open these 60 days, with the given credit hours. */
const makeExam = (title: string, creditHours: number | null) =>
  insertExam(catalog.dataSource, title, { ownerPath: 'committee/east', maxAttempts: 5, creditHours, opensDaysAgo: 60 });

/** A graded attempt of 10 points (passed at 6), handed in `daysAgo` days ago. */
const attempt = (examId: string, userId: string, score: number, daysAgo = 0) =>
  insertAttempt(catalog.dataSource, examId, userId, { score, daysAgo });

const voidAttempt = (attemptId: string) =>
  q(`UPDATE exam_attempts SET status = 'voided', voided_at = now(), void_reason = 'test: answers copied' WHERE id = $1`, [attemptId]);

const createPlan = async (name: string, examIds: string[]) => {
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(eastAdmin))
    // A sixth of the period gone: half the hours is on track, whatever the hour the test runs.
    .send({ name, periodStart: daysFromToday(-10), periodEnd: daysFromToday(50), requiredHours: 1, examIds });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};

const myPlan = async (planId: string) =>
  ((await catalog.http().get('/api/me/study').set(as(member))).body.plans as MyPlan[]).find((p) => p.id === planId)!;

const memberRow = async (planId: string) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/members`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return (answer.body.items as Array<{ login: string; status: string; earnedHours: number; remainingHours: number }>).find(
    (r) => r.login === 'member',
  )!;
};

const overview = async (planId: string, fresh: boolean) => {
  const answer = await catalog.http().get(`/api/reports/plans/${planId}/overview?fresh=${fresh}`).set(as(eastAdmin));
  expect(answer.status).toBe(200);
  return answer.body.items as Array<{ members: number; met: number; totalHours: number }>;
};

/** My study, the members report, the live overview and the rollup say the same hours and status. */
async function expectAgreement(planId: string, earnedHours: number, status: string) {
  const mine = await myPlan(planId);
  expect(mine).toMatchObject({ earnedHours, status });
  const parts = mine.hoursByRule.reduce((sum, part) => sum + part.hours, 0);
  expect(parts).toBeCloseTo(mine.earnedHours, 9);
  expect(await memberRow(planId)).toMatchObject({ earnedHours, status });
  const live = await overview(planId, true);
  const rolled = await overview(planId, false);
  expect(rolled).toEqual(live);
  const [rollup] = await q(`SELECT earned_ms::float8 AS earned_ms, met FROM plan_member_totals WHERE plan_id = $1 AND user_id = $2`, [
    planId,
    memberId,
  ]);
  expect(rollup).toEqual({ earned_ms: Math.round(earnedHours * 3_600_000), met: status === 'met' });
  return mine;
}

beforeAll(async () => {
  // Half the plan's hour watched: the exam's half hour of credit is what stands between the member and the plan.
  ({ catalog, eastAdmin, member, memberId } = await startWithStudiedMember('学分课程', 1800));
}, 120_000);
afterAll(() => catalog.close());

describe('exam credit hours', () => {
  it('adds a passed exam’s credit once; a voided pass takes it away; everyone agrees and closing freezes it', async () => {
    const examId = await makeExam('学分考试', 0.5);
    const planId = await createPlan('考试计学时', [examId]);
    let mine = await expectAgreement(planId, 0.5, 'on_track');
    expect(mine.hoursByRule.find((p) => p.rule === 'exam')).toBeUndefined();

    await attempt(examId, memberId, 3);
    await expectAgreement(planId, 0.5, 'on_track');

    const first = await attempt(examId, memberId, 8);
    mine = await expectAgreement(planId, 1, 'met');
    expect(mine.hoursByRule).toEqual([
      { rule: 'watch_time', hours: 0.5, lectures: 1 },
      { rule: 'exam', hours: 0.5, lectures: 0 },
    ]);
    expect(mine.exams[0]).toMatchObject({ examId, outcome: 'passed', creditHours: 0.5 });

    // A second pass of the same exam earns nothing more.
    const second = await attempt(examId, memberId, 9);
    await expectAgreement(planId, 1, 'met');

    // One of the two passes voided: the other still stands; both voided: the credit goes.
    await voidAttempt(first);
    await expectAgreement(planId, 1, 'met');
    await voidAttempt(second);
    mine = await expectAgreement(planId, 0.5, 'on_track');
    expect(mine.hoursByRule.find((p) => p.rule === 'exam')).toBeUndefined();

    await attempt(examId, memberId, 7);
    await expectAgreement(planId, 1, 'met');
    const closed = await catalog.http().post(`/api/reports/plans/${planId}/close`).set(as(eastAdmin));
    expect(closed.status).toBe(200);
    const [frozen] = await q(
      `SELECT earned_hours::float8 AS earned_hours, status FROM study_plan_results WHERE plan_id = $1 AND user_id = $2`,
      [planId, memberId],
    );
    expect(frozen).toEqual({ earned_hours: 1, status: 'met' });
    // Voiding the pass after closing changes nothing in the frozen result.
    await q(`UPDATE exam_attempts SET status = 'voided', voided_at = now(), void_reason = 'test' WHERE exam_id = $1 AND user_id = $2`, [
      examId,
      memberId,
    ]);
    expect(await myPlan(planId)).toMatchObject({ earnedHours: 1, status: 'met', hoursByRule: [{ rule: 'frozen', hours: 1, lectures: 0 }] });
    expect(await memberRow(planId)).toMatchObject({ earnedHours: 1, status: 'met' });
  });

  it('counts only a pass handed in on a day that counts toward the plan, and exams without credit add nothing', async () => {
    const early = await makeExam('期前考试', 0.5);
    const plain = await makeExam('不计学时', null);
    const planId = await createPlan('期内才计', [early, plain]);
    // Passed before the period: the requirement is met, but the hours are not earned in the plan.
    await attempt(early, memberId, 10, 40);
    await attempt(plain, memberId, 10);
    const mine = await expectAgreement(planId, 0.5, 'on_track');
    expect(mine.exams.map((e) => e.outcome)).toEqual(['passed', 'passed']);
    // Passed again inside the period: now it counts.
    await attempt(early, memberId, 6, 1);
    await expectAgreement(planId, 1, 'met');
  });

  it('an exam the plan does not require adds nothing to it', async () => {
    const required = await makeExam('要求的', null);
    const other = await makeExam('别的考试', 2);
    const planId = await createPlan('不要求那场', [required]);
    await attempt(other, memberId, 10);
    await attempt(required, memberId, 10);
    await expectAgreement(planId, 0.5, 'on_track');
  });

  it('a change of an exam’s credit hours reaches the rollup at once, for every plan that requires it', async () => {
    const examId = await makeExam('改学时', 0.5);
    const planId = await createPlan('学时会变', [examId]);
    await attempt(examId, memberId, 9);
    await expectAgreement(planId, 1, 'met');
    await q(`UPDATE exams SET credit_hours = 0.25 WHERE id = $1`, [examId]);
    await expectAgreement(planId, 0.75, 'on_track');
    await q(`UPDATE exams SET credit_hours = NULL WHERE id = $1`, [examId]);
    await expectAgreement(planId, 0.5, 'on_track');
  });
});
