import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { catalogEnvSchema, loadEnv } from '#config';
import { createLogger } from '#logging';
import { createCatalogApp } from '../../apps/catalog/src/catalog.app.js';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { seedDemo } from '../../apps/catalog/src/seed/seed-demo.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface CatalogHarness {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  tokenFor(login: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real catalog app on its own fresh database seeded with the demo organisation. */
export async function startCatalog(overrides: Record<string, string> = {}): Promise<CatalogHarness> {
  const db = await createTestDatabase();
  const env = loadEnv(catalogEnvSchema, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...overrides });
  const app = await createCatalogApp(env, createLogger('catalog', env.LOG_LEVEL));
  await app.init();
  const dataSource = app.get(DataSource);
  await seedDemo(dataSource);
  const server = app.getHttpServer();
  const tokens = new Map<string, string>();
  return {
    app,
    db,
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
    },
  };
}
