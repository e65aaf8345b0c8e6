import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { CatalogEnv } from '#config';
import { createHttpApp } from '#platform';
import { CatalogModule } from './catalog.module.js';

/** The catalog HTTP app exactly as production runs it; tests build it through here too. */
export async function createCatalogApp(env: CatalogEnv, logger: Logger): Promise<NestExpressApplication> {
  const app = await createHttpApp(CatalogModule.forRoot(env), {
    logger,
    title: 'Lectern catalog',
    description: 'Accounts, organisation tree, courses, playback, study hours and reports.',
  });
  // Member lists and cover images arrive as the file itself.
  app.useBodyParser('raw', { type: ['text/csv', 'application/csv', 'text/plain', 'image/jpeg', 'image/png', 'image/webp'], limit: '5mb' });
  return app;
}
