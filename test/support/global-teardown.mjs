// Drops this jest run's template databases (see global-setup.mjs).
import pg from 'pg';

const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export default async function globalTeardown() {
  const templates = [process.env.LECTERN_TEST_DEMO_TEMPLATE, process.env.LECTERN_TEST_TEMPLATE].filter(Boolean);
  if (templates.length === 0) return;
  const maintenance = new URL(server);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    for (const template of templates) await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
