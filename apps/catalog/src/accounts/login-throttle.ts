import { Inject, Injectable, Logger, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CatalogEnv } from '#config';
import { REDIS } from '#platform';
import { MAX_LOCK_SECONDS, addressBucket, lockSeconds, type ThrottleLimits } from './login-throttle-policy.js';

export const LOGIN_THROTTLE_OPTIONS = Symbol('LOGIN_THROTTLE_OPTIONS');

export interface LoginThrottleOptions extends ThrottleLimits {
  /** Redis key prefix, one per installation (QUEUE_PREFIX), so test runs and installations never share counts. */
  keyPrefix: string;
}

/** Refused because a login name or a client address failed too often; retry after this many seconds. */
export class LoginLockedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('login locked');
  }
}

/**
 * Counts one failure at time `now` (ms). Failures count within a window from the first; when the count
 * reaches the limit it starts over, the lock-out level rises (remembered a day past the last lock-out) and
 * the lock holds until now + that level's duration. Returns the lock's seconds, or 0. Times come from the
 * caller's clock, so every process decides alike and tests can move time; TTLs only clean up.
 * KEYS: failures, level, lock. ARGV: now, limit, window ms, level memory ms, then each level's lock seconds.
 */
const RECORD_FAILURE = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local memory = tonumber(ARGV[4])
local since = tonumber(redis.call('HGET', KEYS[1], 'since'))
local failures = 1
if since and now - since < window and now >= since then
  failures = redis.call('HINCRBY', KEYS[1], 'count', 1)
else
  redis.call('HSET', KEYS[1], 'count', 1, 'since', now)
end
redis.call('PEXPIRE', KEYS[1], window)
if failures < limit then return 0 end
redis.call('DEL', KEYS[1])
local level = 1
local last = tonumber(redis.call('HGET', KEYS[2], 'at'))
if last and now - last < memory and now >= last then level = tonumber(redis.call('HGET', KEYS[2], 'level')) + 1 end
local seconds = tonumber(ARGV[4 + math.min(level, #ARGV - 4)])
redis.call('HSET', KEYS[2], 'level', level, 'at', now)
redis.call('PEXPIRE', KEYS[2], memory + seconds * 1000)
redis.call('SET', KEYS[3], now + seconds * 1000, 'PX', seconds * 1000)
return seconds`;

/**
 * Failed-login throttling shared by every catalog process through Redis: a login name is locked after
 * `maxFailuresPerLogin` failures within the window, a client address after `maxFailuresPerAddress`;
 * each further lock-out of the same name or address within a day lasts twice as long (up to a day). While locked,
 * every attempt is refused, the right password too, so a lock-out is no oracle. A successful login
 * clears its name's count, not its address's.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly durations: string[];
  /** The clock every decision is made by (ms); tests move it instead of waiting. */
  now: () => number = Date.now;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGIN_THROTTLE_OPTIONS) private readonly options: LoginThrottleOptions,
  ) {
    const durations: number[] = [];
    for (let level = 1; durations.at(-1) !== lockSeconds(options.windowSeconds, level); level++) {
      durations.push(lockSeconds(options.windowSeconds, level));
    }
    this.durations = durations.map(String);
  }

  private keys(kind: 'login' | 'address', value: string) {
    const base = `${this.options.keyPrefix}:login-throttle:${kind}:${encodeURIComponent(value)}`;
    return { failures: `${base}:failures`, level: `${base}:level`, lock: `${base}:lock` };
  }

  /** Throws LoginLockedError while the name or the address is locked. Redis being down lets logins through. */
  async assertOpen(login: string, address: string | undefined): Promise<void> {
    let until: (string | null)[];
    try {
      until = await this.redis.mget(this.keys('login', login).lock, this.keys('address', addressBucket(address)).lock);
    } catch (error) {
      this.logger.warn(`login throttling unavailable, letting the attempt through: ${(error as Error).message}`);
      return;
    }
    const remaining = Math.max(0, ...until.map((value) => Number(value ?? 0) - this.now()));
    if (remaining > 0) throw new LoginLockedError(Math.ceil(remaining / 1000));
  }

  /** Counts a wrong name or password; throws LoginLockedError, with the whole lock-out, when this failure reaches a limit. */
  async recordFailure(login: string, address: string | undefined): Promise<void> {
    const { maxFailuresPerLogin, maxFailuresPerAddress, windowSeconds } = this.options;
    const now = String(this.now());
    const record = (keys: ReturnType<LoginThrottle['keys']>, limit: number) =>
      this.redis.eval(
        RECORD_FAILURE,
        3,
        keys.failures,
        keys.level,
        keys.lock,
        now,
        String(limit),
        String(windowSeconds * 1000),
        String(MAX_LOCK_SECONDS * 1000),
        ...this.durations,
      ) as Promise<number>;
    let locked: number[];
    try {
      locked = await Promise.all([
        record(this.keys('login', login), maxFailuresPerLogin),
        record(this.keys('address', addressBucket(address)), maxFailuresPerAddress),
      ]);
    } catch (error) {
      this.logger.warn(`login throttling unavailable, failure not counted: ${(error as Error).message}`);
      return;
    }
    const longest = Math.max(...locked.map(Number));
    if (longest > 0) throw new LoginLockedError(longest);
  }

  /** A successful login starts its name's count and lock-out level afresh. */
  async recordSuccess(login: string): Promise<void> {
    const keys = this.keys('login', login);
    await this.redis.del(keys.failures, keys.level).catch(() => undefined);
  }
}

export const loginThrottleProviders = (env: CatalogEnv): Provider[] => [
  LoginThrottle,
  {
    provide: LOGIN_THROTTLE_OPTIONS,
    useValue: {
      keyPrefix: env.QUEUE_PREFIX,
      maxFailuresPerLogin: env.LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
    } satisfies LoginThrottleOptions,
  },
];
