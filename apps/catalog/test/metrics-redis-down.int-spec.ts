import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { freePort, waitUntil } from '../../../test/support/ports.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';

let catalog: CatalogHarness;
let redis: TcpProxy;

const scrape = async () => {
  const answer = await catalog.http().get('/metrics');
  expect(answer.status).toBe(200);
  return answer.text;
};
const hasQueueDepth = (text: string) => /^lectern_queue_jobs\{/m.test(text);

beforeAll(async () => {
  redis = new TcpProxy(await freePort(), 6379);
  await redis.start();
  catalog = await startCatalog({ REDIS_URL: `redis://127.0.0.1:${redis.listenPort}` });
});

afterAll(async () => {
  await catalog?.close();
  await redis?.cut();
});

describe('metrics while Redis is away', () => {
  it('leave the queue depth out, keep everything else, and bring it back when Redis returns', async () => {
    await waitUntil(async () => hasQueueDepth(await scrape()), 30_000, 'queue depth with Redis up');
    await redis.cut();
    await waitUntil(async () => !hasQueueDepth(await scrape()), 30_000, 'queue depth left out with Redis down');
    const text = await scrape();
    expect(text).toContain('lectern_http_requests_total');
    expect(text).toContain('process_cpu_seconds_total');
    // The catalog itself is up and says which dependency is missing.
    expect((await catalog.http().get('/health')).status).toBe(503);

    await redis.start();
    await waitUntil(async () => hasQueueDepth(await scrape()), 60_000, 'queue depth back with Redis up');
  });
});
