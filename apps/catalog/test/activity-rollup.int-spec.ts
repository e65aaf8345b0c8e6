import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { ActivityRollup, DEFAULT_ACTIVITY_OPTIONS } from '../src/reports/activity-rollup.js';
import { ActivityReportsService } from '../src/reports/activity-reports.service.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { ScopeService } from '../src/org/scope.service.js';
import { LiveActivityReports } from './support/live-activity-reports.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

/**
 * The trend, course and lecture reports read from the activity rollups (real PostgreSQL): after any
 * changes (study, progress, member transfers and deactivations, lectures archived or moved to another
 * course), drained in chunks of any size, they answer exactly what the live aggregation answers, for
 * the whole organisation and for a branch admin who sees only their branch.
 *
 * Seconds and coverage are multiples of 1/8 and durations powers of two, so every sum is exact in
 * floating point and the two computations agree to the last digit whatever order they add in.
 */

let catalog: CatalogHarness;
let reports: ReportsService;
let activity: ActivityReportsService;
let live: LiveActivityReports;
let planId: string;
const courses: string[] = [];
const lectures: string[] = [];
let memberIds: string[] = [];
let unitIds: string[] = [];
let principals: Principal[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const DURATIONS = [64, 128, 256, null];

const q = (sql: string, params: unknown[] = []) => catalog.dataSource.query(sql, params);
const rollupWith = (chunkSize: number) => new ActivityRollup(catalog.dataSource, { ...DEFAULT_ACTIVITY_OPTIONS, chunkSize });
const backlog = async () => Number((await q(`SELECT count(*) FROM activity_dirty`))[0].count);

const principal = async (login: string): Promise<Principal> => {
  const [p] = await q(
    `SELECT u.id AS "userId", u.login, u.role, u.org_unit_id AS "orgUnitId", o.path AS "orgPath"
       FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $1`,
    [login],
  );
  return p as Principal;
};

/** A report's answer, or 'not found' where it refuses the caller. */
const outcome = async <T>(read: () => Promise<T>): Promise<T | 'not found'> => {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundException) return 'not found';
    throw error;
  }
};

/** Every report of both kinds, for every caller, side by side. */
async function expectSameAsLive(): Promise<void> {
  for (const who of principals) {
    expect(await activity.trend(who, planId)).toEqual(await live.trend(who, planId));
    expect(await activity.courses(who)).toEqual(await live.courses(who));
    for (const lecture of lectures) {
      expect(await outcome(() => activity.lecture(who, lecture))).toEqual(await outcome(() => live.lecture(who, lecture)));
    }
  }
}

