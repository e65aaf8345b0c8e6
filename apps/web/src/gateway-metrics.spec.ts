import { describe, expect, it } from '@jest/globals';
import { gatewayRoute } from './gateway-metrics.js';

describe('the gateway route label', () => {
  it.each([
    ['/api/courses/5b0e6a52-6f55-4d5c-9d77-0f1b1f9e2a11', '/api/*'],
    ['/api/upload-docs', '/api/*'],
    ['/hls/c2VjcmV0LXRva2Vu/720p/seg-00001.ts', '/hls/*'],
    ['/downloads/token/lecture.mp4?x=1', '/downloads/*'],
    ['/files/5b0e6a52-6f55-4d5c-9d77-0f1b1f9e2a11', '/files/*'],
    ['/health', '/health'],
    ['/', 'static'],
    ['/assets/index-abc123.js', 'static'],
    ['/organisation/members/42', 'static'],
    ['/apifoo', 'static'],
    ['/metrics', 'static'],
  ])('%s → %s', (url, label) => {
    expect(gatewayRoute(url)).toBe(label);
  });
});
