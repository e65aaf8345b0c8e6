// Builds the migrated template database that every test database is cloned from.
// Jest loads global set-up outside its ESM pipeline, so this runs the compiled CLI (npm test builds it first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist/apps/catalog/src/cli.js');
const server = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export default function globalSetup() {
  if (!existsSync(cli)) throw new Error('The services are not built: run "npm run build:server" first (npm test does this for you).');
  const result = spawnSync(process.execPath, [cli, 'prepare-database', '--fresh'], {
    env: { ...process.env, DATABASE_URL: `${server}/lectern_test_template` },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Could not prepare the test template database:\n${result.stderr}${result.stdout}`);
}
