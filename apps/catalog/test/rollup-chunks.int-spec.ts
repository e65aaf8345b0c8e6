import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { PlanRollup } from '../src/reports/plan-rollup.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { waitUntil } from '../../../test/support/ports.js';

/**
 * The plan rollup kept current in chunks (real PostgreSQL): whatever changes come, in whatever chunks,
 * by however many drainers at once, it ends equal to the rollup rebuilt from scratch; a chunk never takes
 * more than its size; and the members report's pages cover every member once, in the live order.
 */

let catalog: CatalogHarness;
let reports: ReportsService;
let committee: string;
let planId: string;
const lectures: string[] = [];
let memberIds: string[] = [];
let unitIds: string[] = [];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

/** A rollup of its own with small chunks; the app's background one is stopped so only the tests drain. */
const rollupWith = (chunkSize: number) => new PlanRollup(catalog.dataSource, { ...reports.rollup.options, chunkSize });

/** The plan's rollup tables, comparable: units left with no members keep a row of zeros and are left out. */
async function snapshot() {
  const members = await catalog.dataSource.query(
    `SELECT user_id, org_unit_id, earned_ms, centi_hours, started, met, compulsory_missing, completed_lectures, last_study_day
       FROM plan_member_totals WHERE plan_id = $1 ORDER BY user_id`,
    [planId],
  );
  const units = await catalog.dataSource.query(
    `SELECT org_unit_id, members, met, not_started, centi_hours, compulsory_completed, pending_earned_ms
       FROM plan_unit_totals WHERE plan_id = $1 AND members > 0 ORDER BY org_unit_id`,
    [planId],
  );
  return { members, units };
}

/** What a full recomputation gives: the plan marked changed, then rebuilt whole. */
async function rebuilt() {
  await catalog.dataSource.query(`INSERT INTO report_dirty_plans (plan_id) VALUES ($1)`, [planId]);
  expect(await rollupWith(1000).maintainPlans({ wait: true })).toContain(planId);
  return snapshot();
}

const backlog = async () => Number((await catalog.dataSource.query(`SELECT count(*) FROM report_dirty_users`))[0].count);

beforeAll(async () => {
  catalog = await startCatalog();
  reports = catalog.app.get(ReportsService);
  await reports.rollup.stop();
  committee = await catalog.tokenFor('admin');
  const [{ id: editor }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'editor'`);
  const [{ id: course }] = await catalog.dataSource.query(
    `INSERT INTO courses (title, category_id, status, created_by, published_at, owner_unit_id)
     SELECT '分块', (SELECT id FROM course_categories ORDER BY code LIMIT 1), 'published', $1, now(), (SELECT id FROM org_units WHERE path = 'committee')
     RETURNING id`,
    [editor],
  );
  for (let i = 0; i < 3; i++) {
    const [{ asset_id }] = await catalog.dataSource.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES (gen_random_uuid(), 'ready', 'video', 100, '{}') RETURNING asset_id`,
    );
    const [{ id }] = await catalog.dataSource.query(
      `INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [course, i, `第${i + 1}讲`, asset_id],
    );
    lectures.push(id);
  }
  const answer = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(committee))
    .send({
      name: '分块汇总',
      periodStart: daysFromToday(-10),
      periodEnd: daysFromToday(10),
      requiredHours: 1,
      compulsoryLectureIds: [lectures[0]],
    });
  expect(answer.status).toBe(201);
  planId = answer.body.id;
  memberIds = (await catalog.dataSource.query(`SELECT id FROM users WHERE role = 'member' ORDER BY login`)).map(
    (r: { id: string }) => r.id,
  );
  unitIds = (await catalog.dataSource.query(`SELECT id FROM org_units WHERE path LIKE 'committee/%' ORDER BY path`)).map(
    (r: { id: string }) => r.id,
  );
  await rollupWith(1000).refresh({ wait: true });
}, 120_000);
afterAll(() => catalog.close());

/** A change to what standings depend on: study, completions, membership (activity, unit). */
type Change =
  | { kind: 'credit'; member: number; lecture: number; day: number; seconds: number }
  | { kind: 'complete'; member: number; lecture: number }
  | { kind: 'active'; member: number; active: boolean }
  | { kind: 'move'; member: number; unit: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('credit' as const),
    member: fc.nat(40),
    lecture: fc.nat(2),
    day: fc.integer({ min: -12, max: 0 }),
    seconds: fc.integer({ min: 1, max: 4000 }),
  }),
  fc.record({ kind: fc.constant('complete' as const), member: fc.nat(40), lecture: fc.nat(2) }),
  fc.record({ kind: fc.constant('active' as const), member: fc.nat(40), active: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), member: fc.nat(40), unit: fc.nat(40) }),
);

async function apply(c: Change): Promise<void> {
  const user = memberIds[c.member % memberIds.length];
  const q = (sql: string, params: unknown[]) => catalog.dataSource.query(sql, params);
  if (c.kind === 'credit') {
    await q(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + excluded.credited_sec`,
      [user, lectures[c.lecture], daysFromToday(c.day), c.seconds],
    );
  } else if (c.kind === 'complete') {
    await q(
      `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec, completed_at) VALUES ($1, $2, 100, 100, 100, now())
       ON CONFLICT (user_id, lecture_id) DO UPDATE SET completed_at = coalesce(lecture_progress.completed_at, now())`,
      [user, lectures[c.lecture]],
    );
  } else if (c.kind === 'active') {
    await q(`UPDATE users SET active = $2 WHERE id = $1`, [user, c.active]);
  } else {
    await q(`UPDATE users SET org_unit_id = $2 WHERE id = $1`, [user, unitIds[c.unit % unitIds.length]]);
  }
}

