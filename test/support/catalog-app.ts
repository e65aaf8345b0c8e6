import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { catalogEnvSchema, loadEnv, type CatalogEnv } from '#config';
import { createLogger } from '#logging';
import { createCatalogApp } from '../../apps/catalog/src/catalog.app.js';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_JWT_SECRET } from './secrets.js';

export { TEST_JWT_SECRET };

export interface CatalogHarness {
  app: INestApplication;
  db: TestDatabase;
  env: CatalogEnv;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  tokenFor(login: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real catalog app on its own fresh database seeded with the demo organisation. */
export async function startCatalog(overrides: Record<string, string> = {}): Promise<CatalogHarness> {
  const db = await createTestDatabase({ demo: true });
  const env = loadEnv(catalogEnvSchema, {
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_CATALOG_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: `lectern-test-${randomBytes(4).toString('hex')}`,
    STORAGE_DIR: join(tmpdir(), `lectern-catalog-${randomBytes(4).toString('hex')}`),
    ...overrides,
  });
  const app = await createCatalogApp(env, createLogger('catalog', env.LOG_LEVEL));
  await app.init();
  const dataSource = app.get(DataSource);
  const server = app.getHttpServer();
  const tokens = new Map<string, string>();
  return {
    app,
    db,
    env,
    dataSource,
    http: () => request(server),
    async tokenFor(login, password = DEMO_PASSWORD) {
      const cached = tokens.get(login);
      if (cached) return cached;
      const answer = await request(server).post('/api/auth/login').send({ login, password });
      if (answer.status !== 200) throw new Error(`login ${login} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      tokens.set(login, answer.body.accessToken);
      return answer.body.accessToken as string;
    },
    async close() {
      await app.close();
      await db.drop();
      rmSync(env.STORAGE_DIR, { recursive: true, force: true });
    },
  };
}
