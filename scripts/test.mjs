// npm test: the same set-up as npm start, then every suite; ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SetupError, setUp, step } from './setup-steps.mjs';

const JEST = join(ROOT, 'node_modules/jest/bin/jest.js');

function runJest(label, projects, extra, env) {
  step(`Running the ${label} tests`);
  const report = join(ROOT, 'var', `jest-${label.replace(/\W+/g, '-')}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      JEST,
      '--selectProjects',
      ...projects,
      '--json',
      '--outputFile',
      report,
      ...extra,
      ...process.argv.slice(2),
    ],
    { cwd: ROOT, stdio: 'inherit', env },
  );
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    return { passed: json.numPassedTests, failed: json.numFailedTests + json.numRuntimeErrorTestSuites, status: result.status };
  } catch {
    return { passed: 0, failed: 1, status: result.status ?? 1 };
  }
}

/** Test databases live on the configured server, never in the configured database. */
function databaseServer(databaseUrl) {
  const server = new URL(databaseUrl);
  server.pathname = '';
  return server.toString();
}

async function main() {
  const { databaseUrl, redisUrl, secret } = await setUp({ chromium: true, edge: true });
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const env = {
    ...process.env,
    REDIS_URL: redisUrl,
    JWT_SECRET: secret,
    TEST_DATABASE_SERVER: databaseServer(databaseUrl),
  };
  delete env.DATABASE_URL;
  const runs = [
    runJest('unit and integration', ['unit', 'integration'], ['--maxWorkers=2'], env),
    // Two files at a time: each starts a stack of its own (ports, database, queue prefix, storage), and
    // most of a browser test's time is spent waiting on its pages, not computing.
    runJest('end-to-end and browser', ['e2e', 'browser'], ['--maxWorkers=2'], env),
  ];
  const passed = runs.reduce((sum, r) => sum + r.passed, 0);
  const failed = runs.reduce((sum, r) => sum + r.failed, 0);
  const ok = failed === 0 && runs.every((r) => r.status === 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(`\nTests could not run. ${error instanceof SetupError ? error.message : (error?.stack ?? error)}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
