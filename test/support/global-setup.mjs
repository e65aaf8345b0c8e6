// Builds the migrated template database that every test database is cloned from.
// Jest loads global set-up outside its ESM pipeline, so this runs the compiled CLI (npm test builds it first).
// Each jest run has a template of its own (its name passes to the workers in the environment), so two
// runs on one machine never drop or clone each other's template.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist/apps/catalog/src/cli.js');
const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export default function globalSetup() {
  if (!existsSync(cli)) throw new Error('The services are not built: run "npm run build:server" first (npm test does this for you).');
  const template = `lectern_test_template_${process.pid}`;
  const result = spawnSync(process.execPath, [cli, 'prepare-database', '--fresh'], {
    env: { ...process.env, DATABASE_URL: `${server}/${template}` },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Could not prepare the test template database:\n${result.stderr}${result.stdout}`);
  process.env.LECTERN_TEST_TEMPLATE = template;
}
