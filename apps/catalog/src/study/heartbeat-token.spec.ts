import { describe, expect, it } from '@jest/globals';
import { HeartbeatTokenCheck, heartbeatToken } from './heartbeat-token.js';

const key = Buffer.alloc(32, 7);
const a = '0f8fad5b-d9cb-469f-a165-70867728950e';
const b = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('HeartbeatTokenCheck', () => {
  it.each([
    ['its own token', a, heartbeatToken(key, a), true],
    ['its own token, again (remembered)', a, heartbeatToken(key, a), true],
    ["another session's token", a, heartbeatToken(key, b), false],
    ['a token signed with another key', a, heartbeatToken(Buffer.alloc(32, 8), a), false],
    ['a truncated token', a, heartbeatToken(key, a).slice(0, -1), false],
    ['no token', a, undefined, false],
    ['a number', a, 42, false],
  ])('%s → %s', (_, sessionId, token, valid) => {
    const check = new HeartbeatTokenCheck(key, 1);
    expect(check.isValid(sessionId, token)).toBe(valid);
    // Remembered or recomputed after eviction, the answer is the same.
    check.isValid(b, heartbeatToken(key, b));
    expect(check.isValid(sessionId, token)).toBe(valid);
  });
});

describe('HeartbeatTokenCheck while JWT_SECRET is rotated', () => {
  const previous = Buffer.alloc(32, 9);
  it.each([
    ['a token of the current key', heartbeatToken(key, a), true],
    ['a token of the previous key', heartbeatToken(previous, a), true],
    ['a token of neither', heartbeatToken(Buffer.alloc(32, 8), a), false],
    ["another session's token of the previous key", heartbeatToken(previous, b), false],
  ])('%s → %s', (_, token, valid) => {
    expect(new HeartbeatTokenCheck([key, previous]).isValid(a, token)).toBe(valid);
    // Once the previous secret is removed, only the current key's tokens remain valid.
    expect(new HeartbeatTokenCheck([key]).isValid(a, token)).toBe(token === heartbeatToken(key, a));
  });
});
