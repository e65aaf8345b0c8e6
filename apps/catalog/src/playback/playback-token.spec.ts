import { describe, expect, it } from '@jest/globals';
import { playbackKey, signPlaybackToken, verifyPlaybackToken } from './playback-token.js';

const key = playbackKey('a-secret-that-is-long-enough-for-tests-0000');
const grant = { assetId: 'asset-1', sessionId: 'session-1', userId: 'user-1', expiresAt: 2_000 };
const token = signPlaybackToken(key, grant);

describe('playback tokens', () => {
  it('verifies its own token for the right asset before expiry', () => {
    expect(verifyPlaybackToken(key, token, 'asset-1', 1_999)).toEqual({ ok: true, grant });
  });

  it('accepts a token of the previous key while JWT_SECRET is rotated, and no third key', () => {
    const current = playbackKey('the-secret-rotated-in-0123456789abcdefghij');
    expect(verifyPlaybackToken([current, key], token, 'asset-1', 1_999)).toEqual({ ok: true, grant });
    expect(verifyPlaybackToken([current], token, 'asset-1', 1_999)).toEqual({ ok: false, problem: 'forged' });
    const stranger = signPlaybackToken(playbackKey('a-secret-nobody-configured-0123456789abcd'), grant);
    expect(verifyPlaybackToken([current, key], stranger, 'asset-1', 1_999)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyPlaybackToken([current, key], token, 'asset-1', 2_000)).toEqual({ ok: false, problem: 'expired' });
  });

  it('uses only URL-safe characters', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['no token', undefined, 'asset-1', 1_000, 'missing'],
    ['an expired token', token, 'asset-1', 2_000, 'expired'],
    ['another asset', token, 'asset-2', 1_000, 'wrong_asset'],
    ['a flipped signature', token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA'), 'asset-1', 1_000, 'forged'],
    ['another key', signPlaybackToken(playbackKey('another-secret-that-is-long-enough-000'), grant), 'asset-1', 1_000, 'forged'],
    [
      'an edited body',
      `${Buffer.from(JSON.stringify(['asset-1', 's', 'u', 9e9])).toString('base64url')}.${token.split('.')[1]}`,
      'asset-1',
      1_000,
      'forged',
    ],
    ['garbage', 'not-a-token', 'asset-1', 1_000, 'forged'],
    ['three parts', `${token}.x`, 'asset-1', 1_000, 'forged'],
  ])('refuses %s', (_label, candidate, assetId, now, problem) => {
    expect(verifyPlaybackToken(key, candidate, assetId, now)).toEqual({ ok: false, problem });
  });
});
