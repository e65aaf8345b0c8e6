import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, waitUntil } from '../support/ports.js';
import { startStack, type Stack } from '../support/stack.js';
import { TcpProxy } from '../support/tcp-proxy.js';

// Each HTTP service reaches PostgreSQL and Redis through a relay the test can cut, like a server going down.
let stack: Stack;
let postgres: TcpProxy;
let redis: TcpProxy;

beforeAll(async () => {
  postgres = new TcpProxy(await freePort(), 5432);
  redis = new TcpProxy(await freePort(), 6379);
  await Promise.all([postgres.start(), redis.start()]);
  stack = await startStack({
    services: ['catalog', 'upload'],
    envFor: (_service, env) => {
      const database = new URL(env.DATABASE_URL);
      database.port = String(postgres.listenPort);
      return { DATABASE_URL: database.toString(), REDIS_URL: `redis://127.0.0.1:${redis.listenPort}` };
    },
  }).catch(async (error) => {
    await Promise.all([postgres.cut(), redis.cut()]);
    throw error;
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all([postgres?.cut(), redis?.cut()]);
});

const health = async (url: string) => {
  const answer = await fetch(`${url}/health`);
  return { status: answer.status, body: (await answer.json()) as { postgres: string; redis: string; status: string } };
};

describe.each(['catalog', 'upload'] as const)('%s /health', (service) => {
  const url = () => (service === 'catalog' ? stack.catalogUrl : stack.uploadUrl);

  it('is ok with both dependencies up', async () => {
    expect(await health(url())).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', postgres: 'up', redis: 'up' }) });
  });

  it('names PostgreSQL when it goes away, and recovers by itself when it returns', async () => {
    await postgres.cut();
    await waitUntil(async () => (await health(url())).body.postgres === 'down', 15_000, 'postgres reported down');
    const down = await health(url());
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', postgres: 'down', redis: 'up' });
    await postgres.start();
    await waitUntil(async () => (await health(url())).status === 200, 20_000, 'postgres recovery');
  }, 60_000);

  it('names Redis when it goes away, and recovers by itself when it returns', async () => {
    await redis.cut();
    await waitUntil(async () => (await health(url())).body.redis === 'down', 15_000, 'redis reported down');
    const down = await health(url());
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', postgres: 'up', redis: 'down' });
    await redis.start();
    await waitUntil(async () => (await health(url())).status === 200, 20_000, 'redis recovery');
  }, 60_000);
});
