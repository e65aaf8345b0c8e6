import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './logger.js';

describe('redactUrl', () => {
  it.each([
    ['/hls/eyJhbGciOi.abc/asset-1/master.m3u8', '/hls/[token]/asset-1/master.m3u8'],
    ['/hls-auth/eyJhbGciOi.abc/asset-1', '/hls-auth/[token]/asset-1'],
    ['/api/download?token=secret&x=1', '/api/download?token=[redacted]&x=1'],
    ['/api/courses?page=2', '/api/courses?page=2'],
    [undefined, undefined],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
