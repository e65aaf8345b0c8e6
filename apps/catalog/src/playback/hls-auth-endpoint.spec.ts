import { describe, expect, it } from '@jest/globals';
import type { HlsAccess } from './hls-access.service.js';
import { hlsAuthRoute, verdictReply } from './hls-auth-endpoint.js';

const ASSET = '0b6f3c1e-9a51-4d7e-8f1a-2c3d4e5f6a7b';

describe('hlsAuthRoute', () => {
  it.each<[string, string | undefined, string | undefined, { token: string; assetId: string } | null]>([
    ['the path itself', 'GET', `/hls-auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['HEAD, which Express answers with the GET route', 'HEAD', `/hls-auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['with a query string', 'GET', `/hls-auth/abc.def/${ASSET}?x=1`, { token: 'abc.def', assetId: ASSET }],
    ['with a trailing slash', 'GET', `/hls-auth/abc.def/${ASSET}/`, { token: 'abc.def', assetId: ASSET }],
    ['in other letter case', 'GET', `/HLS-Auth/abc.def/${ASSET}`, { token: 'abc.def', assetId: ASSET }],
    ['as an absolute-form target', 'GET', `http://catalog/hls-auth/abc.def/${ASSET}?x=1`, { token: 'abc.def', assetId: ASSET }],
    ['percent-encoded segments, decoded', 'GET', '/hls-auth/a%2Eb/..%2F..%2Fetc', { token: 'a.b', assetId: '../../etc' }],
    ['another method', 'POST', `/hls-auth/abc.def/${ASSET}`, null],
    ['OPTIONS', 'OPTIONS', `/hls-auth/abc.def/${ASSET}`, null],
    ['a segment Express cannot decode', 'GET', `/hls-auth/%E0%A4%A/${ASSET}`, null],
    ['no asset', 'GET', '/hls-auth/abc.def', null],
    ['an empty token', 'GET', `/hls-auth//${ASSET}`, null],
    ['a path below it', 'GET', `/hls-auth/abc.def/${ASSET}/master.m3u8`, null],
    ['a dot-dot path below it', 'GET', `/hls-auth/abc.def/${ASSET}/../x`, null],
    ['another path', 'GET', `/hls-authx/abc.def/${ASSET}`, null],
    ['the media path', 'GET', `/hls/abc.def/${ASSET}/master.m3u8`, null],
    ['an unparsable absolute-form target', 'GET', 'http://', null],
    ['no url', 'GET', undefined, null],
    ['no method', undefined, `/hls-auth/abc.def/${ASSET}`, null],
  ])('%s', (_name, method, url, expected) => {
    expect(hlsAuthRoute(method, url)).toEqual(expected);
  });
});

describe('verdictReply', () => {
  const admitted = (prefix: string | null, downloads: Array<[string, string]> = []): HlsAccess => ({
    ok: true,
    media: { prefix, downloadNames: new Map(downloads) },
  });
  const refused = (refusal: 'missing' | 'forged' | 'wrong_asset' | 'expired' | 'withdrawn', status: 403 | 410): HlsAccess => ({
    ok: false,
    refusal,
    status,
    message: '',
  });

  it.each<[string, HlsAccess, number, Record<string, string>]>([
    ['an admitted link', admitted(`media/${ASSET}/v1`), 204, { 'Cache-Control': 'no-store', 'X-Lectern-Prefix': `media/${ASSET}/v1` }],
    [
      'an admitted link with offline files, their names encoded per RFC 5987',
      admitted(`media/${ASSET}/v1`, [
        ['download.mp4', "第一讲 (360p)'s*.mp4"],
        ['audio.m4a', 'a,b.m4a'],
      ]),
      204,
      {
        'Cache-Control': 'no-store',
        'X-Lectern-Prefix': `media/${ASSET}/v1`,
        'X-Lectern-Downloads': `download.mp4=${encodeURIComponent('第一讲 ')}%28360p%29%27s%2A.mp4,audio.m4a=a%2Cb.m4a`,
      },
    ],
    ['an asset with no ready set', admitted(null), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'not_ready' }],
    ['an expired link, as 401', refused('expired', 410), 401, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'expired' }],
    ['a forged link', refused('forged', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'forged' }],
    ['a missing token', refused('missing', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'missing' }],
    ['a link for another asset', refused('wrong_asset', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'wrong_asset' }],
    ['a withdrawn session', refused('withdrawn', 403), 403, { 'Cache-Control': 'no-store', 'X-Lectern-Refusal': 'withdrawn' }],
  ])('%s', (_name, access, status, headers) => {
    expect(verdictReply(access)).toEqual({ status, headers });
  });
});
