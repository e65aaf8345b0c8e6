import { afterEach, describe, expect, it } from '@jest/globals';
import { ERRORS } from '@tus/server';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { waitUntil } from '../../../test/support/ports.js';
import { RedisLocker } from '../src/tus/redis-locker.js';

// Each locker stands for one upload replica: its own connections, the same Redis and prefix.
const connections: Redis[] = [];
const prefix = `lectern-test-${randomBytes(4).toString('hex')}`;
const connect = () => {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  connections.push(redis);
  return redis;
};
async function replica(options: { leaseMs?: number; acquireTimeoutMs?: number } = {}): Promise<RedisLocker> {
  const locker = new RedisLocker({ redis: connect(), subscriber: connect(), prefix, ...options });
  await locker.whenReady();
  return locker;
}
const never = () => new AbortController().signal;

afterEach(() => {
  for (const redis of connections.splice(0)) redis.disconnect();
});

describe('RedisLocker', () => {
  it('keeps a second replica out until the holder, asked through Redis, lets go', async () => {
    const [a, b] = [await replica(), await replica()];
    const events: string[] = [];
    const held = a.newLock('u1');
    await held.lock(never(), async () => {
      events.push('A asked to let go');
      await held.unlock();
      events.push('A let go');
    });
    await b.newLock('u1').lock(never(), () => undefined);
    events.push('B holds it');
    expect(events).toEqual(['A asked to let go', 'A let go', 'B holds it']);
  });

  it('takes over the lock of a replica that died holding it once its lease runs out', async () => {
    const b = await replica({ leaseMs: 1000 });
    // What a killed replica leaves: the key with its lease, and nobody to renew or release it.
    await connect().set(b.key('u2'), 'dead-replica', 'PX', 1000);
    await b.newLock('u2').lock(never(), () => undefined);
    expect(await connect().get(b.key('u2'))).not.toBe('dead-replica');
  });

  it('renews a live holder past its lease, and releases only its own lock', async () => {
    const a = await replica({ leaseMs: 3000, acquireTimeoutMs: 4500 });
    const lock = a.newLock('u3');
    await lock.lock(never(), () => undefined);
    const token = await connect().get(a.key('u3'));
    // A holder that does not answer release requests keeps its lock for as long as it lives.
    await expect(a.newLock('u3').lock(never(), () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    expect(await connect().get(a.key('u3'))).toBe(token);

    // Another holder's key is not deleted by a stale unlock.
    await connect().set(a.key('u3'), 'someone-else', 'PX', 5000);
    await lock.unlock();
    expect(await connect().get(a.key('u3'))).toBe('someone-else');
    expect(a.held.size).toBe(0);
  });

  it('gives up at once when the request is aborted', async () => {
    const a = await replica();
    await a.newLock('u4').lock(never(), () => undefined);
    const abort = new AbortController();
    const waiting = a.newLock('u4').lock(abort.signal, () => undefined);
    abort.abort();
    await expect(waiting).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
  });

  it('asks the holder to stop when its lease was lost', async () => {
    const a = await replica({ leaseMs: 1000 });
    let asked = false;
    await a.newLock('u5').lock(never(), () => {
      asked = true;
    });
    await connect().del(a.key('u5'));
    await waitUntil(async () => asked, 10_000, 'the holder asked to stop');
  });
});
