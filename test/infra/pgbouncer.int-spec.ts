import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { catalogEnvSchema, loadEnv } from '#config';
import { createLogger } from '#logging';
import { createCatalogApp } from '../../apps/catalog/src/catalog.app.js';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { seedDemo } from '../../apps/catalog/src/seed/seed-demo.js';
import { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from '../support/database.js';
import { heartbeatBody } from '../support/heartbeats.js';
import { freePort, waitUntil } from '../support/ports.js';
import { publishTestMedia } from '../support/published-media.js';
import { TEST_JWT_SECRET } from '../support/secrets.js';

// The real PgBouncer (Debian's, as set-up installs it) between the catalog and PostgreSQL. The heartbeat
// path uses named prepared statements (heartbeat-load-sessions, heartbeat-commit). Debian 12 ships
// PgBouncer 1.18: they work through it in session mode, and not in transaction mode, which only
// PgBouncer 1.21's max_prepared_statements makes safe (infra/kubernetes/base/pgbouncer/pgbouncer.ini).

const PGBOUNCER = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
const server = new URL(TEST_SERVER_URL);

function pgbouncerVersion(): [number, number] {
  const out = spawnSync(PGBOUNCER, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const match = /PgBouncer (\d+)\.(\d+)/.exec(out);
  if (!match) throw new Error(`${PGBOUNCER} --version said "${out}": is pgbouncer installed (npm test's set-up installs it)?`);
  return [Number(match[1]), Number(match[2])];
}

interface Bouncer {
  port: number;
  url(database: string): string;
  stop(): Promise<void>;
}

/** PgBouncer on a free port in front of the test server, pooling as `mode` says. */
async function startPgBouncer(mode: 'session' | 'transaction', extra: Record<string, string> = {}): Promise<Bouncer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lectern-pgbouncer-'));
  // PgBouncer refuses to run as root; as root it is started with -u nobody, who must read its files.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'userlist.txt'), `"${decodeURIComponent(server.username || 'postgres')}" ""\n`);
  const settings: Record<string, string> = {
    listen_addr: '127.0.0.1',
    listen_port: String(port),
    unix_socket_dir: '',
    auth_type: 'trust',
    auth_file: join(dir, 'userlist.txt'),
    admin_users: decodeURIComponent(server.username || 'postgres'),
    pool_mode: mode,
    max_client_conn: '200',
    default_pool_size: '20',
    ignore_startup_parameters: 'extra_float_digits',
    ...extra,
  };
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`),
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'nobody'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (database: string) => `postgres://${server.username || 'postgres'}@127.0.0.1:${port}/${database}`;
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`pgbouncer stopped: ${log}`);
        const client = new pg.Client({ connectionString: url('pgbouncer') });
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
      () => `pgbouncer to accept connections on ${port} (${log})`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of one of PgBouncer's SHOW commands, through its admin console (simple queries only). */
async function adminShow(bouncer: Bouncer, what: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: bouncer.url('pgbouncer') });
  await client.connect();
  try {
    return (await client.query(`SHOW ${what}`)).rows;
  } finally {
    await client.end();
  }
}

