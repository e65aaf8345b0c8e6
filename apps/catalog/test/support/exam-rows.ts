import { expect } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../src/seed/demo-organisation.js';
import { startCatalog, type CatalogHarness } from '../../../../test/support/catalog-app.js';
import { creditStudy, publishedCourse } from '../../../../test/support/study-fixtures.js';

export interface BankSetUp {
  catalog: CatalogHarness;
  /** Unit ids by path (`committee/east`). */
  units: Record<string, string>;
  /** A signed-in token for each login asked for. */
  tokens: Record<string, string>;
}

/**
 * Starts the catalog on the demo organisation with an editor in each branch of the committee
 * (`east-editor` in committee/east, `west-editor` in committee/west), made by the committee admin the way an
 * organisation would, and signs in `logins`.
 */
export async function startWithBranchEditors(logins: readonly string[]): Promise<BankSetUp> {
  const catalog = await startCatalog();
  const units: Record<string, string> = {};
  for (const { id, path } of await catalog.dataSource.query(`SELECT id, path FROM org_units`)) units[path] = id;
  const admin = await catalog.tokenFor('admin');
  for (const [login, unit] of [
    ['east-editor', 'committee/east'],
    ['west-editor', 'committee/west'],
  ]) {
    const created = await catalog
      .http()
      .post('/api/members')
      .set('Authorization', `Bearer ${admin}`)
      .send({ login, name: login, role: 'editor', orgUnitId: units[unit], password: DEMO_PASSWORD });
    expect(created.status).toBe(201);
  }
  const tokens: Record<string, string> = {};
  for (const login of logins) tokens[login] = await catalog.tokenFor(login);
  return { catalog, units, tokens };
}

const unitIdOf = async (db: DataSource, path: string) =>
  (await db.query(`SELECT id FROM org_units WHERE path = $1`, [path]))[0].id as string;

/**
 * An exam made directly in the tables (for tests of the parts that read exams): a fixed paper of 30 minutes
 * with a 60 % pass mark, open since `opensDaysAgo` days (yesterday when not given) for ten more days, made by
 * `editor`, for `unitPaths` (the owner's unit when not given), with `creditHours` of study credit (none when
 * not given).
 */
export async function insertExam(
  db: DataSource,
  title: string,
  {
    ownerPath = 'committee',
    unitPaths = [ownerPath],
    status = 'published',
    maxAttempts = 3,
    preExamId = null,
    creditHours = null,
    opensDaysAgo = 1,
  }: {
    ownerPath?: string;
    unitPaths?: string[];
    status?: string;
    maxAttempts?: number;
    preExamId?: string | null;
    creditHours?: number | null;
    opensDaysAgo?: number;
  } = {},
): Promise<string> {
  const [editor] = await db.query(`SELECT id FROM users WHERE login = 'editor'`);
  const [exam] = await db.query(
    `INSERT INTO exams (owner_unit_id, title, paper_kind, time_limit_min, pass_percent, max_attempts, opens_at, closes_at, status, created_by,
                        pre_exam_id, credit_hours)
     VALUES ($1, $2, 'fixed', 30, 60, $3, now() - make_interval(days => $8), now() + interval '10 days', $4, $5, $6, $7) RETURNING id`,
    [await unitIdOf(db, ownerPath), title, maxAttempts, status, editor.id, preExamId, creditHours, opensDaysAgo],
  );
  for (const path of unitPaths) {
    await db.query(`INSERT INTO exam_units (exam_id, org_unit_id) VALUES ($1, $2)`, [exam.id, await unitIdOf(db, path)]);
  }
  return exam.id;
}

/**
 * The member's next attempt, submitted `daysAgo` days ago (now when not given), on a paper of 10 points:
 * graded with `score` (passed from 6), or when `pending` waiting for a grader with `score` the points graded so
 * far (null: none).
 */
export async function insertAttempt(
  db: DataSource,
  examId: string,
  userId: string,
  { score, pending = false, paper = [], daysAgo = 0 }: { score: number | null; pending?: boolean; paper?: unknown[]; daysAgo?: number },
): Promise<string> {
  const [{ n }] = await db.query(`SELECT count(*)::int + 1 AS n FROM exam_attempts WHERE exam_id = $1 AND user_id = $2`, [examId, userId]);
  const [row] = await db.query(
    `INSERT INTO exam_attempts (exam_id, user_id, number, device_hash, started_at, deadline_at, paper, max_score, status, submitted_at,
                                submit_reason, auto_score, score, passed, graded_at)
     VALUES ($1, $2, $3, 'test', now() - make_interval(days => $9), now() - make_interval(days => $9) + interval '30 minutes', $4::jsonb, 10, $5,
             now() - make_interval(days => $9), 'member', $6, $7, $8, CASE WHEN $5 = 'graded' THEN now() - make_interval(days => $9) END)
     RETURNING id`,
    [
      examId,
      userId,
      n,
      JSON.stringify(paper),
      pending ? 'grading' : 'graded',
      score,
      pending ? null : score,
      pending || score === null ? null : score >= 6,
      daysAgo,
    ],
  );
  return row.id;
}

export interface StudiedMember {
  catalog: CatalogHarness;
  eastAdmin: string;
  member: string;
  memberId: string;
  lectureId: string;
}

/**
 * Starts the catalog with the east branch's admin and the demo member signed in, and one published
 * one-lecture course `courseTitle` of which the member has `seconds` credited today: the set-up of the
 * tests of plans that require exams.
 */
export async function startWithStudiedMember(courseTitle: string, seconds: number): Promise<StudiedMember> {
  const catalog = await startCatalog();
  const eastAdmin = await catalog.tokenFor('east-admin');
  const member = await catalog.tokenFor('member');
  const memberId = (await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`))[0].id as string;
  const {
    lectures: [lectureId],
  } = await publishedCourse(catalog, courseTitle, ['第一讲']);
  const today = new Date().toISOString().slice(0, 10);
  await creditStudy(catalog, memberId, lectureId, today, seconds);
  return { catalog, eastAdmin, member, memberId, lectureId };
}
