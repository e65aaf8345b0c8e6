import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createLogger } from '#logging';
import { createHttpApp } from './bootstrap.js';
import { HealthController, HealthService, PROCESS_NAME, REDIS } from './health.js';

/** Health endpoints over dependencies that answer or fail as each case says. */
async function withHealth(up: { postgres: boolean; redis: boolean }, run: (http: () => ReturnType<typeof request>) => Promise<void>) {
  const fail = () => Promise.reject(new Error('connection refused'));
  @Module({
    controllers: [HealthController],
    providers: [
      HealthService,
      { provide: PROCESS_NAME, useValue: 'catalog' },
      { provide: DataSource, useValue: { query: () => (up.postgres ? Promise.resolve([{ '?column?': 1 }]) : fail()) } },
      { provide: REDIS, useValue: { ping: () => (up.redis ? Promise.resolve('PONG') : fail()) } },
    ],
  })
  class HealthTestModule {}
  const app = await createHttpApp(HealthTestModule, { logger: createLogger('test', 'silent'), title: 'test', description: 'test' });
  await app.init();
  try {
    await run(() => request(app.getHttpServer()));
  } finally {
    await app.close();
  }
}

describe('readiness (/health) and liveness (/health/live)', () => {
  it.each([
    [{ postgres: true, redis: true }, 200],
    [{ postgres: false, redis: true }, 503],
    [{ postgres: true, redis: false }, 503],
    [{ postgres: false, redis: false }, 503],
  ])('with %j: /health answers %i and /health/live 200', async (up, readiness) => {
    await withHealth(up, async (http) => {
      const ready = await http().get('/health');
      expect(ready.status).toBe(readiness);
      expect(ready.body).toMatchObject({ postgres: up.postgres ? 'up' : 'down', redis: up.redis ? 'up' : 'down' });
      const live = await http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok', process: 'catalog' });
    });
  });
});
