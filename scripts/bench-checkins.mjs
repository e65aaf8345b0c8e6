// npm run bench:checkins — a collective viewing of 200 attendees: the room's screen plays and sends a heartbeat
// every few seconds while the members check in over one minute through the real check-in endpoint (each at its
// own moment, concurrently). Each member also sends their cheapest signed-in request (GET /api/me) at the same
// moment, as the baseline; both latencies are printed with their ratio. Then some check out, the screen plays
// on, and every attendee's credit is checked in PostgreSQL against the overlap computed here from the recorded
// plays and presence: per attendee and in total, in lecture_progress, study_daily and the attendance record.
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { freePort, freshDemoDatabase, machine, startService, stopChild } from './bench-support.mjs';

const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 200);
const SPREAD_SEC = Number(process.env.BENCH_SPREAD_SEC ?? 60);
/** The screen's heartbeat period, and how long it plays on after the last check-in. */
const BEAT_SEC = Number(process.env.BENCH_BEAT_SEC ?? 5);
const AFTER_SEC = Number(process.env.BENCH_AFTER_SEC ?? 20);
const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DB_URL = `${SERVER}/lectern_bench_checkins`;
const SECRET = randomBytes(32).toString('hex');

/** An access token as the catalog issues it (HS256 over the same claims), without 200 sign-ins. */
function accessToken(user) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub: user.id,
    login: user.login,
    role: user.role,
    unit: user.org_unit_id,
    path: user.path,
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

async function prepareDatabase() {
  await freshDemoDatabase(DB_URL);
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const [{ id: unit }] = (await db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`)).rows;
  const [{ id: editor }] = (await db.query(`SELECT id FROM users WHERE login = 'editor'`)).rows;
  const [{ id: category }] = (await db.query(`SELECT id FROM course_categories LIMIT 1`)).rows;
  const [{ asset_id: asset }] = (
    await db.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs)
       VALUES (gen_random_uuid(), 'ready', 'video', 7200, '{"prefix":"none","master":"master.m3u8","audioOnly":null,"download":null,"poster":null,"thumbnails":[],"renditions":[]}')
       RETURNING asset_id`,
    )
  ).rows;
  const [{ id: course }] = (
    await db.query(
      `INSERT INTO courses (title, category_id, status, created_by, published_at) VALUES ('集体观看 Bench', $1, 'published', $2, now()) RETURNING id`,
      [category, editor],
    )
  ).rows;
  const [{ id: lecture }] = (
    await db.query(`INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, 0, '第一讲', $2) RETURNING id`, [course, asset])
  ).rows;
  await db.query(
    `INSERT INTO users (login, name, role, org_unit_id, category)
     SELECT 'bench' || n, 'Attendee ' || n, 'member', $1, 'on-the-job' FROM generate_series(1, $2) n`,
    [unit, ATTENDEES],
  );
  const people = `SELECT u.id, u.login, u.role, u.org_unit_id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id`;
  const members = (await db.query(`${people} WHERE u.login LIKE 'bench%' ORDER BY u.login`)).rows;
  // The demo group's leader runs the screen.
  const [leader] = (await db.query(`${people} WHERE u.login = 'member'`)).rows;
  await db.end();
  return { unit, lecture, members, leader };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The overlap rule written out apart from the library, in whole ms: expected credit per member from plays and presence. */
function expectedCredit(plays, presence) {
  const union = (list) => {
    const out = [];
    for (const [s, e] of [...list].sort((x, y) => x[0] - y[0])) {
      const last = out.at(-1);
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else out.push([s, e]);
    }
    return out;
  };
  const byMember = new Map();
  for (const p of presence) byMember.set(p.user_id, [...(byMember.get(p.user_id) ?? []), p]);
  const expected = new Map();
  for (const [userId, periods] of byMember) {
    const earned = [];
    for (const play of plays) {
      const pieces = play.intervals.map(([s, e]) => [Math.round(s * 1000), Math.round(e * 1000)]);
      const media = pieces.reduce((sum, [s, e]) => sum + e - s, 0);
      const window = play.to_ms - play.from_ms;
      for (const p of periods) {
        const to = p.to_ms ?? Infinity;
        if (window === 0) {
          if (p.from_ms <= play.from_ms && play.from_ms < to) earned.push(...pieces);
          continue;
        }
        const a = Math.max(p.from_ms, play.from_ms);
        const b = Math.min(to, play.to_ms);
        if (b <= a) continue;
        const lo = Math.floor(((a - play.from_ms) * media) / window);
        const hi = b >= play.to_ms ? media : Math.floor(((b - play.from_ms) * media) / window);
        let at = 0;
        for (const [s, e] of pieces) {
          const from = Math.max(lo, at);
          const upto = Math.min(hi, at + e - s);
          if (upto > from) earned.push([s + from - at, s + upto - at]);
          at += e - s;
        }
      }
    }
    expected.set(
      userId,
      union(earned).reduce((sum, [s, e]) => sum + e - s, 0),
    );
  }
  return expected;
}

