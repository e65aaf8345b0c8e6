import { describe, expect, it } from '@jest/globals';
import type { MediaProbe } from './media-probe.js';
import { DEFAULT_PROBE_LIMITS, checkProbeLimits, formatDuration } from './probe-limits.js';

function probe(overrides: Partial<MediaProbe> = {}, video: Partial<NonNullable<MediaProbe['video']>> = {}): MediaProbe {
  return {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 3600,
    sizeBytes: 1,
    streamCount: 2,
    video: {
      streamIndex: 0,
      codec: 'h264',
      width: 1920,
      height: 1080,
      displayWidth: 1920,
      displayHeight: 1080,
      rotation: 0,
      fps: 30,
      ...video,
    },
    audio: { streamIndex: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
    ...overrides,
  };
}

describe('checkProbeLimits', () => {
  it.each<[string, MediaProbe, string | null, RegExp | null]>([
    ['a normal lecture passes', probe(), null, null],
    ['exactly 8 h passes', probe({ durationSec: 8 * 3600 }), null, null],
    ['4096x2160 passes', probe({}, { width: 4096, height: 2160, displayWidth: 4096, displayHeight: 2160 }), null, null],
    ['16 streams pass', probe({ streamCount: 16 }), null, null],
    ['audio only passes', probe({ video: undefined }), null, null],
    ['video only passes', probe({ audio: undefined }), null, null],
    ['8 h 0 min 30 s is too long', probe({ durationSec: 8 * 3600 + 30 }), 'too_long', /8 h 1 min long; the limit is 8 h/],
    ['10 h is too long', probe({ durationSec: 10 * 3600 }), 'too_long', /10 h long/],
    ['8K is too large', probe({}, { width: 7680, height: 4320, displayWidth: 7680, displayHeight: 4320 }), 'too_large', /7680×4320.*4096/],
    [
      'portrait 2160x4320 is too large',
      probe({}, { width: 2160, height: 4320, displayWidth: 2160, displayHeight: 4320 }),
      'too_large',
      /4096 pixels/,
    ],
    ['17 streams are too many', probe({ streamCount: 17 }), 'too_many_streams', /17 tracks; we accept at most 16/],
    ['no video and no audio', probe({ video: undefined, audio: undefined, streamCount: 1 }), 'no_media_streams', /no video or audio/],
    ['zero duration is unreadable', probe({ durationSec: 0 }), 'unreadable', /could not read/],
    ['NaN duration is unreadable', probe({ durationSec: Number.NaN }), 'unreadable', /could not read/],
  ])('%s', (_name, input, code, message) => {
    const rejection = checkProbeLimits(input);
    if (code === null) {
      expect(rejection).toBeNull();
    } else {
      expect(rejection?.code).toBe(code);
      expect(rejection?.message).toMatch(message ?? /./);
    }
  });

  it('uses the limits it is given', () => {
    const strict = { ...DEFAULT_PROBE_LIMITS, maxDurationSec: 60 };
    expect(checkProbeLimits(probe({ durationSec: 61 }), strict)).toMatchObject({ code: 'too_long' });
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_PROBE_LIMITS).toEqual({ maxDurationSec: 28800, maxDimensionPx: 4096, maxStreams: 16 });
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0 s'],
    [42.4, '42 s'],
    [60, '1 min'],
    [61, '2 min'],
    [600, '10 min'],
    [3600, '1 h'],
    [5400, '1 h 30 min'],
    [28800, '8 h'],
    [28830, '8 h 1 min'],
    [30600, '8 h 30 min'],
  ])('%s s → %s', (sec, expected) => {
    expect(formatDuration(sec)).toBe(expected);
  });
});