describe('the heartbeat path through PgBouncer in session mode', () => {
  let bouncer: Bouncer;
  let db: TestDatabase;
  let app: INestApplication;
  let direct: DataSource;
  let member: string;
  let lectureId: string;
  let storageDir: string;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    bouncer = await startPgBouncer('session');
    db = await createTestDatabase();
    storageDir = mkdtempSync(join(tmpdir(), 'lectern-pgbouncer-storage-'));
    // Every connection of the catalog, TypeORM's pool and the heartbeat path's own, goes through PgBouncer.
    const env = loadEnv(catalogEnvSchema, {
      DATABASE_URL: bouncer.url(db.name),
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      QUEUE_PREFIX: `lectern-test-${randomBytes(4).toString('hex')}`,
      STORAGE_DIR: storageDir,
    });
    app = await createCatalogApp(env, createLogger('catalog', env.LOG_LEVEL));
    await app.init();
    direct = new DataSource({ type: 'postgres', url: db.url });
    await direct.initialize();
    await seedDemo(app.get(DataSource));
    const login = async (name: string) =>
      (await http().post('/api/auth/login').send({ login: name, password: DEMO_PASSWORD })).body.accessToken as string;
    const editor = await login('editor');
    member = await login('member');
    const categories = await http().get('/api/course-categories').set(as(editor));
    const course = await http().post('/api/courses').set(as(editor)).send({ title: 'Pooled', categoryId: categories.body[0].id });
    const { assetId } = await publishTestMedia(direct, storageDir, 120);
    lectureId = (await http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: 'L1', assetId })).body.id;
    expect((await http().post(`/api/courses/${course.body.id}/publish`).set(as(editor))).status).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await direct?.destroy();
    await bouncer?.stop();
    await db?.drop();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  });

  it('credits heartbeats, replays a repeated one, and its statements run on connections PgBouncer hands out', async () => {
    const session = (await http().post(`/api/lectures/${lectureId}/playback`).set(as(member))).body as {
      sessionId: string;
      heartbeatToken: string;
    };
    const age = (seconds: number) =>
      direct.query(
        `UPDATE playback_sessions SET opened_at = opened_at - make_interval(secs => $2),
                last_accepted_at = last_accepted_at - make_interval(secs => $2) WHERE id = $1`,
        [session.sessionId, seconds],
      );
    await age(10);
    const first = await http()
      .post('/api/heartbeats')
      .send(heartbeatBody(session, 1, { intervals: [[0, 10]], position: 10 }));
    expect(first.status).toBe(200);
    expect(first.body.creditedSec).toBeCloseTo(10, 1);
    // The same connections again: the statements are already prepared on them and run by name.
    const replay = await http()
      .post('/api/heartbeats')
      .send(heartbeatBody(session, 1, { intervals: [[0, 10]], position: 10 }));
    expect(replay.body).toEqual(first.body);
    await age(10);
    const second = await http()
      .post('/api/heartbeats')
      .send(heartbeatBody(session, 2, { intervals: [[10, 20]], position: 20 }));
    expect(second.body).toMatchObject({ seq: 2, lectureCreditedSec: expect.any(Number) });
    expect(second.body.lectureCreditedSec).toBeCloseTo(20, 1);
    const [progress] = await direct.query(`SELECT credited_sec FROM lecture_progress WHERE lecture_id = $1`, [lectureId]);
    expect(progress.credited_sec).toBeCloseTo(20, 1);

    // The heartbeat path's own pool reached PostgreSQL through PgBouncer, not around it.
    const clients = await adminShow(bouncer, 'CLIENTS');
    expect(clients.filter((c) => c.database === db.name && c.application_name === 'lectern-heartbeats').length).toBeGreaterThan(0);
    const servers = await direct.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'lectern-heartbeats'`,
      [db.name],
    );
    expect(servers[0].n).toBeGreaterThan(0);
  });
});

describe('named prepared statements in transaction mode', () => {
  const [major, minor] = pgbouncerVersion();
  const tracksStatements = major * 100 + minor >= 121;

  it(
    tracksStatements
      ? 'work with max_prepared_statements (PgBouncer ≥ 1.21 here)'
      : `break without max_prepared_statements (PgBouncer ${major}.${minor} here, which lacks it: the manifests need ≥ 1.21)`,
    async () => {
      // One server connection shared by two clients: each prepares the same statement name on it.
      const bouncer = await startPgBouncer('transaction', {
        default_pool_size: '1',
        ...(tracksStatements ? { max_prepared_statements: '100' } : {}),
      });
      const a = new pg.Client({ connectionString: bouncer.url('postgres') });
      const b = new pg.Client({ connectionString: bouncer.url('postgres') });
      try {
        await a.connect();
        await b.connect();
        const statement = { name: 'heartbeat-load-sessions', text: 'SELECT $1::int + 1 AS n', values: [1] };
        expect((await a.query(statement)).rows).toEqual([{ n: 2 }]);
        const second = b.query(statement);
        if (tracksStatements) await expect(second).resolves.toMatchObject({ rows: [{ n: 2 }] });
        else await expect(second).rejects.toMatchObject({ code: '42P05' });
      } finally {
        await a.end().catch(() => undefined);
        await b.end().catch(() => undefined);
        await bouncer.stop();
      }
    },
  );
});
