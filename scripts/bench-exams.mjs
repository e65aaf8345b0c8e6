// npm run bench:exams — 2,000 members sit one published 20-question exam at once: each starts and saves
// 20 answers, with at most CONNECTIONS members in flight; then the project's heartbeat endpoint takes the same
// number of requests at the same concurrency, as the baseline of this run. Prints both latencies and
// their ratio, then checks in PostgreSQL that every acknowledged save is stored.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from './setup-steps.mjs';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
const QUESTIONS = 20;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DB_URL = `${SERVER}/lectern_bench_exams`;
const SECRET = randomBytes(32).toString('hex');
const CLAIM_SEC = 0.5;

const { playbackKey } = await import(join(ROOT, 'dist/apps/catalog/src/playback/playback-token.js'));
const { heartbeatToken } = await import(join(ROOT, 'dist/apps/catalog/src/study/heartbeat-token.js'));
const { insertPublishedExam } = await import(join(ROOT, 'dist/apps/catalog/src/exams/taking/exam-fixtures.js'));

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

/** An access token as the catalog issues it (HS256 over the same claims), without 2,000 sign-ins. */
function accessToken(user) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub: user.id,
    login: user.login,
    role: 'member',
    unit: user.org_unit_id,
    path: user.path,
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

async function prepareDatabase() {
  await run([join(ROOT, 'dist/apps/catalog/src/cli.js'), 'prepare-database', '--fresh'], { DATABASE_URL: DB_URL });
  await run([join(ROOT, 'dist/apps/catalog/src/cli.js'), 'seed-demo'], { DATABASE_URL: DB_URL });
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const [{ id: unit }] = (await db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`)).rows;
  await db.query(
    `INSERT INTO users (login, name, role, org_unit_id, category)
     SELECT 'bench' || n, 'Member ' || n, 'member', $1, 'on-the-job' FROM generate_series(1, $2) n`,
    [unit, MEMBERS],
  );
  const users = (
    await db.query(
      `SELECT u.id, u.login, u.org_unit_id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.login LIKE 'bench%' ORDER BY u.login`,
    )
  ).rows;
  // One published fixed exam of 20 single-choice questions for the bench members' group.
  const { examId } = await insertPublishedExam(
    { query: async (sql, params) => (await db.query(sql, params)).rows },
    {
      title: 'Bench exam',
      unitPaths: ['committee/east/group-1'],
      timeLimitMin: 60,
      questions: Array.from({ length: QUESTIONS }, (_, i) => ({
        kind: 'single',
        stem: `Question ${i + 1}`,
        options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `Option ${key} of ${i + 1}` })),
        answer: { keys: [['A', 'B', 'C', 'D'][i % 4]] },
        points: 5,
      })),
    },
  );
  // The heartbeat baseline: a live playback session for each member, as bench:heartbeats sets them up.
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
  const sessions = (
    await db.query(
      `INSERT INTO playback_sessions (user_id, lecture_id, asset_id, opened_at)
       SELECT id, $1, $2, now() - interval '5 minutes' FROM users WHERE login LIKE 'bench%' ORDER BY login RETURNING id`,
      [lecture, asset],
    )
  ).rows.map((r) => r.id);
  await db.end();
  return { users, examId, sessions };
}

async function startCatalog(port) {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/catalog/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: DB_URL,
      JWT_SECRET: SECRET,
      CATALOG_PORT: String(port),
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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

const port = 3900 + Math.floor(Math.random() * 90);
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

/** One JSON request on the shared keep-alive pool; resolves with status, parsed body and milliseconds taken. */
function call(method, path, headers, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - began;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode, body: parsed, ms });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `work(i)` for i in 0..count-1 with at most CONNECTIONS running at once. */
async function bounded(count, work) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONNECTIONS, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (x) => x.toFixed(1);

const { users, examId, sessions } = await prepareDatabase();
const catalog = await startCatalog(port);
console.log(
  `\n${MEMBERS} members × ${QUESTIONS} answers, at most ${CONNECTIONS} members (and connections) in flight; then as many heartbeats.`,
);

// Warm-up, unmeasured: the first requests of each kind compile the code paths on both sides.
const warmKey = 'bench-warm-device-000000';
await call('GET', '/api/me/exams', { authorization: `Bearer ${accessToken(users[0])}`, 'x-exam-device': warmKey });

// (a) the exam: each member starts (or resumes) and saves 20 answers, one after another, as a person does.
const saveMs = [];
const startMs = [];
const acknowledged = [];
const statuses = {};
const tally = (kind, status) => {
  const key = `${kind} ${status}`;
  statuses[key] = (statuses[key] ?? 0) + 1;
};
const examSeconds = await bounded(MEMBERS, async (i) => {
  const user = users[i];
  const headers = { authorization: `Bearer ${accessToken(user)}`, 'x-exam-device': `bench-device-${user.id}` };
  const started = await call('POST', `/api/me/exams/${examId}/attempts`, headers);
  tally('start', started.status);
  startMs.push(started.ms);
  if (started.status !== 200) return;
  const paper = started.body;
  for (const q of paper.questions) {
    const answer = { keys: [q.options[(i + q.item) % q.options.length].key] };
    const saved = await call('PUT', `/api/me/attempts/${paper.attemptId}/answers/${q.item}`, headers, { answer, baseRevision: 0 });
    tally('save', saved.status);
    saveMs.push(saved.ms);
    if (saved.status === 200) acknowledged.push([paper.attemptId, q.item, saved.body.revision, answer.keys[0]]);
  }
});

// (b) the baseline: the heartbeat endpoint, the same number of requests at the same concurrency. The
// sessions are opened five minutes before it starts, so none has run out of time during (a).
const reopen = new pg.Client({ connectionString: DB_URL });
await reopen.connect();
await reopen.query(`UPDATE playback_sessions SET opened_at = now() - interval '5 minutes'`);
await reopen.end();
const key = playbackKey(SECRET);
const beatMs = [];
const heartbeatSeconds = await bounded(sessions.length, async (i) => {
  const sessionId = sessions[i];
  const token = heartbeatToken(key, sessionId);
  for (let seq = 1; seq <= QUESTIONS; seq++) {
    const start = (seq - 1) * CLAIM_SEC;
    const beat = await call(
      'POST',
      '/api/heartbeats',
      {},
      {
        sessionId,
        token,
        seq,
        intervals: [[start, start + CLAIM_SEC]],
        position: start + CLAIM_SEC,
        playbackRate: 1,
        visible: true,
        event: 'tick',
      },
    );
    tally('heartbeat', beat.status);
    beatMs.push(beat.ms);
  }
});
catalog.kill('SIGTERM');
agent.destroy();

// Every acknowledged save must be in exam_answers with the revision and answer it was acknowledged with.
const db = new pg.Client({ connectionString: DB_URL });
await db.connect();
const stored = (
  await db.query(
    `SELECT count(*)::int AS matched FROM exam_answers x
       JOIN unnest($1::uuid[], $2::int[], $3::int[], $4::text[]) AS k(attempt_id, item, revision, choice)
         ON x.attempt_id = k.attempt_id AND x.item = k.item AND x.revision = k.revision AND x.answer->'keys'->>0 = k.choice`,
    [acknowledged.map((a) => a[0]), acknowledged.map((a) => a[1]), acknowledged.map((a) => a[2]), acknowledged.map((a) => a[3])],
  )
).rows[0];
const counts = (
  await db.query(
    `SELECT (SELECT count(*)::int FROM exam_attempts WHERE exam_id = $1) AS attempts,
            (SELECT count(*)::int FROM exam_answers x JOIN exam_attempts a ON a.id = x.attempt_id WHERE a.exam_id = $1) AS answers,
            (SELECT count(*)::int FROM exam_attempt_events ev JOIN exam_attempts a ON a.id = ev.attempt_id
              WHERE a.exam_id = $1 AND ev.kind = 'saved') AS "savedEvents"`,
    [examId],
  )
).rows[0];
await db.end();

const lost = acknowledged.length - stored.matched;
const saveP50 = percentile(saveMs, 50);
const saveP99 = percentile(saveMs, 99);
const beatP50 = percentile(beatMs, 50);
const beatP99 = percentile(beatMs, 99);
const saveRate = saveMs.length / examSeconds;
const beatRate = beatMs.length / heartbeatSeconds;
const ok = lost === 0 && saveP99 < 100 && acknowledged.length === MEMBERS * QUESTIONS;
console.log(`
machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}
concurrency:          ${CONNECTIONS} members in flight, each on a keep-alive connection, requests back to back (no think time)
exam starts:          ${startMs.length} (p50 ${fmt(percentile(startMs, 50))} ms, p99 ${fmt(percentile(startMs, 99))} ms)
exam saves:           ${saveMs.length} in ${examSeconds.toFixed(1)} s (starts included) = ${Math.round(saveRate)} saves/s; p50 ${fmt(saveP50)} ms, p99 ${fmt(saveP99)} ms
heartbeats:           ${beatMs.length} in ${heartbeatSeconds.toFixed(1)} s = ${Math.round(beatRate)} req/s; p50 ${fmt(beatP50)} ms, p99 ${fmt(beatP99)} ms
ratio save/heartbeat: p50 ${(saveP50 / beatP50).toFixed(2)}×, p99 ${(saveP99 / beatP99).toFixed(2)}×, throughput ${((saveRate / beatRate) * 100).toFixed(1)} %
statuses:             ${JSON.stringify(statuses)}
stored:               ${counts.attempts} attempts, ${counts.answers} answers, ${counts.savedEvents} 'saved' events; ${acknowledged.length} saves acknowledged, ${stored.matched} found as acknowledged → lost ${lost}
target:               every member's 20 saves acknowledged, save p99 < 100 ms, 0 lost → ${ok ? 'PASS' : 'FAIL'}`);
process.exit(ok ? 0 : 1);
