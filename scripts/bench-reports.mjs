// npm run bench:reports — the plan overview through Lectern's API (read from the plan rollup) beside the same
// figures from a straightforward SQL aggregation over the raw watch data, on the database `npm run seed:large`
// fills; checks the two agree unit by unit. Then the overview and the members report again WHILE heartbeats
// flow at the rate one catalog process sustains (the `bench:heartbeats` load, shared), and the rollup's lag
// under that load. Then the trend, course and lecture reports (read from the activity rollups) beside the live
// aggregation they replace: built from nothing, timed, compared, and timed again under the heartbeat load.
// Run after `npm run build:server`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { heartbeatStream, load, openSessions } from './bench-heartbeat-load.mjs';
import { BENCH_LOGINS, BENCH_PASSWORD, BENCH_PLAN_NAME, LARGE_DATABASE_URL } from './seed-large.mjs';
import { freePort } from './bench-support.mjs';
import { ROOT } from './setup-steps.mjs';

const N = Number(process.env.BENCH_REQUESTS ?? 30);
const WARMUP = 5;
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 5);
const TOUCHED = 1000;
const TIME_ZONE = (process.env.STUDY_TIME_ZONE ?? 'Asia/Shanghai').replace(/'/g, '');
const SECRET = randomBytes(32).toString('hex');
const TARGET = { p95Ms: 200, ratio: 20, lagSec: 30 };
// Under load: this many members watch at once (each a live session), for LOAD_SECONDS, over CONNECTIONS connections.
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 10_000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const CLAIM_SEC = 0.5;

const { ROLLUP_LAG_SQL } = await import(join(ROOT, 'dist/apps/catalog/src/reports/plan-rollup.js'));

/**
 * The plan overview computed directly from the raw data, the way one would write it by hand: members of the
 * plan in the subtree, their credit summed over the plan period, compulsory lectures completed in it, each
 * member's hours rounded to 0.01, met = hours and every compulsory lecture, rolled up to every unit above by
 * path prefix. (It covers what the seeded plan uses: units, categories, courses; no make-up window.)
 */
const RAW_OVERVIEW = `
  WITH plan AS (SELECT * FROM study_plans WHERE id = $1),
  members AS (
    SELECT u.id AS user_id, o.path AS unit_path
      FROM users u JOIN org_units o ON o.id = u.org_unit_id
     WHERE u.role = 'member' AND u.active AND (o.path = $2 OR o.path LIKE $2 || '/%')
       AND EXISTS (SELECT 1 FROM study_plan_units pu JOIN org_units pou ON pou.id = pu.org_unit_id
                    WHERE pu.plan_id = $1 AND (o.path = pou.path OR o.path LIKE pou.path || '/%'))
       AND (NOT EXISTS (SELECT 1 FROM study_plan_categories WHERE plan_id = $1)
            OR u.category IN (SELECT category FROM study_plan_categories WHERE plan_id = $1))),
  counted AS (
    SELECT l.id AS lecture_id FROM lectures l, plan p
     WHERE p.all_courses OR l.course_id IN (SELECT course_id FROM study_plan_courses WHERE plan_id = $1)),
  earned AS (
    SELECT sd.user_id, sum(sd.credited_sec) AS sec
      FROM study_daily sd JOIN members m ON m.user_id = sd.user_id JOIN counted c ON c.lecture_id = sd.lecture_id, plan p
     WHERE sd.day BETWEEN p.period_start AND p.period_end
     GROUP BY sd.user_id),
  completions AS (
    SELECT lp.user_id, count(*) AS lectures,
           count(*) FILTER (WHERE lp.lecture_id IN (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1)) AS compulsory
      FROM lecture_progress lp JOIN members m ON m.user_id = lp.user_id, plan p
     WHERE lp.completed_at IS NOT NULL
       AND (lp.lecture_id IN (SELECT lecture_id FROM counted) OR lp.lecture_id IN (SELECT lecture_id FROM study_plan_compulsory WHERE plan_id = $1))
       AND (lp.completed_at AT TIME ZONE '${TIME_ZONE}')::date BETWEEN p.period_start AND p.period_end
     GROUP BY lp.user_id),
  standing AS (
    SELECT m.unit_path, round(coalesce(e.sec, 0)::numeric / 3600, 2) AS hours,
           coalesce(e.sec, 0) >= p.required_hours * 3600
             AND coalesce(c.compulsory, 0) = (SELECT count(*) FROM study_plan_compulsory WHERE plan_id = $1) AS met,
           coalesce(e.sec, 0) > 0 OR coalesce(c.lectures, 0) > 0 AS started
      FROM members m LEFT JOIN earned e ON e.user_id = m.user_id LEFT JOIN completions c ON c.user_id = m.user_id, plan p),
  per_unit AS (
    SELECT unit_path, count(*) AS members, count(*) FILTER (WHERE met) AS met,
           count(*) FILTER (WHERE NOT met AND NOT started) AS not_started, sum(hours) AS hours
      FROM standing GROUP BY unit_path)
  SELECT x.path, sum(pu.members)::int AS members, sum(pu.met)::int AS met, sum(pu.not_started)::int AS "notStarted",
         sum(pu.hours)::float8 AS "totalHours"
    FROM per_unit pu
    CROSS JOIN LATERAL (SELECT array_to_string((string_to_array(pu.unit_path, '/'))[1:i], '/') AS path
                          FROM generate_series(1, cardinality(string_to_array(pu.unit_path, '/'))) i) x
   WHERE x.path = $2 OR x.path LIKE $2 || '/%'
   GROUP BY x.path ORDER BY x.path`;

/** Seconds since the oldest change not yet in the activity rollups was logged. */
const ACTIVITY_LAG_SQL = `SELECT coalesce(extract(epoch FROM clock_timestamp() - (SELECT min(logged_at) FROM activity_dirty)), 0)::float8 AS lag`;

/** The live trend the rollup replaced (`ReportsService.trend`): $1 plan, $2 start, $3 make-up end, $4 end, $5 root path. */
const LIVE_TREND = `
  SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
         round((coalesce(sum(sd.credited_sec), 0) / 3600)::numeric, 2)::float8 AS hours,
         round(coalesce(sum(sd.credited_sec), 0))::float8 AS seconds, count(DISTINCT sd.user_id)::int AS members
    FROM generate_series($2::date, coalesce($3::date, $4::date), interval '1 day') AS d(day)
    LEFT JOIN study_daily sd ON sd.day = d.day::date
         AND sd.user_id IN (SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path = $5 OR o.path LIKE $5 || '/%')
         AND ((sd.day BETWEEN (SELECT period_start FROM study_plans WHERE id = $1) AND (SELECT period_end FROM study_plans WHERE id = $1))
              OR (sd.day > (SELECT period_end FROM study_plans WHERE id = $1) AND sd.day <= (SELECT makeup_until FROM study_plans WHERE id = $1)
                  AND EXISTS (SELECT 1 FROM study_plan_makeup m WHERE m.plan_id = $1 AND m.user_id = sd.user_id)))
   GROUP BY d.day ORDER BY d.day`;

/** The live course figures (`ReportsService.courses` without the visibility rule): $1 root path. */
const LIVE_COURSES = `
  WITH mine AS (SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.path = $1 OR o.path LIKE $1 || '/%')
  SELECT c.id AS "courseId", count(DISTINCT p.user_id)::int AS viewers, count(*) FILTER (WHERE p.completed_at IS NOT NULL)::int AS completions,
         round((coalesce(sum(p.credited_sec), 0) / 3600)::numeric, 2)::float8 AS "totalHours"
    FROM courses c LEFT JOIN lectures l ON l.course_id = c.id
    LEFT JOIN lecture_progress p ON p.lecture_id = l.id AND p.user_id IN (SELECT id FROM mine)
   GROUP BY c.id`;

/** The rows the live lecture report reads for one lecture (it computes retention from them in the process). */
const LIVE_LECTURE = `
  SELECT p.coverage, p.credited_sec, p.completed_at IS NOT NULL AS completed
    FROM lecture_progress p JOIN users u ON u.id = p.user_id JOIN org_units o ON o.id = u.org_unit_id
   WHERE p.lecture_id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%')`;

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const now = () => process.hrtime.bigint();
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const stats = (values) => ({ p50: pct(values, 50), p95: pct(values, 95), max: Math.max(...values), min: Math.min(...values) });
const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function startCatalog(port, storageDir) {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/catalog/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: LARGE_DATABASE_URL,
      JWT_SECRET: SECRET,
      CATALOG_PORT: String(port),
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      STORAGE_DIR: storageDir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('catalog did not start');
}

/** Compares API rows with raw rows unit by unit; returns the differences. */
function compare(apiRows, rawRows) {
  const raw = new Map(rawRows.map((r) => [r.path, r]));
  const diffs = [];
  for (const unit of apiRows) {
    const r = raw.get(unit.path);
    raw.delete(unit.path);
    if (!r) {
      diffs.push(`${unit.path}: only in the API`);
      continue;
    }
    for (const key of ['members', 'met', 'notStarted'])
      if (unit[key] !== r[key]) diffs.push(`${unit.path}: ${key} ${unit[key]} vs ${r[key]}`);
    if (Math.abs(unit.totalHours - r.totalHours) >= 0.005) diffs.push(`${unit.path}: totalHours ${unit.totalHours} vs ${r.totalHours}`);
  }
  for (const path of raw.keys()) diffs.push(`${path}: only in the raw aggregation`);
  return diffs;
}

/**
 * Heartbeats from VIEWERS members of the plan at the rate one catalog process sustains (CONNECTIONS
 * connections posting back to back for LOAD_SECONDS, as `bench:heartbeats` loads it), while one client
 * asks for the whole-tree overview and the first page of the members report in turn, and the rollup's lag
 * is sampled every second. Then how long the rollup takes to catch up once the load stops.
 */
async function reportsUnderLoad({ db, base, planId, tokens, overview }) {
  const members = (
    await db.query(`SELECT id FROM users WHERE role = 'member' AND active ORDER BY md5(id::text || 'load') LIMIT $1`, [VIEWERS])
  ).rows.map((r) => r.id);
  // A lecture the plan counts, long enough for every claim of the run.
  const [lecture] = (
    await db.query(
      `SELECT l.id, l.asset_id FROM lectures l JOIN lecture_media m ON m.asset_id = l.asset_id JOIN study_plans p ON p.id = $1
        WHERE (p.all_courses OR l.course_id IN (SELECT course_id FROM study_plan_courses WHERE plan_id = $1)) AND m.duration_sec >= 3600
        ORDER BY l.course_id, l.position LIMIT 1`,
      [planId],
    )
  ).rows;
  const sessions = await openSessions(db, { userIds: members, lectureId: lecture.id, assetId: lecture.asset_id });
  const statuses = {};
  const beats = heartbeatStream(SECRET, sessions, CLAIM_SEC);
  // One heartbeat per viewer first, unmeasured: the viewers are mid-lecture, not opening it.
  await load(`${base}/api/heartbeats`, beats, () => {}, { connections: CONNECTIONS, amount: sessions.length });
  await waitLogEmpty(db);
  const load1 = loadavg()[0];

  let loading = true;
  const heartbeatRun = load(`${base}/api/heartbeats`, beats, (status) => (statuses[status] = (statuses[status] ?? 0) + 1), {
    connections: CONNECTIONS,
    seconds: LOAD_SECONDS,
  }).finally(() => (loading = false));
  const lags = [];
  const activityLags = [];
  const lagSampler = (async () => {
    while (loading) {
      lags.push(Number((await db.query(ROLLUP_LAG_SQL)).rows[0].lag));
      activityLags.push(Number((await db.query(ACTIVITY_LAG_SQL)).rows[0].lag));
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const timings = { overview: [], members: [], trend: [], courses: [] };
  let page;
  // Past the first seconds, so the figures are of the steady state, not of the load's start.
  await new Promise((r) => setTimeout(r, 3000));
  while (loading) {
    timings.overview.push((await overview(tokens.whole)).ms);
    const start = now();
    const answer = await fetch(`${base}/api/reports/plans/${planId}/members?page=1&limit=100`, {
      headers: { authorization: `Bearer ${tokens.whole}` },
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`members answered ${answer.status}: ${text}`);
    timings.members.push(ms(start));
    page = JSON.parse(text);
    timings.trend.push((await timedGet(`${base}/api/reports/plans/${planId}/trend`, tokens.whole)).ms);
    timings.courses.push((await timedGet(`${base}/api/reports/courses`, tokens.whole)).ms);
    await new Promise((r) => setTimeout(r, 200));
  }
  const result = await heartbeatRun;
  await lagSampler;
  const loadEnd = loadavg()[0];
  const stopped = Date.now();
  const lagAtStop = lags.at(-1) ?? 0;
  await waitLogEmpty(db);
  await waitActivityEmpty(db);
  const activityDrainSec = (Date.now() - stopped) / 1000;
  return {
    trend: stats(timings.trend),
    courses: stats(timings.courses),
    activityLag: stats(activityLags.length ? activityLags : [0]),
    activityDrainSec,
    viewers: sessions.length,
    rate: result.requests.total / result.duration,
    p99: result.latency.p99,
    statuses,
    overview: stats(timings.overview),
    members: stats(timings.members),
    requests: timings.overview.length,
    membersTotal: page?.total,
    lag: stats(lags.length ? lags : [0]),
    lagAtStop,
    drainSec: (Date.now() - stopped) / 1000,
    loadavg: [load1, loadEnd],
  };
}

/** GET one report through the API, timed to the last byte. */
async function timedGet(url, token) {
  const start = now();
  const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${url} answered ${answer.status}: ${text}`);
  return { ms: ms(start), body: JSON.parse(text) };
}

/**
 * The activity rollups built from nothing by the catalog's background chunks, then the trend, course and
 * lecture reports through the API (whole tree and one branch) beside the live SQL they replace, compared.
 */
async function activityReports({ db, base, planId, tokens, root, branch, activityLogged }) {
  await waitActivityEmpty(db);
  const buildSec = (Date.now() - activityLogged) / 1000;
  const plan = (
    await db.query(
      `SELECT to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end,
              to_char(makeup_until, 'YYYY-MM-DD') AS makeup_until FROM study_plans WHERE id = $1`,
      [planId],
    )
  ).rows[0];
  // The lecture with the most viewers: the heaviest retention.
  const [{ lecture_id: lectureId }] = (
    await db.query(`SELECT lecture_id FROM lecture_progress GROUP BY lecture_id ORDER BY count(*) DESC, lecture_id LIMIT 1`)
  ).rows;
  const reports = {
    trend: `${base}/api/reports/plans/${planId}/trend`,
    courses: `${base}/api/reports/courses`,
    lecture: `${base}/api/reports/lectures/${lectureId}`,
  };
  const live = {
    trend: (path) => db.query(LIVE_TREND, [planId, plan.period_start, plan.makeup_until, plan.period_end, path]),
    courses: (path) => db.query(LIVE_COURSES, [path]),
    lecture: (path) => db.query(LIVE_LECTURE, [lectureId, path]),
  };
  const result = {};
  for (const [name, url] of Object.entries(reports)) {
    for (const [scope, path] of [
      ['whole', root],
      ['branch', branch],
    ]) {
      for (let i = 0; i < WARMUP; i++) await timedGet(url, tokens[scope]);
      const api = [];
      let body;
      for (let i = 0; i < N; i++) {
        const answer = await timedGet(url, tokens[scope]);
        api.push(answer.ms);
        body = answer.body;
      }
      const raw = [];
      let rows;
      for (let i = 0; i < RAW_RUNS; i++) {
        const start = now();
        rows = (await live[name](path)).rows;
        raw.push(ms(start));
      }
      let same;
      if (name === 'trend') same = JSON.stringify(body.items) === JSON.stringify(rows);
      else if (name === 'courses') {
        const byId = new Map(rows.map((r) => [r.courseId, r]));
        same = body.items.every((c) => {
          const r = byId.get(c.courseId);
          return r && r.viewers === c.viewers && r.completions === c.completions && r.totalHours === c.totalHours;
        });
      } else {
        same = body.viewers === rows.length && body.completions === rows.filter((r) => r.completed).length;
      }
      result[`${name} ${scope}`] = { api: stats(api), raw: stats(raw), same };
    }
  }
  return { buildSec, reports: result };
}

function printActivity(a) {
  const lines = Object.entries(a.reports).map(
    ([name, r]) =>
      `  ${name.padEnd(15)} API p50 ${f(r.api.p50)} ms, p95 ${f(r.api.p95)} ms | live SQL p50 ${f(r.raw.p50)} ms | ${r.same ? 'same figures' : 'DIFFERENT'}`,
  );
  console.log(`
activity rollups (trend, courses, lecture), built from nothing by the background chunks in ${a.buildSec.toFixed(1)} s;
${N} requests each after ${WARMUP} warm-ups, beside the live SQL they replace (${RAW_RUNS} runs):
${lines.join('\n')}`);
}

async function waitActivityEmpty(db) {
  for (let i = 0; i < 6000; i++) {
    if (Number((await db.query(ACTIVITY_LAG_SQL)).rows[0].lag) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the activity rollups did not catch up within 600 s');
}

async function waitLogEmpty(db) {
  for (let i = 0; i < 3000; i++) {
    if (Number((await db.query(ROLLUP_LAG_SQL)).rows[0].lag) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the rollup did not catch up within 300 s');
}

function printUnderLoad(u) {
  const overviewMet = u.overview.p95 <= TARGET.p95Ms;
  const lagMet = u.lag.max <= TARGET.lagSec;
  console.log(`
under load:   ${u.viewers} viewers' heartbeats at ${Math.round(u.rate)} req/s for ${LOAD_SECONDS} s over ${CONNECTIONS} connections (heartbeat p99 ${u.p99} ms), statuses ${JSON.stringify(u.statuses)}
              load average (1 min) ${u.loadavg[0].toFixed(2)} before → ${u.loadavg[1].toFixed(2)} at the end, on ${cpus().length} CPUs
  overview (whole tree), ${u.requests} requests: p50 ${f(u.overview.p50)} ms, p95 ${f(u.overview.p95)} ms, max ${f(u.overview.max)} ms
  members report (page 1 of ${u.membersTotal} members, 100 rows): p50 ${f(u.members.p50)} ms, p95 ${f(u.members.p95)} ms, max ${f(u.members.max)} ms
  trend (whole tree): p50 ${f(u.trend.p50)} ms, p95 ${f(u.trend.p95)} ms; courses (whole tree): p50 ${f(u.courses.p50)} ms, p95 ${f(u.courses.p95)} ms
  activity rollup lag, sampled each second: p50 ${u.activityLag.p50.toFixed(1)} s, p95 ${u.activityLag.p95.toFixed(1)} s, max ${u.activityLag.max.toFixed(1)} s; caught up ${u.activityDrainSec.toFixed(1)} s after the load stopped
  rollup lag, sampled each second: p50 ${u.lag.p50.toFixed(1)} s, p95 ${u.lag.p95.toFixed(1)} s, max ${u.lag.max.toFixed(1)} s; ${u.lagAtStop.toFixed(1)} s when the load stopped, caught up ${u.drainSec.toFixed(1)} s later
target:       overview p95 ≤ ${TARGET.p95Ms} ms under load → ${overviewMet ? 'MET' : 'NOT MET'}; rollup lag ≤ ${TARGET.lagSec} s → ${lagMet ? 'MET' : 'NOT MET'}`);
}

async function main() {
  const db = new pg.Client({ connectionString: LARGE_DATABASE_URL });
  try {
    await db.connect();
  } catch {
    throw new Error(`Cannot reach ${LARGE_DATABASE_URL}: run "npm run seed:large" first.`);
  }
  const found = (
    await db
      .query(
        `SELECT p.id, (SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $2) AS branch,
              (SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = $3) AS root,
              (SELECT count(*) FROM users WHERE role = 'member')::int AS members, (SELECT count(*) FROM study_daily)::int AS daily,
              (SELECT count(*) FROM lecture_progress)::int AS progress, (SELECT sum(credited_sec) FROM study_daily)::float8 AS credited
         FROM study_plans p WHERE p.name = $1`,
        [BENCH_PLAN_NAME, BENCH_LOGINS.branch, BENCH_LOGINS.committee],
      )
      .catch(() => ({ rows: [] }))
  ).rows[0];
  if (!found) throw new Error('The large database has no seeded plan: run "npm run seed:large" first.');
  const { id: planId, root, branch } = found;
  console.log(
    `lectern_large: ${found.members} members, ${found.daily} study_daily and ${found.progress} lecture_progress rows, ` +
      `${(found.credited / 3600).toFixed(0)} h credited (${(found.credited / 10 / 1e6).toFixed(2)} M heartbeats of 10 s)`,
  );

  // Start from no rollup at all, so the first request shows what building it costs.
  await db.query(`DELETE FROM plan_rollups`);
  await db.query(`TRUNCATE report_dirty_users, report_dirty_plans`);

  // The activity rollups too: every member with study logged, as the migration does on an existing database.
  await db.query(
    `TRUNCATE activity_dirty, activity_user_days, activity_user_lectures, unit_daily_study, unit_lecture_stats, unit_course_stats`,
  );
  await db.query(`INSERT INTO activity_dirty (user_id) SELECT user_id FROM lecture_progress UNION SELECT user_id FROM study_daily`);
  const activityLogged = Date.now();

  const storageDir = mkdtempSync(join(tmpdir(), 'lectern-bench-reports-'));
  const port = await freePort();
  const catalog = await startCatalog(port, storageDir);
  const base = `http://127.0.0.1:${port}`;
  try {
    const login = async (who) => {
      const answer = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: who, password: BENCH_PASSWORD }),
      });
      if (!answer.ok) throw new Error(`login ${who} failed: ${answer.status}`);
      return (await answer.json()).accessToken;
    };
    const tokens = { whole: await login(BENCH_LOGINS.committee), branch: await login(BENCH_LOGINS.branch) };
    const overview = async (token, query = '') => {
      const start = now();
      const answer = await fetch(`${base}/api/reports/plans/${planId}/overview${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (!answer.ok) throw new Error(`overview answered ${answer.status}: ${await answer.text()}`);
      // Timed to the last byte of the answer; parsing it is the client's business.
      const text = await answer.text();
      const elapsed = ms(start);
      return { ms: elapsed, body: JSON.parse(text), bytes: text.length };
    };
    const waitForEmptyLog = async () => {
      for (let i = 0; i < 1200; i++) {
        if (Number((await db.query(ROLLUP_LAG_SQL)).rows[0].lag) === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the rollup did not catch up within 120 s');
    };
    const raw = async (path) => {
      const start = now();
      const { rows } = await db.query(RAW_OVERVIEW, [planId, path]);
      return { ms: ms(start), rows };
    };

    const cold = await overview(tokens.whole);
    const built = (await db.query(`SELECT build_ms FROM plan_rollups WHERE plan_id = $1`, [planId])).rows[0];
    for (let i = 0; i < WARMUP; i++) {
      await overview(tokens.whole);
      await overview(tokens.branch);
      await raw(root);
    }
    const timings = { whole: [], branch: [] };
    const answers = {};
    for (let i = 0; i < N; i++) {
      for (const scope of ['whole', 'branch']) {
        const { ms: t, body, bytes } = await overview(tokens[scope]);
        timings[scope].push(t);
        answers[scope] = { ...body, bytes };
      }
    }
    const rawTimings = { whole: [], branch: [] };
    const rawRows = {};
    for (let i = 0; i < RAW_RUNS; i++) {
      for (const [scope, path] of [
        ['whole', root],
        ['branch', branch],
      ]) {
        const { ms: t, rows } = await raw(path);
        rawTimings[scope].push(t);
        rawRows[scope] = rows;
      }
    }
    const live = await overview(tokens.whole, '?fresh=true');
    const diffs = {
      whole: compare(answers.whole.items, rawRows.whole),
      branch: compare(answers.branch.items, rawRows.branch),
      live: compare(answers.whole.items, live.body.items),
    };
    const sameStatuses = JSON.stringify(answers.whole.items) === JSON.stringify(live.body.items);

    // Incremental: 1,000 members study 10 minutes more; the next overview drains the change log first.
    const touched = (
      await db.query(
        `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec)
         SELECT u.id, (SELECT id FROM lectures ORDER BY position, course_id LIMIT 1), (now() AT TIME ZONE '${TIME_ZONE}')::date + 0, 600
           FROM users u WHERE u.role = 'member' AND u.active ORDER BY md5(u.id::text) LIMIT ${TOUCHED}
         ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + 600
         RETURNING user_id, lecture_id, day, xmax = 0 AS inserted`,
      )
    ).rows;
    // 1,000 waiting changes are more than an overview drains itself: the background chunks catch up.
    const creditedAt = Date.now();
    await waitForEmptyLog();
    const catchUpMs = Date.now() - creditedAt;
    const afterCredit = await overview(tokens.whole);
    const rawAfter = await raw(root);
    const incrementalDiffs = compare(afterCredit.body.items, rawAfter.rows);
    // Undone in one statement, so the change log again holds one row per member.
    await db.query(
      `WITH t AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::boolean[]) AS t(user_id, lecture_id, day, inserted)),
            removed AS (DELETE FROM study_daily sd USING t
                         WHERE t.inserted AND sd.user_id = t.user_id AND sd.lecture_id = t.lecture_id AND sd.day = t.day)
       UPDATE study_daily sd SET credited_sec = sd.credited_sec - 600 FROM t
        WHERE NOT t.inserted AND sd.user_id = t.user_id AND sd.lecture_id = t.lecture_id AND sd.day = t.day`,
      [touched.map((r) => r.user_id), touched.map((r) => r.lecture_id), touched.map((r) => r.day), touched.map((r) => r.inserted)],
    );
    await waitForEmptyLog();
    const restored = await overview(tokens.whole);
    const rawRestored = await raw(root);
    incrementalDiffs.push(...compare(restored.body.items, rawRestored.rows));

    const activity = await activityReports({ db, base, planId, tokens, root, branch, activityLogged });
    const underLoad = await reportsUnderLoad({ db, base, planId, tokens, overview });

    const api = { whole: stats(timings.whole), branch: stats(timings.branch) };
    const sql = { whole: stats(rawTimings.whole), branch: stats(rawTimings.branch) };
    const ratio = sql.whole.p50 / api.whole.p50;
    const worstRatio = sql.whole.min / api.whole.p95;
    const identical = Object.values(diffs).every((d) => d.length === 0) && incrementalDiffs.length === 0;
    const top = answers.whole.items[0];
    const showDiffs = (name, list) =>
      list.length ? `\n  ${name}: ${list.length} differences, e.g.\n    ${list.slice(0, 8).join('\n    ')}` : '';
    console.log(`
machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}
plan overview, ${N} requests each after ${WARMUP} warm-ups, source "${answers.whole.source}", asOf ${answers.whole.asOf}:
  whole tree (${answers.whole.items.length} units, ${Math.round(answers.whole.bytes / 1024)} KiB):  p50 ${f(api.whole.p50)} ms, p95 ${f(api.whole.p95)} ms, max ${f(api.whole.max)} ms
  one branch (${answers.branch.items.length} units):    p50 ${f(api.branch.p50)} ms, p95 ${f(api.branch.p95)} ms, max ${f(api.branch.max)} ms
  first request, building the rollup: ${f(cold.ms)} ms (build ${built?.build_ms ?? '?'} ms in the database)
  live computation through the API (?fresh=true, the previous code path): ${f(live.ms)} ms
raw SQL aggregation, ${RAW_RUNS} runs each:
  whole tree:  p50 ${f(sql.whole.p50)} ms, min ${f(sql.whole.min)} ms, max ${f(sql.whole.max)} ms
  one branch:  p50 ${f(sql.branch.p50)} ms, min ${f(sql.branch.min)} ms, max ${f(sql.branch.max)} ms
whole tree:   ${top.members} members, ${top.met} met, ${top.onTrack} on track, ${top.behind} behind, ${top.notStarted} not started, ${top.totalHours} h
incremental:  ${touched.length} members +10 min → in the rollup after ${(catchUpMs / 1000).toFixed(1)} s (background chunks); overview ${f(afterCredit.ms)} ms → ${
      incrementalDiffs.length ? 'DIFFERENT from raw' : 'same as raw'
    }; undone → ${f(restored.ms)} ms
numbers:      members, met, not started and total hours of every unit, API vs raw SQL (whole tree, branch, after the increment)
              and API vs live: ${identical ? 'IDENTICAL' : 'DIFFERENT'}${sameStatuses ? '; every figure incl. on track/behind same as live' : ''}${showDiffs('whole', diffs.whole)}${showDiffs('branch', diffs.branch)}${showDiffs('live', diffs.live)}${showDiffs('incremental', incrementalDiffs)}
ratio:        raw p50 / API p50 = ${ratio.toFixed(1)}× (raw fastest / API p95 = ${worstRatio.toFixed(1)}×)
target:       whole-tree p95 ≤ ${TARGET.p95Ms} ms, ≥ ${TARGET.ratio}× the raw aggregation, identical → ${
      api.whole.p95 <= TARGET.p95Ms && ratio >= TARGET.ratio && identical ? 'PASS' : 'FAIL'
    }`);
    printActivity(activity);
    printUnderLoad(underLoad);
  } finally {
    catalog.kill('SIGTERM');
    await new Promise((r) => catalog.once('exit', r));
    rmSync(storageDir, { recursive: true, force: true });
    await db.end();
  }
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
