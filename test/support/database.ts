import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '#database';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
/** Set by the global set-up: each jest run clones from a template of its own. */
export const TEMPLATE_DATABASE = process.env.LECTERN_TEST_TEMPLATE ?? 'lectern_test_template';

export function databaseUrl(name: string): string {
  return `${TEST_SERVER_URL}/${name}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template in milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lectern_test_${randomBytes(5).toString('hex')}`;
  const url = databaseUrl(name);
  await ensureDatabase(url, TEMPLATE_DATABASE);
  return { url, name, drop: () => dropDatabase(url) };
}
