import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

export interface RedisLockerOptions {
  /** Commands (SET, EVAL, PUBLISH). */
  redis: Redis;
  /** A connection of its own: once subscribed, a Redis connection takes no other commands. */
  subscriber: Redis;
  /** Namespaces the keys and the channel (the deployment's queue prefix). */
  prefix: string;
  /** How long a lock outlives a holder that stopped renewing it (a killed process); renewed every third of it. */
  leaseMs?: number;
  /** How long a request waits for a lock before tus answers 500 (it must be longer than the lease). */
  acquireTimeoutMs?: number;
  /** How often a waiting request tries again. */
  retryMs?: number;
}

// Only the holder's token may extend or delete the key: a holder whose lease ran out must not free another's lock.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

interface Held {
  token: string;
  requestRelease: RequestRelease;
  renewal: NodeJS.Timeout;
}

/**
 * tus's Locker across upload replicas: a lock is a Redis key set with NX and a lease (PX) that the holder
 * renews while its request runs, so a lock of a killed replica frees itself when the lease runs out.
 * A request that finds an upload locked asks the holder, wherever it runs, to let go (tus's "request
 * release": the holder ends its PATCH after saving what it received) through a pub/sub channel.
 */
export class RedisLocker implements Locker {
  readonly leaseMs: number;
  readonly acquireTimeoutMs: number;
  readonly retryMs: number;
  readonly channel: string;
  /** Locks this process holds, by upload id. */
  readonly held = new Map<string, Held>();
  private readonly ready: Promise<unknown>;

  constructor(private readonly options: RedisLockerOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? this.leaseMs * 2;
    this.retryMs = options.retryMs ?? 100;
    if (this.acquireTimeoutMs <= this.leaseMs)
      throw new Error('acquireTimeoutMs must be longer than leaseMs, or an abandoned lock could never be taken over');
    this.channel = `${options.prefix}:tus-lock:release`;
    options.subscriber.on('message', (channel: string, id: string) => {
      if (channel === this.channel) void this.held.get(id)?.requestRelease();
    });
    this.ready = options.subscriber.subscribe(this.channel);
    // Until the subscription stands, a waiting request elsewhere could not reach this replica's holders.
    this.ready.catch(() => undefined);
  }

  key(id: string): string {
    return `${this.options.prefix}:tus-lock:${id}`;
  }

  newLock(id: string): Lock {
    return new RedisLock(this, this.options.redis, id);
  }

  /** Subscribed: holders here can be asked to let go. */
  whenReady(): Promise<unknown> {
    return this.ready;
  }
}

class RedisLock implements Lock {
  private token: string | null = null;

  constructor(
    private readonly locker: RedisLocker,
    private readonly redis: Redis,
    private readonly id: string,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const key = this.locker.key(this.id);
    const token = randomUUID();
    const deadline = Date.now() + this.locker.acquireTimeoutMs;
    let asked = 0;
    while (!signal.aborted && Date.now() < deadline) {
      if ((await this.redis.set(key, token, 'PX', this.locker.leaseMs, 'NX')) === 'OK') {
        this.token = token;
        this.hold(key, token, requestRelease);
        return;
      }
      // Ask the holder to finish up, again every second in case the first message came before it held the lock.
      if (Date.now() - asked >= 1000) {
        asked = Date.now();
        await this.redis.publish(this.locker.channel, this.id);
      }
      await new Promise((resolve) => setTimeout(resolve, this.locker.retryMs));
    }
    throw ERRORS.ERR_LOCK_TIMEOUT;
  }

  async unlock(): Promise<void> {
    if (!this.token) throw new Error('Releasing an unlocked lock!');
    const held = this.locker.held.get(this.id);
    if (held?.token === this.token) {
      clearInterval(held.renewal);
      this.locker.held.delete(this.id);
    }
    const token = this.token;
    this.token = null;
    await this.redis.eval(RELEASE, 1, this.locker.key(this.id), token);
  }

  private hold(key: string, token: string, requestRelease: RequestRelease): void {
    const renewal = setInterval(
      () => {
        this.redis.eval(RENEW, 1, key, token, this.locker.leaseMs).then(
          (renewed) => {
            // The lease ran out (this process stalled) and may be someone else's now: stop writing.
            if (renewed === 0) void requestRelease();
          },
          // Redis unreachable: the lease will run out, so the request stops as if it had been asked to.
          () => void requestRelease(),
        );
      },
      Math.max(50, Math.floor(this.locker.leaseMs / 3)),
    );
    renewal.unref();
    this.locker.held.set(this.id, { token, requestRelease, renewal });
  }
}
