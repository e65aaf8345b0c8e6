// npm start: set everything up on this machine, then run the whole platform at one URL.
import { join } from 'node:path';
import { ROOT, SetupError, prepareDatabase, setUp } from './setup-steps.mjs';
import { publishDemoCourse } from './demo-course.mjs';
import { supervise } from './supervisor.mjs';

const DEMO_PASSWORD = 'lectern-demo';

async function waitForGateway(port) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // still starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  const { databaseUrl, redisUrl, secret } = await setUp();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: secret,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
  };
  prepareDatabase(env);

  const webPort = Number(process.env.WEB_PORT ?? 8080);
  const entry = (app) => [join(ROOT, `dist/apps/${app}/src/main.js`)];
  supervise(
    ['catalog', 'upload', 'transcoder', 'web'].map((name) => ({ name, args: entry(name), env: { ...env, LECTERN_PROCESS: name } })),
    { onAllStopped: () => process.exit(0) },
  );
  console.log(`\n  Lectern is starting. Open \x1b[1mhttp://localhost:${webPort}\x1b[0m  (Ctrl-C stops everything)\n`);
  await waitForGateway(webPort);
  publishDemoCourse(`http://127.0.0.1:${webPort}`, DEMO_PASSWORD, (line) => console.log(`\x1b[1mdemo\x1b[0m ${line}`)).catch((error) =>
    console.error(`demo course not published: ${error.message}`),
  );
}

main().catch((error) => {
  console.error(`\n\x1b[31mLectern could not start.\x1b[0m ${error instanceof SetupError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
});
