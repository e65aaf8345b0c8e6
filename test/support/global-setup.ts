import { dropDatabase, ensureDatabase, runMigrations } from '#database';
import { TEMPLATE_DATABASE, databaseUrl } from './database.js';

/** Builds the migrated template that every test database is cloned from. */
export default async function globalSetup(): Promise<void> {
  const url = databaseUrl(TEMPLATE_DATABASE);
  await dropDatabase(url);
  await ensureDatabase(url);
  await runMigrations(url);
}