describe('plan rollup in chunks', () => {
  beforeEach(async () => {
    await rollupWith(1000).refresh({ wait: true });
  });

  it('ends equal to a full recomputation, whatever the changes and the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 7 }), async (changes, chunkSize) => {
        for (const c of changes) await apply(c);
        const result = await rollupWith(chunkSize).refresh({ wait: true });
        expect(result).not.toBeNull();
        expect(await backlog()).toBe(0);
        const incremental = await snapshot();
        expect(incremental).toEqual(await rebuilt());
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it('takes at most its size per chunk, oldest first, until the log is empty', async () => {
    await catalog.dataSource.query(
      `INSERT INTO report_dirty_users (user_id, logged_at) SELECT u, now() - (n || ' seconds')::interval FROM unnest($1::uuid[]) WITH ORDINALITY AS x(u, n)`,
      [memberIds.slice(0, 25)],
    );
    const rollup = rollupWith(7);
    const sizes: number[] = [];
    for (;;) {
      const chunk = await rollup.drainChunk({ wait: true });
      if (!chunk?.taken) break;
      sizes.push(chunk.taken);
    }
    expect(sizes).toEqual([7, 7, 7, 4]);
    expect(await backlog()).toBe(0);
    expect(await rollup.lagSeconds()).toBe(0);
  });

  it('reports the age of the oldest change still waiting as its lag', async () => {
    await catalog.dataSource.query(`INSERT INTO report_dirty_users (user_id, logged_at) VALUES ($1, now() - interval '42 seconds')`, [
      memberIds[0],
    ]);
    const lag = await reports.rollupLagSeconds();
    expect(lag).toBeGreaterThanOrEqual(42);
    expect(lag).toBeLessThan(42 + 60);
    await rollupWith(10).refresh({ wait: true });
    expect(await reports.rollupLagSeconds()).toBe(0);
  });

  it('counts a member once when two drainers hold chunks with the same member at the same time', async () => {
    const [x, y, z] = memberIds;
    // Members of the plan again, whatever the property test did to them.
    await catalog.dataSource.query(`UPDATE users SET active = true WHERE id = ANY($1::uuid[])`, [[x, y, z]]);
    await apply({ kind: 'credit', member: 0, lecture: 1, day: 0, seconds: 3600 });
    await apply({ kind: 'credit', member: 1, lecture: 1, day: 0, seconds: 1800 });
    await apply({ kind: 'credit', member: 2, lecture: 2, day: 0, seconds: 900 });
    // The log as two chunks of two would take it: [x, y] then [x, z], both holding x.
    await catalog.dataSource.query(`DELETE FROM report_dirty_users`);
    await catalog.dataSource.query(
      `INSERT INTO report_dirty_users (user_id, logged_at) VALUES ($1, now() - interval '4 s'), ($2, now() - interval '3 s'),
                                                                  ($1, now() - interval '2 s'), ($3, now() - interval '1 s')`,
      [x, y, z],
    );
    // Member x is held elsewhere, so the first drainer stops on it with its chunk taken, and the second takes the rest.
    const holder = new pg.Client({ connectionString: catalog.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, [x]);
      // Backends of this database waiting for a lock: on x itself, or queued behind the first waiter for x's row.
      const waitingOnX = async (n: number) =>
        Number(
          (
            await holder.query(
              `SELECT count(DISTINCT pid) FROM pg_locks
                WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())`,
            )
          ).rows[0].count,
        ) >= n;
      const first = rollupWith(2).drainChunk({ wait: true });
      await waitUntil(() => waitingOnX(1), 20_000, 'the first drainer waiting on member x');
      const second = rollupWith(2).drainChunk({ wait: true });
      await waitUntil(() => waitingOnX(2), 20_000, 'the second drainer waiting on member x');
      await holder.query('COMMIT');
      const [a, b] = await Promise.all([first, second]);
      expect([a?.taken, b?.taken]).toEqual([2, 2]);
    } finally {
      await holder.end();
    }
    expect(await backlog()).toBe(0);
    const incremental = await snapshot();
    expect(incremental).toEqual(await rebuilt());
    const totalsOfX = incremental.members.find((m: { user_id: string }) => m.user_id === x);
    expect(Number(totalsOfX.earned_ms)).toBeGreaterThanOrEqual(3_600_000);
  });

  it('agrees with a full recomputation after several drainers share a large backlog', async () => {
    for (let i = 0; i < 60; i++) {
      await apply({ kind: 'credit', member: i, lecture: i % 3, day: -(i % 5), seconds: 100 + i * 37 });
    }
    // Each member logged several times over, so concurrent chunks often hold the same member.
    await catalog.dataSource.query(`INSERT INTO report_dirty_users (user_id) SELECT unnest($1::uuid[]) FROM generate_series(1, 3)`, [
      memberIds,
    ]);
    const results = await Promise.all([1, 2, 3, 4].map(() => rollupWith(5).refresh({ wait: true })));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(await backlog()).toBe(0);
    expect(await snapshot()).toEqual(await rebuilt());
  });
});

describe('members report pages', () => {
  it('cover every member exactly once, in the order of the live computation, for every sort', async () => {
    for (let i = 0; i < memberIds.length; i += 3)
      await apply({ kind: 'credit', member: i, lecture: i % 3, day: -(i % 4), seconds: 300 * (i % 7) });
    await apply({ kind: 'complete', member: 1, lecture: 0 });
    const sorts = [
      { sort: 'unitPath', order: 'asc' },
      { sort: 'name', order: 'desc' },
      { sort: 'earnedHours', order: 'desc' },
      { sort: 'remainingHours', order: 'asc' },
      { sort: 'lastStudyDay', order: 'desc' },
    ];
    for (const { sort, order } of sorts) {
      const live = await catalog
        .http()
        .get(`/api/reports/plans/${planId}/members?sort=${sort}&order=${order}&fresh=true&limit=1000`)
        .set(as(committee));
      expect(live.status).toBe(200);
      expect(live.body.source).toBe('live');
      const pages = [];
      let total = 0;
      for (let page = 1; ; page++) {
        const answer = await catalog
          .http()
          .get(`/api/reports/plans/${planId}/members?sort=${sort}&order=${order}&page=${page}&limit=7`)
          .set(as(committee));
        expect(answer.status).toBe(200);
        expect(answer.body.source).toBe('rollup');
        expect(answer.body).not.toHaveProperty('rows');
        total = answer.body.total;
        expect(answer.body.counts).toEqual(live.body.counts);
        if (answer.body.items.length === 0) break;
        expect(answer.body.items.length).toBeLessThanOrEqual(7);
        pages.push(...answer.body.items);
      }
      expect(total).toBe(live.body.total);
      expect(pages).toHaveLength(live.body.items.length);
      expect(new Set(pages.map((m: { userId: string }) => m.userId)).size).toBe(pages.length);
      expect(pages).toEqual(live.body.items);
    }
    // A search and a category are counted over the members, not read from the units' sums.
    for (const query of ['q=member0', 'category=on-the-job', 'category=on-the-job&status=behind']) {
      const [rolled, live] = await Promise.all(
        ['', '&fresh=true'].map((fresh) =>
          catalog.http().get(`/api/reports/plans/${planId}/members?${query}&limit=1000${fresh}`).set(as(committee)),
        ),
      );
      expect(rolled.body.source).toBe('rollup');
      if (!query.includes('status')) expect(rolled.body.items.length).toBeGreaterThan(0);
      expect([rolled.body.items, rolled.body.total, rolled.body.counts]).toEqual([live.body.items, live.body.total, live.body.counts]);
    }
    const metOnly = await catalog.http().get(`/api/reports/plans/${planId}/members?status=behind&limit=1000`).set(as(committee));
    expect(metOnly.body.items.every((m: { status: string }) => m.status === 'behind')).toBe(true);
    expect(metOnly.body.total).toBe(metOnly.body.counts.behind);
  });

  it('streams every page into the export, not just the first', async () => {
    const screen = await catalog.http().get(`/api/reports/plans/${planId}/members?limit=5`).set(as(committee));
    const csv = await catalog.http().get(`/api/reports/plans/${planId}/members?format=csv&limit=5`).set(as(committee));
    expect(csv.status).toBe(200);
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(screen.body.items).toHaveLength(5);
    expect(lines).toHaveLength(screen.body.total + 1);
  });
});
