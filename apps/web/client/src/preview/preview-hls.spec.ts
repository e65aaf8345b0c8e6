import { describe, expect, it } from '@jest/globals';
import Hls from 'hls.js';
import { slowLinkConfig } from '../player/hls-config.js';
import { mergeFacts, playlistFacts, previewHlsConfig } from './preview-hls.js';

describe('hls.js settings for a preview of a growing EVENT playlist', () => {
  const config = previewHlsConfig();

  it('starts at the beginning, not at the live edge, once the page says so', () => {
    expect(config.startPosition).toBe(0);
    expect(config.autoStartLoad).toBe(false);
  });

  it('never seeks or speeds up towards the live edge', () => {
    expect(config.liveMaxLatencyDurationCount).toBe(Infinity);
    expect(config.liveMaxLatencyDuration).toBeUndefined();
    expect(config.maxLiveSyncPlaybackRate).toBe(1);
  });

  it('is a configuration hls.js accepts', () => {
    const hls = new Hls(config);
    expect(hls.config.startPosition).toBe(0);
    expect(hls.config.liveMaxLatencyDurationCount).toBe(Infinity);
    hls.destroy();
  });

  it('keeps a finite, growing duration and begins with one segment', () => {
    expect(config.liveDurationInfinity).toBe(false);
    expect(config.initialLiveManifestSize).toBe(1);
  });

  it('keeps the member player’s slow-link settings otherwise', () => {
    const { autoStartLoad: _a, ...member } = slowLinkConfig();
    expect(config).toMatchObject(member);
  });
});

describe('what a playlist says', () => {
  it('reads the encoded length, and ENDLIST as complete', () => {
    expect(playlistFacts({ totalduration: 750, live: true })).toEqual({ encodedSec: 750, complete: false });
    expect(playlistFacts({ totalduration: 5400, live: false })).toEqual({ encodedSec: 5400, complete: true });
    expect(playlistFacts({ totalduration: Number.NaN, live: true })).toEqual({ encodedSec: 0, complete: false });
  });

  it('never goes backwards after a quality switch, and stays complete', () => {
    const a = mergeFacts(null, { encodedSec: 120, complete: false });
    const b = mergeFacts(a, { encodedSec: 110, complete: false });
    expect(b).toEqual({ encodedSec: 120, complete: false });
    const done = mergeFacts(b, { encodedSec: 600, complete: true });
    expect(mergeFacts(done, { encodedSec: 590, complete: false })).toEqual({ encodedSec: 600, complete: true });
  });
});
