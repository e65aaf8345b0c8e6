import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES, type MediaEvent } from '#contracts';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { waitUntil } from '../../../test/support/ports.js';

let catalog: CatalogHarness;
let connection: Redis;
let queue: Queue<MediaEvent>;

beforeAll(async () => {
  catalog = await startCatalog();
  connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queue = new Queue<MediaEvent>(QUEUES.mediaEvents, { connection, prefix: catalog.env.QUEUE_PREFIX });
}, 60_000);
afterAll(async () => {
  await queue.close();
  connection.disconnect();
  await catalog.close();
});

const mediaRow = async (assetId: string) =>
  (await catalog.dataSource.query(`SELECT * FROM lecture_media WHERE asset_id = $1`, [assetId]))[0];
const outputs = {
  prefix: 'media/x/v1',
  master: 'master.m3u8',
  audioOnly: null,
  download: null,
  poster: null,
  thumbnails: [],
  renditions: [],
};

describe('media-events consumer', () => {
  it('records ready media from the durable queue, and a duplicate delivery changes nothing', async () => {
    const assetId = randomUUID();
    const event: MediaEvent = { type: 'asset.ready', assetId, kind: 'video', durationSec: 42.5, outputs };
    await queue.add(JOBS.assetReady, event);
    await waitUntil(async () => (await mediaRow(assetId))?.status === 'ready', 10_000, 'ready row');
    await queue.add(JOBS.assetReady, event);
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed >= 2, 10_000, 'second delivery');
    expect(await catalog.dataSource.query(`SELECT count(*)::int AS n FROM lecture_media WHERE asset_id = $1`, [assetId])).toEqual([
      { n: 1 },
    ]);
    expect(await mediaRow(assetId)).toMatchObject({ status: 'ready', kind: 'video', duration_sec: 42.5, outputs });
  });

  it('records a failure with its reason, but never lets a late failure hide ready media', async () => {
    const failed = randomUUID();
    await queue.add(JOBS.assetFailed, {
      type: 'asset.failed',
      assetId: failed,
      code: 'unreadable',
      reason: 'We could not read this file.',
    });
    await waitUntil(async () => (await mediaRow(failed))?.status === 'failed', 10_000, 'failed row');
    expect(await mediaRow(failed)).toMatchObject({ failure_code: 'unreadable', failure_reason: 'We could not read this file.' });

    const ready = randomUUID();
    await queue.add(JOBS.assetReady, { type: 'asset.ready', assetId: ready, kind: 'audio', durationSec: 10, outputs });
    await waitUntil(async () => (await mediaRow(ready))?.status === 'ready', 10_000, 'ready row');
    await queue.add(JOBS.assetFailed, { type: 'asset.failed', assetId: ready, code: 'late', reason: 'late' });
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed >= 5, 10_000, 'late failure applied');
    expect((await mediaRow(ready)).status).toBe('ready');
  });
});
