// npm run bench:heartbeats — Lectern's heartbeat endpoint beside a bare Node server answering 204,
// loaded by the same autocannon run; then checks the credited totals in PostgreSQL exactly.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { heartbeatStream, load as loadFor, openSessions } from './bench-heartbeat-load.mjs';
import { ROOT } from './setup-steps.mjs';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// Bare and Lectern take turns, ROUNDS times each, so a change in the machine's speed during the run
// (this virtual machine's varies by a quarter from minute to minute) falls on both alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DB_URL = `${SERVER}/lectern_bench_heartbeats`;
const SECRET = randomBytes(32).toString('hex');
const CLAIM_SEC = 0.5;

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function prepareDatabase() {
  await run([join(ROOT, 'dist/apps/catalog/src/cli.js'), 'prepare-database', '--fresh'], { DATABASE_URL: DB_URL });
  await run([join(ROOT, 'dist/apps/catalog/src/cli.js'), 'seed-demo'], { DATABASE_URL: DB_URL });
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const [{ id: unit }] = (await db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`)).rows;
  const [{ id: editor }] = (await db.query(`SELECT id FROM users WHERE login = 'editor'`)).rows;
  const [{ id: category }] = (await db.query(`SELECT id FROM course_categories LIMIT 1`)).rows;
  await db.query(
    `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES (gen_random_uuid(), 'ready', 'video', 36000, '{}')`,
  );
  const [{ id: course }] = (
    await db.query(
      `INSERT INTO courses (title, category_id, status, created_by, published_at) VALUES ('Bench', $1, 'published', $2, now()) RETURNING id`,
      [category, editor],
    )
  ).rows;
  const [{ id: lecture, asset_id: asset }] = (
    await db.query(
      `INSERT INTO lectures (course_id, position, title, asset_id) SELECT $1, 0, 'Bench lecture', asset_id FROM lecture_media LIMIT 1 RETURNING id, asset_id`,
      [course],
    )
  ).rows;
  await db.query(
    `INSERT INTO users (login, name, role, org_unit_id, category) SELECT 'bench' || n, 'Viewer ' || n, 'member', $1, 'on-the-job' FROM generate_series(1, $2) n`,
    [unit, SESSIONS],
  );
  const users = (await db.query(`SELECT id FROM users WHERE login LIKE 'bench%' ORDER BY login`)).rows.map((r) => r.id);
  const sessions = await openSessions(db, { userIds: users, lectureId: lecture, assetId: asset });
  await db.end();
  return sessions;
}

async function startCatalog(port) {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
      join(ROOT, 'dist/apps/catalog/src/main.js'),
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: DB_URL,
        JWT_SECRET: SECRET,
        CATALOG_PORT: String(port),
        LOG_LEVEL: 'warn',
        QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('catalog did not start');
}

/** Requests answered per second over a whole load. */
const rate = (result) => result.requests.total / result.duration;
/** Requests per second over several loads together. */
const rateOf = (results) => results.reduce((sum, r) => sum + r.requests.total, 0) / results.reduce((sum, r) => sum + r.duration, 0);

/** `amount` sends exactly that many requests instead of loading for SECONDS. */
const load = (url, nextBody, onAnswer, amount) => loadFor(url, nextBody, onAnswer, { connections: CONNECTIONS, seconds: SECONDS, amount });

const sessions = await prepareDatabase();
/** A stream of heartbeats cycling through the viewers, each viewer's seq and media moving on. */
const heartbeats = () => heartbeatStream(SECRET, sessions, CLAIM_SEC);

const bare = spawn(process.execPath, [join(ROOT, 'scripts/bench-bare-server.mjs')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const barePort = await new Promise((resolve, reject) => {
  bare.once('message', ({ port }) => resolve(port));
  bare.once('exit', (code) => reject(new Error(`the bare server exited ${code}`)));
});
const catalogPort = 3900 + Math.floor(Math.random() * 90);
const catalog = await startCatalog(catalogPort);

console.log(
  `\nLoading each ${ROUNDS} times for ${SECONDS} s, in turns, with ${CONNECTIONS} connections; ${SESSIONS} viewers with live sessions.`,
);
const bareUrl = `http://127.0.0.1:${barePort}/`;
const lecternUrl = `http://127.0.0.1:${catalogPort}/api/heartbeats`;
const bareBeats = heartbeats();
const lecternBeats = heartbeats();
let acknowledged = 0;
let answeredCredit = 0;
const statuses = {};
const count = (status, body) => {
  statuses[status] = (statuses[status] ?? 0) + 1;
  if (status === 200) {
    acknowledged++;
    answeredCredit += JSON.parse(body).creditedSec;
  }
};
// One heartbeat per viewer first, unmeasured, for both: the viewers are mid-lecture, not opening it.
await load(bareUrl, bareBeats, () => {}, SESSIONS);
await load(lecternUrl, lecternBeats, count, SESSIONS);
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const bareRound = await load(bareUrl, bareBeats, () => {});
  const lecternRound = await load(lecternUrl, lecternBeats, count);
  rounds.push({ bare: bareRound, lectern: lecternRound });
  console.log(
    `round ${round + 1}: bare ${Math.round(rate(bareRound))} req/s, lectern ${Math.round(rate(lecternRound))} req/s (p99 ${lecternRound.latency.p99} ms): ${((rate(lecternRound) / rate(bareRound)) * 100).toFixed(1)} %`,
  );
}
catalog.kill('SIGTERM');
bare.kill('SIGTERM');

const db = new pg.Client({ connectionString: DB_URL });
await db.connect();
const stored = (
  await db.query(
    `SELECT (SELECT coalesce(sum(credited_sec), 0)::float8 FROM lecture_progress) AS progress,
            (SELECT coalesce(sum(credited_sec), 0)::float8 FROM study_daily) AS daily,
            (SELECT coalesce(sum(credited_sec), 0)::float8 FROM playback_sessions) AS sessions,
            (SELECT coalesce(sum(last_seq), 0)::int FROM playback_sessions) AS accepted`,
  )
).rows[0];
await db.end();

const ms = (x) => Math.round(x * 1000); // compare in whole milliseconds, the crediting resolution
// Every accepted heartbeat claims a fresh CLAIM_SEC, so the exact total is CLAIM_SEC × heartbeats accepted.
// Answers still in flight when the load generator stops are committed but never counted by it.
const expected = stored.accepted * CLAIM_SEC;
const inFlight = stored.accepted - acknowledged;
const bareRate = rateOf(rounds.map((r) => r.bare));
const lecternRate = rateOf(rounds.map((r) => r.lectern));
const ratio = lecternRate / bareRate;
// The slowest round's percentiles: the latency a member would see at the worst of the run.
const p50 = Math.max(...rounds.map((r) => r.lectern.latency.p50));
const p99 = Math.max(...rounds.map((r) => r.lectern.latency.p99));
const exact =
  [stored.progress, stored.daily, stored.sessions].every((total) => ms(total) === ms(expected)) &&
  ms(answeredCredit) === ms(acknowledged * CLAIM_SEC) &&
  inFlight >= 0 &&
  inFlight <= CONNECTIONS * ROUNDS;
console.log(`
machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}
bare node http (204):   ${Math.round(bareRate)} req/s
lectern heartbeats:     ${Math.round(lecternRate)} req/s  (p50 ${p50} ms, p99 ${p99} ms in the slowest round)  statuses ${JSON.stringify(statuses)}
ratio:                  ${(ratio * 100).toFixed(1)} % of the bare server
credited totals:        ${stored.accepted} accepted × ${CLAIM_SEC} s = ${expected.toFixed(3)} s; lecture_progress ${stored.progress.toFixed(3)} s, study_daily ${stored.daily.toFixed(3)} s, sessions ${stored.sessions.toFixed(3)} s; answered ${answeredCredit.toFixed(3)} s for ${acknowledged} answers (${inFlight} in flight at stop) → ${exact ? 'exact' : 'MISMATCH'}
target:                 ≥ 50 % of bare, p99 < 50 ms, exact totals → ${ratio >= 0.5 && p99 < 50 && exact ? 'PASS' : 'FAIL'}`);
process.exit(0);
