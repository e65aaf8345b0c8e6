import pg from 'pg';
import { createDataSource } from './data-source.js';

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
    await client.query(`CREATE DATABASE "${database}"${from}`);
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return withMaintenance(url, async (client, database) => {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });
}

/** Applies pending migrations; returns their names. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource(url, [], 1);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
