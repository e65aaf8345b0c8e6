// npm run bench:organisation — on a scratch database it creates and drops: (a) a 10,000-row member import through
// the catalog's HTTP API (preview, then confirm) beside PostgreSQL COPY of the same rows into a plain table, with
// the share of the member_unit_periods trigger in the import's INSERT; (b) the move of a unit holding 5,000 members
// (POST /api/org-units/:id/move) beside an UPDATE of one column of 5,000 rows of a plain table. Prints the times
// (median of RUNS) and the ratios. Run after `npm run build:server` (the npm script builds first).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './bench-support.mjs';
import { ROOT } from './setup-steps.mjs';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const MOVED = Number(process.env.BENCH_MOVE_MEMBERS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECRET = randomBytes(32).toString('hex');
const CLI = join(ROOT, 'dist/apps/catalog/src/cli.js');
const MAIN = join(ROOT, 'dist/apps/catalog/src/main.js');
const DEMO = join(ROOT, 'dist/apps/catalog/src/seed/demo-organisation.js');

const now = () => process.hrtime.bigint();
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function cli(command, databaseUrl) {
  const run = spawnSync(process.execPath, [CLI, ...command], {
    env: { ...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed:\n${run.stderr}${run.stdout}`);
}

async function startCatalog(port, databaseUrl, storageDir) {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: SECRET,
      CATALOG_PORT: String(port),
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-org-${randomBytes(3).toString('hex')}`,
      STORAGE_DIR: storageDir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('The catalog did not start.');
}

/** COPY … FROM STDIN with node-postgres alone: the rows are sent as one chunk once the server asks for them. */
function copyIn(client, sql, data) {
  return new Promise((resolve, reject) => {
    let failure = null;
    client.query({
      submit: (connection) => connection.query(sql),
      handleCopyInResponse: (connection) => {
        connection.sendCopyFromChunk(data);
        connection.endCopyFrom();
      },
      handleError: (error) => (failure = error),
      handleReadyForQuery: () => (failure ? reject(failure) : resolve()),
      handleCommandComplete: () => {},
      handleRowDescription: () => {},
      handleDataRow: () => {},
      handleEmptyQuery: () => {},
      handlePortalSuspended: () => {},
      handleCopyData: () => {},
    });
  });
}

/** A member list of ROWS people: half into unitA, half into unitB (paths below the committee). */
function memberCsv(run, unitA, unitB) {
  const lines = ['姓名,登录名,单位,类别'];
  for (let i = 0; i < ROWS; i++) lines.push(`成员${run}-${i},bench-${run}-${i},${i % 2 ? unitB : unitA},${i % 3 ? 'retired' : '农村'}`);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function main() {
  for (const file of [CLI, MAIN, DEMO]) {
    if (!existsSync(file)) {
      console.error(`${file} is missing: build the server first ("npm run build:server"), or run "npm run bench:organisation".`);
      process.exit(1);
    }
  }
  const { DEMO_PASSWORD } = await import(DEMO);
  const name = `lectern_bench_org_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${SERVER}/${name}`;
  const storageDir = mkdtempSync(join(tmpdir(), 'lectern-bench-org-'));
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  let catalog = null;
  let db = null;
  try {
    console.log(`Scratch database ${name}: migrating and seeding the demo organisation…`);
    cli(['prepare-database'], databaseUrl);
    cli(['seed-demo'], databaseUrl);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const q = async (sql, params) => (await db.query(sql, params)).rows;

    // Empty groups to import into, one pair per run, and two branches to move a unit between.
    for (let run = 1; run <= RUNS; run++) {
      for (const side of ['a', 'b']) {
        await q(
          `INSERT INTO org_units (parent_id, slug, name, kind, path, depth)
           SELECT id, $1, $2, 'group', 'committee/east/' || $1, 2 FROM org_units WHERE path = 'committee/east'`,
          [`bench-${side}-${run}`, `测试小组 ${side}${run}`],
        );
      }
    }

    const port = await freePort();
    catalog = await startCatalog(port, databaseUrl, storageDir);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { accessToken } = await login.json();
    const auth = { authorization: `Bearer ${accessToken}` };

    // (a) Import through the API.
    const preview = [];
    const confirm = [];
    for (let run = 1; run <= RUNS; run++) {
      const body = memberCsv(run, `east/bench-a-${run}`, `east/bench-b-${run}`);
      let start = now();
      const answer = await fetch(`${base}/api/members/imports?filename=bench.csv`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body,
      });
      const shown = await answer.json();
      preview.push(ms(start));
      if (answer.status !== 201 || shown.counts.create !== ROWS)
        throw new Error(`preview: ${answer.status} ${JSON.stringify(shown).slice(0, 500)}`);
      start = now();
      const done = await fetch(`${base}/api/members/imports/${shown.id}/confirm`, { method: 'POST', headers: auth });
      const result = await done.json();
      confirm.push(ms(start));
      if (done.status !== 200 || result.created !== ROWS)
        throw new Error(`confirm: ${done.status} ${JSON.stringify(result).slice(0, 500)}`);
    }
    const [{ n: imported }] = await q(`SELECT count(*)::int AS n FROM users WHERE login LIKE 'bench-%'`);
    if (imported !== ROWS * RUNS) throw new Error(`expected ${ROWS * RUNS} imported members, found ${imported}`);

    // Baseline: COPY of the same rows into a plain table.
    await q(`CREATE TABLE bench_copy (name text, login text, unit text, category text)`);
    const copies = [];
    for (let run = 1; run <= RUNS; run++) {
      await q(`TRUNCATE bench_copy`);
      const body = memberCsv(100 + run, 'east/bench-a', 'east/bench-b');
      const start = now();
      await copyIn(db, `COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)`, body);
      copies.push(ms(start));
    }
    const [{ n: copied }] = await q(`SELECT count(*)::int AS n FROM bench_copy`);
    if (copied !== ROWS) throw new Error(`COPY loaded ${copied} rows`);

    // The import's INSERT statement alone, with and without the member_unit_periods trigger (rolled back).
    const recordset = JSON.stringify(
      Array.from({ length: ROWS }, (_, i) => ({
        login: `bench-x-${i}`,
        name: `成员x${i}`,
        category: i % 3 ? 'retired' : 'rural',
        active: true,
      })),
    );
    const [{ id: groupId }] = await q(`SELECT id FROM org_units WHERE path = 'committee/east/bench-a-1'`);
    const insertSql = `INSERT INTO users (login, name, role, org_unit_id, category, active, password_hash, must_change_password)
      SELECT r.login, r.name, 'member', $2::uuid, r.category, r.active, NULL, true
        FROM jsonb_to_recordset($1::jsonb) AS r(login text, name text, category text, active boolean)`;
    const withTrigger = [];
    const withoutTrigger = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const trigger of [true, false]) {
        await q('BEGIN');
        if (!trigger) await q(`ALTER TABLE users DISABLE TRIGGER users_unit_period_open`);
        const start = now();
        await q(insertSql, [recordset, groupId]);
        (trigger ? withTrigger : withoutTrigger).push(ms(start));
        await q('ROLLBACK');
      }
    }

    // (b) Move a unit holding MOVED members between two branches, back and forth.
    const [{ id: movingId, members }] = await q(
      `SELECT o.id, count(u.id)::int AS members FROM org_units o JOIN users u ON u.org_unit_id = o.id
        WHERE o.path = 'committee/east/bench-a-1' GROUP BY o.id`,
    );
    if (members !== MOVED) console.warn(`  (the moved unit holds ${members} members, not ${MOVED})`);
    const parents = await q(`SELECT path, id FROM org_units WHERE path IN ('committee/west', 'committee/east')`);
    const parentOf = Object.fromEntries(parents.map((p) => [p.path, p.id]));
    const moves = [];
    for (let run = 1; run <= RUNS * 2; run++) {
      const to = run % 2 ? 'committee/west' : 'committee/east';
      const start = now();
      const moved = await fetch(`${base}/api/org-units/${movingId}/move`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ parentId: parentOf[to] }),
      });
      const unit = await moved.json();
      moves.push(ms(start));
      if (moved.status !== 200 || unit.path !== `${to}/bench-a-1`)
        throw new Error(`move: ${moved.status} ${JSON.stringify(unit).slice(0, 300)}`);
    }
    const [{ n: stillThere }] = await q(`SELECT count(*)::int AS n FROM users WHERE org_unit_id = $1`, [movingId]);

    // Baseline: one column of MOVED rows of a plain table.
    await q(`CREATE TABLE bench_update AS SELECT g AS id, 'committee/east/bench-a-1' AS unit_path FROM generate_series(1, $1::int) g`, [
      MOVED,
    ]);
    const updates = [];
    for (let run = 1; run <= RUNS * 2; run++) {
      const to = run % 2 ? 'committee/west/bench-a-1' : 'committee/east/bench-a-1';
      const start = now();
      const { rowCount } = await db.query(`UPDATE bench_update SET unit_path = $1`, [to]);
      updates.push(ms(start));
      if (rowCount !== MOVED) throw new Error(`UPDATE touched ${rowCount} rows`);
    }

    const p = median(preview);
    const c = median(confirm);
    const copy = median(copies);
    const move = median(moves);
    const update = median(updates);
    const trig = median(withTrigger);
    const noTrig = median(withoutTrigger);
    console.log(
      `\nOrganisation benchmark — ${cpus().length} cores, PostgreSQL on ${new URL(SERVER).host}; median of ${RUNS} runs (moves: ${RUNS * 2})`,
    );
    console.log(`\n(a) import of ${ROWS} new members through the API`);
    console.log(`  preview (upload, parse, classify, store)  ${f(p).padStart(8)} ms   runs: ${preview.map(f).join(', ')}`);
    console.log(`  confirm (re-check, INSERT, one tx)        ${f(c).padStart(8)} ms   runs: ${confirm.map(f).join(', ')}`);
    console.log(`  preview + confirm                         ${f(p + c).padStart(8)} ms`);
    console.log(`  baseline: COPY of the same rows           ${f(copy).padStart(8)} ms   runs: ${copies.map(f).join(', ')}`);
    const ratio = (x) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
    console.log(`  ratio (preview + confirm) / COPY          ${ratio((p + c) / copy).padStart(8)}`);
    console.log(`  the import's INSERT alone, with trigger   ${f(trig).padStart(8)} ms   runs: ${withTrigger.map(f).join(', ')}`);
    console.log(`  … with member_unit_periods disabled       ${f(noTrig).padStart(8)} ms   runs: ${withoutTrigger.map(f).join(', ')}`);
    console.log(
      `  the trigger's share: ${f(trig - noTrig)} ms, ${(((trig - noTrig) / trig) * 100).toFixed(0)}% of the INSERT, ${(((trig - noTrig) / (p + c)) * 100).toFixed(0)}% of preview + confirm`,
    );
    console.log(`\n(b) move of a unit holding ${members} members (POST /api/org-units/:id/move)`);
    console.log(`  move                                      ${f(move).padStart(8)} ms   runs: ${moves.map(f).join(', ')}`);
    console.log(
      `  baseline: UPDATE of one column, ${String(MOVED).padEnd(5)} rows ${f(update).padStart(8)} ms   runs: ${updates.map(f).join(', ')}`,
    );
    console.log(`  ratio move / UPDATE                       ${ratio(move / update).padStart(8)}`);
    console.log(`  (the move rewrites the unit's path; its ${stillThere} members keep their unit id, so no member row is written)`);
  } finally {
    await db?.end().catch(() => {});
    if (catalog) {
      catalog.kill('SIGTERM');
      await new Promise((resolve) => (catalog.exitCode !== null ? resolve() : catalog.once('exit', resolve)));
    }
    await admin
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch((error) => console.error(`could not drop ${name}: ${error.message}`));
    await admin.end();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
