import { describe, expect, it } from '@jest/globals';
import { upstreamFor } from './gateway.js';

const options = { catalogUrl: 'http://catalog', uploadUrl: 'http://upload' };

describe('upstreamFor', () => {
  it.each([
    ['/files/abc', 'http://upload'],
    ['/files', 'http://upload'],
    ['/api/assets/1', 'http://upload'],
    ['/api/me', 'http://catalog'],
    ['/api/members?limit=5', 'http://catalog'],
    ['/hls/t/a/master.m3u8', 'http://catalog'],
    ['/apiary', null],
    ['/filesystem', null],
    ['/', null],
    ['/assets/index-abc.js', null],
  ])('%s → %s', (path, expected) => expect(upstreamFor(path, options)).toBe(expected));
});
