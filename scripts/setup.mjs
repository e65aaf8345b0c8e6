// npm run setup: the set-up of npm start and npm test (packages, ffmpeg, Chromium, database,
// migrations, demo accounts), without starting anything.
import { SetupError, prepareDatabase, setUp } from './setup-steps.mjs';

async function main() {
  const { databaseUrl, redisUrl, secret } = await setUp({ chromium: true });
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, JWT_SECRET: secret };
  prepareDatabase(env);
  console.log('\nSet-up is complete: npm start runs the platform, npm test runs every suite.');
}

main().catch((error) => {
  console.error(`\nSet-up did not finish. ${error instanceof SetupError ? error.message : (error?.stack ?? error)}`);
  process.exit(1);
});
