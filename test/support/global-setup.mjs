// Builds the migrated template databases that every test database is cloned from: one with the schema
// only, and one with the demo organisation seeded on top, so a test file that wants the demo people
// clones them in milliseconds instead of seeding them (a process start and an argon2 hash) every time.
// Jest loads global set-up outside its ESM pipeline, so this runs the compiled CLI (npm test builds it first).
// Each jest run has templates of its own (their names pass to the workers in the environment), so two
// runs on one machine never drop or clone each other's templates.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist/apps/catalog/src/cli.js');
const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

function runCli(database, ...args) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, DATABASE_URL: `${server}/${database}` },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Could not prepare the test template database ${database}:\n${result.stderr}${result.stdout}`);
}

export default async function globalSetup() {
  if (!existsSync(cli)) throw new Error('The services are not built: run "npm run build:server" first (npm test does this for you).');
  const template = `lectern_test_template_${process.pid}`;
  const demoTemplate = `${template}_demo`;
  runCli(template, 'prepare-database', '--fresh');
  const maintenance = new URL(server);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${demoTemplate}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${demoTemplate}" TEMPLATE "${template}"`);
  } finally {
    await client.end();
  }
  runCli(demoTemplate, 'seed-demo');
  process.env.LECTERN_TEST_TEMPLATE = template;
  process.env.LECTERN_TEST_DEMO_TEMPLATE = demoTemplate;
}
