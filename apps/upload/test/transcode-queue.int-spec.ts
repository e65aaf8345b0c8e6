import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type TranscodeJob } from '#contracts';
import { createRedis } from '#platform';
import { TranscodeQueue } from '../src/assets/transcode-queue.js';
import { freePort, waitUntil } from '../../../test/support/ports.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';

/** The reconnect backoff cap of `createRedis`: an outage longer than this has ended every quick retry. */
const BACKOFF_CAP_MS = 2000;
const DEADLINE_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jobFor = (): TranscodeJob => ({ assetId: randomUUID(), sourceKey: 'sources/x/original.mp4', kind: 'video', durationSec: 4 });

let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A producer on its own Redis client that reaches Redis through a relay the test can cut. */
async function relayedRedis(): Promise<{ relay: TcpProxy; connection: Redis; prefix: string }> {
  const relay = new TcpProxy(await freePort(), 6379);
  await relay.start();
  const connection = createRedis(`redis://127.0.0.1:${relay.listenPort}`);
  connection.on('error', () => undefined);
  cleanup.push(
    () => relay.cut(),
    () => connection.disconnect(),
  );
  await once(connection, 'ready');
  return { relay, connection, prefix: `lectern-test-${randomBytes(4).toString('hex')}` };
}

async function waitingJobIds(prefix: string): Promise<string[]> {
  const connection = new Redis('redis://127.0.0.1:6379');
  const queue = new Queue(QUEUES.transcode, { connection, prefix });
  try {
    return (await queue.getJobs(['waiting'])).map((job) => job.id!);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}

/** Retries the enqueue as the reconciler would; answers how long after `since` the first one succeeded. */
async function enqueueUntilAccepted(queue: TranscodeQueue, job: TranscodeJob, since: number, withinMs: number): Promise<number> {
  let last = '';
  await waitUntil(
    () =>
      queue.enqueue(job, DEADLINE_MS).then(
        () => true,
        (error: Error) => ((last = error.message), false),
      ),
    withinMs,
    () => `the job to be accepted (last error: ${last || 'none'})`,
  );
  return Date.now() - since;
}

describe('the transcode producer across a Redis outage', () => {
  it('accepts jobs soon after Redis returns when the connection dropped while the queue was starting', async () => {
    const { relay, connection, prefix } = await relayedRedis();
    // The queue starts on a ready client and asks Redis for its version; the relay is cut before the answer.
    const queue = new TranscodeQueue(connection, prefix);
    cleanup.push(() => queue.onModuleDestroy());
    void relay.cut();

    await sleep(BACKOFF_CAP_MS + 1500);
    const job = jobFor();
    await expect(queue.enqueue(job, DEADLINE_MS)).rejects.toThrow();

    await relay.start();
    const tookMs = await enqueueUntilAccepted(queue, job, Date.now(), 20_000);
    // Back within one reconnect (at most the backoff cap) plus one enqueue deadline.
    expect(tookMs).toBeLessThan(BACKOFF_CAP_MS + DEADLINE_MS + 1000);
    expect(await waitingJobIds(prefix)).toEqual([job.assetId]);
  }, 40_000);

  it('accepts jobs soon after an outage longer than the reconnect backoff cap', async () => {
    const { relay, connection, prefix } = await relayedRedis();
    const queue = new TranscodeQueue(connection, prefix);
    cleanup.push(() => queue.onModuleDestroy());
    const before = jobFor();
    await queue.enqueue(before, DEADLINE_MS);

    await relay.cut();
    const job = jobFor();
    const outageEnds = Date.now() + 3 * BACKOFF_CAP_MS;
    while (Date.now() < outageEnds) {
      await expect(queue.enqueue(job, DEADLINE_MS)).rejects.toThrow();
      await sleep(500);
    }

    await relay.start();
    const tookMs = await enqueueUntilAccepted(queue, job, Date.now(), 20_000);
    expect(tookMs).toBeLessThan(BACKOFF_CAP_MS + DEADLINE_MS + 1000);
    expect((await waitingJobIds(prefix)).sort()).toEqual([before.assetId, job.assetId].sort());
  }, 40_000);
});
