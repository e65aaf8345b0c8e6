import { describe, expect, it } from '@jest/globals';
import { HeartbeatLimiter } from './heartbeat-limiter.js';

describe('HeartbeatLimiter', () => {
  it('allows a burst up to capacity, then refills over time, per session', () => {
    const limiter = new HeartbeatLimiter(3, 1);
    expect([0, 0, 0, 0].map(() => limiter.take('a', 1000))).toEqual([true, true, true, false]);
    expect(limiter.take('b', 1000)).toBe(true);
    expect(limiter.take('a', 1500)).toBe(false);
    expect(limiter.take('a', 2000)).toBe(true);
    expect(limiter.take('a', 60_000)).toBe(true);
  });
});
