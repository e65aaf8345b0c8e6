import { Redis, type RedisOptions } from 'ioredis';

/** A client that fails commands at once while Redis is down (health must answer) and keeps reconnecting. */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...options,
  });
}
