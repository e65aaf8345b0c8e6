import 'reflect-metadata';
import { commonEnvSchema, loadEnv } from '#config';
import { createDataSource, dropDatabase, ensureDatabase, pendingMigrations, runMigrations } from '#database';
import { DEMO_PASSWORD, DEMO_PEOPLE } from './seed/demo-organisation.js';
import { seedDemo } from './seed/seed-demo.js';

/** Set-up steps run by npm start / npm test: create the database, migrate, seed the demo organisation once. */
async function main(command: string | undefined): Promise<void> {
  const env = loadEnv(commonEnvSchema.pick({ DATABASE_URL: true }));
  switch (command) {
    case 'prepare-database': {
      // --fresh rebuilds from nothing: the test template must never carry a previous run's schema.
      if (process.argv.includes('--fresh')) await dropDatabase(env.DATABASE_URL);
      if (await ensureDatabase(env.DATABASE_URL)) console.log(`Created database ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
      const applied = await runMigrations(env.DATABASE_URL);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
      return;
    }
    case 'check-migrations': {
      // Exit 0 once the database has every migration this build knows: a new version's pods wait on it
      // (an init container) while the migration job applies them, so no pod runs against an older schema.
      const pending = await pendingMigrations(env.DATABASE_URL);
      if (pending.length) {
        console.log(`Migrations not applied yet: ${pending.join(', ')}`);
        process.exitCode = 3;
      } else console.log('Database schema is up to date');
      return;
    }
    case 'seed-demo': {
      const db = createDataSource(env.DATABASE_URL, [], 1);
      await db.initialize();
      try {
        if (await seedDemo(db)) {
          console.log(`Seeded the demo organisation. Every demo account uses the password "${DEMO_PASSWORD}":`);
          for (const login of ['member', 'editor', 'admin', 'east-admin', 'inspector']) {
            const person = DEMO_PEOPLE.find((p) => p.login === login)!;
            console.log(`  ${login.padEnd(12)} ${person.role.padEnd(9)} ${person.name} (${person.unit})`);
          }
          console.log('  member02 … member30 are further members.');
        }
      } finally {
        await db.destroy();
      }
      return;
    }
    default:
      throw new Error(`Unknown command "${command}". Use prepare-database, check-migrations or seed-demo.`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
