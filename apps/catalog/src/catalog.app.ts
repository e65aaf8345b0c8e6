import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { CatalogEnv } from '#config';
import { createHttpApp } from '#platform';
import { CatalogModule } from './catalog.module.js';

/** The catalog HTTP app exactly as production runs it; tests build it through here too. */
export async function createCatalogApp(env: CatalogEnv, logger: Logger): Promise<INestApplication> {
  const app = await createHttpApp(CatalogModule.forRoot(env), {
    logger,
    title: 'Lectern catalog',
    description: 'Accounts, organisation tree, courses, playback, study hours and reports.',
  });
  // Member lists arrive as the CSV file itself.
  (app as NestExpressApplication).useBodyParser('raw', { type: ['text/csv', 'application/csv', 'text/plain'], limit: '5mb' });
  return app;
}
