// Drops this jest run's template database (see global-setup.mjs).
import pg from 'pg';

const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export default async function globalTeardown() {
  const template = process.env.LECTERN_TEST_TEMPLATE;
  if (!template) return;
  const maintenance = new URL(server);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
