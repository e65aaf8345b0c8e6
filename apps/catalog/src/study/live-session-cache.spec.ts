import { describe, expect, it } from '@jest/globals';
import type { LiveSession } from './heartbeat-batch.js';
import { LiveSessionCache } from './live-session-cache.js';

const entry = (id: string) => ({ id }) as LiveSession;

describe('LiveSessionCache', () => {
  it('keeps the most recently used entries when full, evicting a tenth at once', () => {
    const cache = new LiveSessionCache(10);
    for (let i = 0; i < 10; i++) cache.set(entry(`s${i}`));
    cache.get('s0');
    cache.set(entry('s10'));
    expect(cache.size).toBe(9);
    expect(cache.get('s0')).toBeDefined();
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s2')).toBeUndefined();
    expect(cache.get('s10')).toBeDefined();
  });

  it('replaces an entry and forgets a deleted one', () => {
    const cache = new LiveSessionCache();
    cache.set({ ...entry('a'), lastSeq: 1 });
    cache.set({ ...entry('a'), lastSeq: 2 });
    expect(cache.get('a')?.lastSeq).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
