import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, catalogEnvSchema, loadEnv } from '#config';
import { createLogger } from '#logging';
import { createHttpApp } from '#platform';
import { CatalogModule } from './catalog.module.js';

async function main(): Promise<void> {
  const env = loadEnv(catalogEnvSchema);
  const logger = createLogger('catalog', env.LOG_LEVEL);
  const app = await createHttpApp(CatalogModule.forRoot(env), {
    logger,
    title: 'Lectern catalog',
    description: 'Accounts, organisation tree, courses, playback, study hours and reports.',
  });
  (app as NestExpressApplication).useBodyParser('raw', { type: ['text/csv', 'application/csv', 'text/plain'], limit: '5mb' });
  await app.listen(env.CATALOG_PORT, '0.0.0.0');
  logger.info({ port: env.CATALOG_PORT }, 'catalog listening');
}

main().catch((error: unknown) => {
  // A bad configuration is a message for a person, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