const { unit, lecture, members, leader } = await prepareDatabase();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const catalog = await startService(
  'dist/apps/catalog/src/main.js',
  { DATABASE_URL: DB_URL, JWT_SECRET: SECRET, CATALOG_PORT: String(port), QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}` },
  `${base}/health`,
);

const call = async (token, method, path, body) => {
  const started = performance.now();
  const answer = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  return { status: answer.status, ms: performance.now() - started, body: text ? JSON.parse(text) : null };
};

try {
  const leaderToken = accessToken(leader);
  const started = await call(leaderToken, 'POST', '/api/group-sessions/collective', { lectureId: lecture, unitId: unit });
  if (started.status !== 201) throw new Error(`starting the session answered ${started.status}: ${JSON.stringify(started.body)}`);
  const sessionId = started.body.id;

  // The screen shows the rotating code; the members type what it shows at the moment they check in.
  let code = null;
  const refreshCode = async () => {
    const answer = await call(leaderToken, 'GET', `/api/group-sessions/${sessionId}/code`);
    if (answer.status !== 200) throw new Error(`the code answered ${answer.status}`);
    code = answer.body.code;
  };
  await refreshCode();

  // The screen: an honest player, each heartbeat claiming the media it played since the previous one.
  let screenOn = true;
  let seq = 0;
  let mediaAt = 0;
  let playedClaimed = 0;
  const beats = [];
  const screen = (async () => {
    let last = performance.now();
    while (screenOn) {
      await sleep(BEAT_SEC * 1000);
      if (seq % 4 === 0) await refreshCode();
      const now = performance.now();
      const played = Math.round(now - last) / 1000;
      last = now;
      const answer = await call(leaderToken, 'POST', `/api/group-sessions/${sessionId}/heartbeats`, {
        seq: seq++,
        intervals: [[mediaAt, mediaAt + played]],
        position: mediaAt + played,
      });
      if (answer.status !== 200) throw new Error(`a screen heartbeat answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      mediaAt += played;
      playedClaimed += played;
      beats.push(answer);
    }
  })();

  // Each member at their own moment within the minute: the baseline request and the check-in, side by side.
  const checkinMs = [];
  const baselineMs = [];
  const statuses = {};
  const tokens = members.map(accessToken);
  const t0 = performance.now();
  await Promise.all(
    members.map(async (_, i) => {
      await sleep((i * SPREAD_SEC * 1000) / members.length + Math.random() * ((SPREAD_SEC * 1000) / members.length));
      const [baseline, checkin] = await Promise.all([
        call(tokens[i], 'GET', '/api/me'),
        call(tokens[i], 'POST', '/api/group-sessions/checkin', { code, sessionId }),
      ]);
      statuses[checkin.status] = (statuses[checkin.status] ?? 0) + 1;
      if (baseline.status !== 200) throw new Error(`GET /api/me answered ${baseline.status}`);
      checkinMs.push(checkin.ms);
      baselineMs.push(baseline.ms);
    }),
  );
  const checkinWallSec = (performance.now() - t0) / 1000;

  // A tenth of the room leaves early, through their own page; the screen plays on.
  await sleep((BEAT_SEC * 1000) / 2);
  const leaving = members.filter((_, i) => i % 10 === 0);
  for (const [i, member] of leaving.entries()) {
    const answer = await call(tokens[members.indexOf(member)], 'POST', `/api/group-sessions/${sessionId}/checkout`);
    if (answer.status !== 200) throw new Error(`check-out answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (i === Math.floor(leaving.length / 2)) await sleep(1000);
  }
  await sleep(AFTER_SEC * 1000);
  screenOn = false;
  await screen;

  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const ms = (column) => `round(extract(epoch FROM ${column}) * 1000)::float8`;
  const plays = (
    await db.query(
      `SELECT ${ms('from_at')} AS from_ms, ${ms('to_at')} AS to_ms, intervals, played_sec FROM group_session_plays WHERE session_id = $1 ORDER BY seq`,
      [sessionId],
    )
  ).rows;
  const presence = (
    await db.query(
      `SELECT user_id, ${ms('from_at')} AS from_ms, ${ms('to_at')} AS to_ms FROM group_session_presence WHERE session_id = $1 AND undone_at IS NULL`,
      [sessionId],
    )
  ).rows;
  const stored = new Map(
    (
      await db.query(
        `SELECT a.user_id, a.credited_sec AS attendance, coalesce(p.credited_sec, 0) AS progress,
                coalesce((SELECT sum(d.credited_sec) FROM study_daily d WHERE d.user_id = a.user_id AND d.lecture_id = $2), 0) AS daily,
                coalesce((SELECT sum(d.collective_sec) FROM study_daily d WHERE d.user_id = a.user_id AND d.lecture_id = $2), 0) AS collective
           FROM group_session_attendance a LEFT JOIN lecture_progress p ON p.user_id = a.user_id AND p.lecture_id = $2
          WHERE a.session_id = $1`,
        [sessionId, lecture],
      )
    ).rows.map((row) => [row.user_id, row]),
  );
  const [{ played_sec: playedSec }] = (await db.query(`SELECT played_sec FROM group_sessions WHERE id = $1`, [sessionId])).rows;
  const [{ leader_rows: leaderRows }] = (
    await db.query(`SELECT count(*)::int AS leader_rows FROM study_daily WHERE user_id = $1 AND lecture_id = $2`, [leader.id, lecture])
  ).rows;
  await db.end();

  const expected = expectedCredit(plays, presence);
  const whole = (x) => Math.round(Number(x) * 1000);
  let expectedTotal = 0;
  let storedTotal = 0;
  const mismatches = [];
  for (const member of members) {
    const want = expected.get(member.id) ?? 0;
    const row = stored.get(member.id);
    expectedTotal += want;
    storedTotal += row ? whole(row.attendance) : 0;
    const got = row ? [row.attendance, row.progress, row.daily, row.collective].map(whole) : [0, 0, 0, 0];
    if (!got.every((x) => x === want)) mismatches.push({ login: member.login, expectedMs: want, got });
  }
  const answered = beats.reduce((sum, b) => sum + whole(b.body.creditedSec), 0);
  const exact = mismatches.length === 0 && storedTotal === expectedTotal && answered === expectedTotal && leaderRows === 0;
  const fmt = (x) => x.toFixed(1);
  const ratio = (p) => percentile(checkinMs, p) / percentile(baselineMs, p);
  console.log(`
machine:            ${machine()}
check-ins:          ${checkinMs.length} members over ${fmt(checkinWallSec)} s, each at its own moment, the screen beating every ${BEAT_SEC} s  statuses ${JSON.stringify(statuses)}
check-in latency:   p50 ${fmt(percentile(checkinMs, 50))} ms, p95 ${fmt(percentile(checkinMs, 95))} ms, p99 ${fmt(percentile(checkinMs, 99))} ms
baseline GET /me:   p50 ${fmt(percentile(baselineMs, 50))} ms, p95 ${fmt(percentile(baselineMs, 95))} ms, p99 ${fmt(percentile(baselineMs, 99))} ms
ratio:              p50 ${ratio(50).toFixed(2)}×, p95 ${ratio(95).toFixed(2)}×, p99 ${ratio(99).toFixed(2)}× the baseline
screen:             ${beats.length} heartbeats, ${fmt(playedClaimed)} s claimed, ${Number(playedSec).toFixed(3)} s played by the server's clock; heartbeat p50 ${fmt(
    percentile(
      beats.map((b) => b.ms),
      50,
    ),
  )} ms, max ${fmt(Math.max(...beats.map((b) => b.ms)))} ms
credit:             ${stored.size} attendees (${leaving.length} left early); expected ${(expectedTotal / 1000).toFixed(3)} s, recorded ${(storedTotal / 1000).toFixed(3)} s, answered ${(answered / 1000).toFixed(3)} s; ${mismatches.length} attendees differ in progress, day, collective or attendance; leader credited ${leaderRows} rows → ${exact ? 'exact' : 'MISMATCH'}`);
  if (mismatches.length) console.log(mismatches.slice(0, 5));
  process.exitCode = exact && (statuses[200] ?? 0) + (statuses[201] ?? 0) === members.length ? 0 : 1;
} finally {
  await stopChild(catalog);
}
