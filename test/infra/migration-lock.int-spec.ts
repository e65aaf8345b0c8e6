import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATION_LOCK, dropDatabase, ensureDatabase } from '#database';
import { migrations } from '../../libs/database/src/migrations/index.js';
import { databaseUrl } from '../support/database.js';
import { waitUntil } from '../support/ports.js';
import { ROOT } from '../support/stack.js';

// The deploy's migration job runs `prepare-database`; a second copy of it (a retried job, two releases
// at once) must wait for the first rather than apply the same migrations beside it.

interface Run {
  exited: Promise<{ code: number | null; output: string }>;
}

function cli(command: string, url: string): Run {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/catalog/src/cli.js'), command], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { exited: new Promise((resolve) => child.on('close', (code) => resolve({ code, output }))) };
}
const prepareDatabase = (url: string) => cli('prepare-database', url);

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const appliedNames = (url: string) =>
  query<{ name: string }>(url, 'SELECT name FROM schema_migrations ORDER BY id').then((rows) => rows.map((r) => r.name));

let url: string;
afterEach(async () => {
  await dropDatabase(url);
});

describe('prepare-database holds the migration lock', () => {
  it('waits while another run holds the lock, then migrates once it is released', async () => {
    url = databaseUrl(`lectern_test_lock_${randomBytes(4).toString('hex')}`);
    await ensureDatabase(url);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    let run: Run | undefined;
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
      run = prepareDatabase(url);
      const waiting = () =>
        query<{ n: number }>(
          url,
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND NOT l.granted
              AND a.application_name = 'lectern-migrations'`,
          [...MIGRATION_LOCK],
        );
      await waitUntil(async () => (await waiting())[0]!.n === 1, 30_000, 'prepare-database to wait for the migration lock');
      // While it waits, nothing has been applied.
      const tables = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'schema_migrations'`);
      expect(tables[0]!.n).toBe(0);
    } finally {
      await holder.end();
    }
    const { code, output } = await run!.exited;
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('Applied migrations');
    expect(await appliedNames(url)).toHaveLength(migrations.length);
  });

  it('lets two runs on a new database both succeed, applying each migration once', async () => {
    url = databaseUrl(`lectern_test_lock_${randomBytes(4).toString('hex')}`);
    const results = await Promise.all([prepareDatabase(url).exited, prepareDatabase(url).exited]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const outputs = results.map((r) => r.output);
    expect(outputs.filter((o) => o.includes('Applied migrations'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('Database schema is up to date'))).toHaveLength(1);
    const names = await appliedNames(url);
    expect(names).toHaveLength(migrations.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('check-migrations fails while migrations are missing and passes once they are applied', async () => {
    url = databaseUrl(`lectern_test_lock_${randomBytes(4).toString('hex')}`);
    await ensureDatabase(url);
    const before = await cli('check-migrations', url).exited;
    expect(before.code).toBe(3);
    expect(before.output).toContain(migrations[0]!.name);
    // Only read: the check leaves no migrations table behind for the job to race with.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations'`)).toEqual([]);
    expect((await prepareDatabase(url).exited).code).toBe(0);
    const after = await cli('check-migrations', url).exited;
    expect(after).toEqual({ code: 0, output: 'Database schema is up to date\n' });
  });
});
