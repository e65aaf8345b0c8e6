import pg from 'pg';
import { createDataSource } from './data-source.js';
import { migrations } from './migrations/index.js';

/** The database name in a postgres:// URL, and the same URL pointed at the maintenance database. */
export function splitDatabaseUrl(url: string): { database: string; maintenanceUrl: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[a-z0-9_]{1,63}$/i.test(database)) {
    throw new Error(`Database name "${database}" must be 1-63 letters, digits or underscores`);
  }
  parsed.pathname = '/postgres';
  return { database, maintenanceUrl: parsed.toString() };
}

async function withMaintenance<T>(url: string, run: (client: pg.Client, database: string) => Promise<T>): Promise<T> {
  const { database, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    return await run(client, database);
  } finally {
    await client.end();
  }
}

/** Creates the database (optionally as a copy of a template) unless it exists; true when it was created. */
export function ensureDatabase(url: string, template?: string): Promise<boolean> {
  return withMaintenance(url, async (client, database) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    const from = template ? ` TEMPLATE "${splitDatabaseUrl(`postgres://x/${template}`).database}"` : '';
    try {
      await client.query(`CREATE DATABASE "${database}"${from}`);
    } catch (error) {
      // Another run created it between the look-up and here: duplicate_database, or the catalog's unique index.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return withMaintenance(url, async (client, database) => {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });
}

/**
 * Names of this build's migrations that the database has not applied (all of them before the first run).
 * Only reads: a new version's pods ask this while the migration job runs.
 */
export async function pendingMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'lectern-migrations-check' });
  await client.connect();
  try {
    const [{ present }] = (await client.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`)).rows;
    const applied = new Set(
      present ? (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name) : [],
    );
    return migrations
      .map((Migration) => new Migration())
      .map((m) => m.name ?? m.constructor.name)
      .filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

// Two int4 keys for the session advisory lock that migrations hold: "LECT" and "MIGR".
export const MIGRATION_LOCK = [0x4c454354, 0x4d494752] as const;

/**
 * Applies pending migrations; returns their names. Runs hold a session advisory lock on a connection of
 * their own, so two at once (a deploy's migration job and a second replica of it, two `npm start`s) take
 * turns: the second finds the schema up to date. PostgreSQL drops the lock when a run's connection ends,
 * so a killed run never leaves it behind. Session locks need a direct connection, never a pooler in
 * transaction mode.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url, application_name: 'lectern-migrations' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    const dataSource = createDataSource(url, [], 1);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}
