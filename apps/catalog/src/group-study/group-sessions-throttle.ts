import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '#platform';
import { GROUP_SESSION_OPTIONS, GroupSessionsClock, type GroupSessionOptions } from './group-sessions-options.js';

const MINUTE_MS = 60_000;

/**
 * Wrong check-in codes per member and minute, counted in Redis so every catalog process shares the count: six digits
 * cannot be guessed by trying. Once a member reaches the limit, every check-in by code answers 429 (the right code
 * too, so the refusal tells nothing) until the minute is over. With Redis down, codes are checked without counting.
 */
@Injectable()
export class CheckinThrottle {
  private readonly logger = new Logger('CheckinThrottle');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(GROUP_SESSION_OPTIONS) private readonly options: GroupSessionOptions,
    private readonly clock: GroupSessionsClock,
  ) {}

  private key(userId: string, now: number) {
    return `${this.options.keyPrefix}:group-checkin-wrong:${userId}:${Math.floor(now / MINUTE_MS)}`;
  }

  async assertOpen(userId: string): Promise<void> {
    const now = this.clock.now();
    let count: string | null;
    try {
      count = await this.redis.get(this.key(userId, now));
    } catch (error) {
      this.logger.warn(`check-in throttling unavailable, checking the code without it: ${(error as Error).message}`);
      return;
    }
    if (Number(count ?? 0) >= this.options.wrongCodesPerMinute) {
      const seconds = Math.max(1, Math.ceil((MINUTE_MS - (now % MINUTE_MS)) / 1000));
      throw new HttpException(
        {
          statusCode: 429,
          message: `Too many wrong codes. Wait ${seconds} seconds, then type the code the screen shows now, or scan its QR code.`,
          retryAfterSeconds: seconds,
        },
        429,
      );
    }
  }

  async recordWrong(userId: string): Promise<void> {
    const key = this.key(userId, this.clock.now());
    try {
      await this.redis
        .multi()
        .incr(key)
        .pexpire(key, 2 * MINUTE_MS)
        .exec();
    } catch (error) {
      this.logger.warn(`check-in throttling unavailable, wrong code not counted: ${(error as Error).message}`);
    }
  }
}