beforeAll(async () => {
  catalog = await startCatalog();
  reports = catalog.app.get(ReportsService);
  live = new LiveActivityReports(catalog.app.get(DataSource), catalog.app.get(ScopeService), reports);
  activity = catalog.app.get(ActivityReportsService);
  // Only the tests drain: the app's background refresher is stopped.
  await activity.rollup.stop();
  await reports.rollup.stop();
  const [{ id: editor }] = await q(`SELECT id FROM users WHERE login = 'editor'`);
  const [{ id: committee }] = await q(`SELECT id FROM org_units WHERE path = 'committee'`);
  const [{ id: west }] = await q(`SELECT id FROM org_units WHERE path = 'committee/west'`);
  // A published course for everyone, and a draft shown to nobody: it is reported only where someone studied it.
  for (const [title, status] of [
    ['活动汇总甲', 'published'],
    ['活动汇总乙', 'draft'],
  ]) {
    const [{ id }] = await q(
      `INSERT INTO courses (title, category_id, status, created_by, published_at, owner_unit_id)
       SELECT $1, (SELECT id FROM course_categories ORDER BY code LIMIT 1), $2, $3, now(), $4 RETURNING id`,
      [title, status, editor, committee],
    );
    courses.push(id);
  }
  await q(`INSERT INTO course_visibility (course_id, org_unit_id) VALUES ($1, $2)`, [courses[1], west]);
  for (let i = 0; i < DURATIONS.length; i++) {
    let asset: string | null = null;
    if (DURATIONS[i] !== null) {
      [{ asset_id: asset }] = await q(
        `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES (gen_random_uuid(), 'ready', 'video', $1, '{}') RETURNING asset_id`,
        [DURATIONS[i]],
      );
    }
    const [{ id }] = await q(`INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
      courses[i % 2],
      i,
      `活动第${i + 1}讲`,
      asset,
    ]);
    lectures.push(id);
  }
  const [{ id: plan }] = await q(
    `INSERT INTO study_plans (name, owner_unit_id, period_start, period_end, required_hours, makeup_until, created_by)
     VALUES ('活动趋势', $1, $2, $3, 2, $4, $5) RETURNING id`,
    [committee, daysFromToday(-8), daysFromToday(-2), daysFromToday(3), editor],
  );
  planId = plan;
  await q(`INSERT INTO study_plan_units (plan_id, org_unit_id) VALUES ($1, $2)`, [planId, committee]);
  memberIds = (await q(`SELECT id FROM users WHERE role = 'member' ORDER BY login`)).map((r: { id: string }) => r.id);
  unitIds = (await q(`SELECT id FROM org_units WHERE path LIKE 'committee/%' ORDER BY path`)).map((r: { id: string }) => r.id);
  // Make-up study counts for these members only.
  await q(`INSERT INTO study_plan_makeup (plan_id, user_id) SELECT $1, unnest($2::uuid[])`, [
    planId,
    memberIds.slice(0, memberIds.length / 2),
  ]);
  principals = [
    await principal('admin'),
    await principal('east-admin'),
    { ...(await principal('admin')), orgUnitId: west, orgPath: 'committee/west' },
  ];
  await rollupWith(1000).drain({ wait: true });
}, 120_000);
afterAll(() => catalog.close());

/** A change the reports depend on (or must not). */
type Change =
  | { kind: 'credit'; member: number; lecture: number; day: number; eighths: number }
  | {
      kind: 'progress';
      member: number;
      lecture: number;
      pieces: Array<[number, number]>;
      eighths: number;
      completed: boolean;
      withDuration: boolean;
    }
  | { kind: 'forget'; member: number; lecture: number }
  | { kind: 'active'; member: number; active: boolean }
  | { kind: 'move'; member: number; unit: number }
  | { kind: 'archive'; lecture: number }
  | { kind: 'recourse'; lecture: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      member: fc.nat(40),
      lecture: fc.nat(3),
      day: fc.integer({ min: -10, max: 4 }),
      eighths: fc.integer({ min: 1, max: 40_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('progress' as const),
      member: fc.nat(40),
      lecture: fc.nat(3),
      pieces: fc.array(fc.tuple(fc.nat(2_100), fc.nat(800)), { maxLength: 4 }),
      eighths: fc.integer({ min: 0, max: 20_000 }),
      completed: fc.boolean(),
      withDuration: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), member: fc.nat(40), lecture: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('active' as const), member: fc.nat(40), active: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), member: fc.nat(40), unit: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive' as const), lecture: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recourse' as const), lecture: fc.nat(3) }) },
);

async function apply(c: Change): Promise<void> {
  if (c.kind === 'archive') {
    await q(`UPDATE lectures SET archived_at = CASE WHEN archived_at IS NULL THEN now() END WHERE id = $1`, [lectures[c.lecture]]);
    return;
  }
  if (c.kind === 'recourse') {
    // The lecture moves to the other course: the course figures follow it.
    await q(`UPDATE lectures SET course_id = CASE WHEN course_id = $2 THEN $3::uuid ELSE $2::uuid END WHERE id = $1`, [
      lectures[c.lecture],
      courses[0],
      courses[1],
    ]);
    return;
  }
  const user = memberIds[c.member % memberIds.length];
  if (c.kind === 'credit') {
    await q(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec`,
      [user, lectures[c.lecture], daysFromToday(c.day), c.eighths / 8],
    );
  } else if (c.kind === 'progress') {
    // Coverage in eighths of a second, some of it past the end or overlapping: measured as the live report measures it.
    const coverage = c.pieces.map(([start, length]) => [start / 8, (start + length) / 8]);
    const duration = DURATIONS[c.lecture] ?? 0;
    const covered = Math.min(duration, c.pieces.reduce((s, [, length]) => s + length, 0) / 8);
    await q(
      `INSERT INTO lecture_progress (user_id, lecture_id, coverage, covered_sec, credited_sec, duration_sec, completed_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, CASE WHEN $7 THEN now() END)
       ON CONFLICT (user_id, lecture_id) DO UPDATE
          SET coverage = excluded.coverage, covered_sec = excluded.covered_sec, credited_sec = excluded.credited_sec,
              duration_sec = excluded.duration_sec, completed_at = excluded.completed_at`,
      [user, lectures[c.lecture], JSON.stringify(coverage), covered, c.eighths / 8, c.withDuration ? duration : 0, c.completed],
    );
  } else if (c.kind === 'forget') {
    await q(`DELETE FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`, [user, lectures[c.lecture]]);
  } else if (c.kind === 'active') {
    await q(`UPDATE users SET active = $2 WHERE id = $1`, [user, c.active]);
  } else {
    await q(`UPDATE users SET org_unit_id = $2 WHERE id = $1`, [user, unitIds[c.unit % unitIds.length]]);
  }
}

describe('activity rollups', () => {
  it('answer the trend, course and lecture reports as the live aggregation does, whatever the changes and the chunk size', async () => {
    await expectSameAsLive();
    await fc.assert(
      fc.asyncProperty(
        fc.array(change, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        async (changes, chunkSize, two) => {
          for (const c of changes) await apply(c);
          // One drainer, or two at once sharing the log (as two catalog processes do).
          await Promise.all((two ? [chunkSize, chunkSize + 1] : [chunkSize]).map((size) => rollupWith(size).drain({ wait: true })));
          expect(await backlog()).toBe(0);
          await expectSameAsLive();
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);

  it('takes at most its size per chunk, oldest first, and a whole lecture as one row per viewer', async () => {
    for (let m = 0; m < 12; m++) {
      await apply({ kind: 'progress', member: m, lecture: 0, pieces: [[0, 256]], eighths: 80, completed: m % 2 === 0, withDuration: true });
    }
    await rollupWith(1000).drain({ wait: true });
    // Other media for the lecture (a new duration): each of its viewers is summed up again.
    await q(`UPDATE lecture_media SET duration_sec = 32 WHERE asset_id = (SELECT asset_id FROM lectures WHERE id = $1)`, [lectures[0]]);
    for (let m = 12; m < 30; m++) await apply({ kind: 'credit', member: m, lecture: 1, day: -3, eighths: 8 });
    const rollup = rollupWith(5);
    const sizes: number[] = [];
    for (;;) {
      const chunk = await rollup.drainChunk();
      if (!chunk.taken) break;
      sizes.push(chunk.taken);
    }
    expect(sizes.length).toBeGreaterThan(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(await backlog()).toBe(0);
    expect(await rollup.lagSeconds()).toBe(0);
    await expectSameAsLive();
    await q(`UPDATE lecture_media SET duration_sec = 64 WHERE asset_id = (SELECT asset_id FROM lectures WHERE id = $1)`, [lectures[0]]);
  });

  it('shows its lag on the metrics while changes wait, and none once drained', async () => {
    const gauge = async () => {
      const answer = await catalog.http().get('/metrics');
      expect(answer.status).toBe(200);
      const line = answer.text.split('\n').find((l) => l.startsWith('lectern_activity_rollup_lag_seconds{'));
      return Number(line?.slice(line.lastIndexOf(' ') + 1));
    };
    await rollupWith(1000).drain({ wait: true });
    expect(await gauge()).toBe(0);
    await apply({ kind: 'credit', member: 3, lecture: 1, day: -1, eighths: 80 });
    await q(`UPDATE activity_dirty SET logged_at = logged_at - interval '90 seconds'`);
    expect(await gauge()).toBeGreaterThanOrEqual(90);
    await rollupWith(1000).drain({ wait: true });
    expect(await gauge()).toBe(0);
  });

  it('serves the screens through the controller, a branch admin seeing only their branch', async () => {
    await apply({
      kind: 'move',
      member: 0,
      unit: unitIds.indexOf((await q(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`))[0].id),
    });
    await apply({ kind: 'progress', member: 0, lecture: 2, pieces: [[0, 2048]], eighths: 800, completed: true, withDuration: true });
    await apply({
      kind: 'move',
      member: 1,
      unit: unitIds.indexOf((await q(`SELECT id FROM org_units WHERE path = 'committee/west/group-1'`))[0].id),
    });
    await apply({ kind: 'progress', member: 1, lecture: 2, pieces: [[0, 1024]], eighths: 400, completed: false, withDuration: true });
    const east = await catalog.tokenFor('east-admin');
    const admin = await catalog.tokenFor('admin');
    // Nothing drained by hand: the report drains the little that waits before it answers.
    const eastLecture = await catalog.http().get(`/api/reports/lectures/${lectures[2]}`).set(as(east));
    expect(eastLecture.status).toBe(200);
    const all = await catalog.http().get(`/api/reports/lectures/${lectures[2]}`).set(as(admin));
    expect(all.body.viewers).toBeGreaterThan(eastLecture.body.viewers);
    const liveLecture = await live.lecture(principals[1], lectures[2]);
    expect(eastLecture.body.viewers).toBe(liveLecture.viewers);
    expect(eastLecture.body.items).toEqual(liveLecture.retention);
    const trend = await catalog.http().get(`/api/reports/plans/${planId}/trend`).set(as(east));
    expect(trend.status).toBe(200);
    expect(trend.body.items).toEqual(await live.trend(principals[1], planId));
    const courseRows = await catalog.http().get(`/api/reports/courses`).set(as(east));
    expect(courseRows.body.items).toEqual(await live.courses(principals[1]));
    // The file carries the rows the screen shows, one line each under the header.
    const csv = await catalog.http().get(`/api/reports/courses?format=csv&lang=en`).set(as(east));
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n')).toHaveLength(courseRows.body.items.length + 1);
  });
});
