import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '#database';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
/** Set by the global set-up: each jest run clones from templates of its own, the schema alone… */
export const TEMPLATE_DATABASE = process.env.LECTERN_TEST_TEMPLATE ?? 'lectern_test_template';
/** …and the schema with the demo organisation seeded. */
export const DEMO_TEMPLATE_DATABASE = process.env.LECTERN_TEST_DEMO_TEMPLATE ?? `${TEMPLATE_DATABASE}_demo`;

export function databaseUrl(name: string): string {
  return `${TEST_SERVER_URL}/${name}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the migrated template in milliseconds; with `demo`, the
 * demo organisation (its units, people, positions and classes, as `npm start` seeds them) is already in it.
 */
export async function createTestDatabase({ demo = false }: { demo?: boolean } = {}): Promise<TestDatabase> {
  const name = `lectern_test_${randomBytes(5).toString('hex')}`;
  const url = databaseUrl(name);
  await ensureDatabase(url, demo ? DEMO_TEMPLATE_DATABASE : TEMPLATE_DATABASE);
  return { url, name, drop: () => dropDatabase(url) };
}
