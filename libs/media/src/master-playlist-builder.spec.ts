import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ladderFor } from './ladder.js';
import { averageSegmentBitrate, buildMasterPlaylist, peakSegmentBitrate, type SegmentSize } from './master-playlist-builder.js';
import { parseMasterPlaylist } from './master-playlist.js';
import type { MediaProbe } from './media-probe.js';

function probe(width: number, height: number, withAudio = true): MediaProbe {
  const p: MediaProbe = {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 60,
    sizeBytes: 1,
    streamCount: 2,
    video: { streamIndex: 0, codec: 'h264', width, height, displayWidth: width, displayHeight: height, rotation: 0, fps: 30000 / 1001 },
  };
  if (withAudio) p.audio = { streamIndex: 1, codec: 'aac', channels: 2, sampleRate: 48000 };
  return p;
}

const codecs = { '720p': 'avc1.64001f', '480p': 'avc1.64001e', '360p': 'avc1.64001e', '240p': 'avc1.640015' };

describe('buildMasterPlaylist', () => {
  it('writes the audio group, every rung with all tags, start rung first, then the audio-only variant', () => {
    const plan = ladderFor(probe(1280, 720));
    const text = buildMasterPlaylist(plan, {
      videoCodecsByRung: codecs,
      bitrates: {
        '720p': { peak: 2_000_000, average: 1_000_000 },
        '480p': { peak: 900_000, average: 500_000 },
        '360p': { peak: 500_000.4, average: 300_000 },
        '240p': { peak: 250_000, average: 150_000 },
        audio: { peak: 130_000, average: 128_000 },
        audio_low: { peak: 66_000, average: 64_500 },
      },
    });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=1030000,AVERAGE-BANDWIDTH=628000,RESOLUTION=854x480,FRAME-RATE=29.970,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"',
        '480p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=2130000,AVERAGE-BANDWIDTH=1128000,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"',
        '720p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=630001,AVERAGE-BANDWIDTH=428000,RESOLUTION=640x360,FRAME-RATE=29.970,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"',
        '360p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=380000,AVERAGE-BANDWIDTH=278000,RESOLUTION=426x240,FRAME-RATE=29.970,CODECS="avc1.640015,mp4a.40.2",AUDIO="aud"',
        '240p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=66000,AVERAGE-BANDWIDTH=64500,CODECS="mp4a.40.2"',
        'audio_low/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('falls back to the planned caps when nothing was measured, and parses back', () => {
    const plan = ladderFor(probe(1280, 720));
    const master = parseMasterPlaylist(buildMasterPlaylist(plan, { videoCodecsByRung: codecs }));
    expect(master.variants.map((v) => [v.uri, v.bandwidth])).toEqual([
      ['480p/index.m3u8', 1_229_000 + 128_000],
      ['720p/index.m3u8', 2_762_000 + 128_000],
      ['360p/index.m3u8', 691_000 + 128_000],
      ['240p/index.m3u8', 306_000 + 128_000],
      ['audio_low/index.m3u8', 64_000],
    ]);
  });

  it('silent video: no EXT-X-MEDIA, no AUDIO, video-only CODECS', () => {
    const plan = ladderFor(probe(640, 360, false));
    const text = buildMasterPlaylist(plan, { videoCodecsByRung: codecs });
    expect(text).not.toContain('EXT-X-MEDIA');
    expect(text).not.toContain('AUDIO=');
    expect(text).toContain('CODECS="avc1.64001e"\n360p/index.m3u8');
  });

  it('audio-only: both renditions are audio-only variants', () => {
    const plan = ladderFor({
      formatName: 'mp3',
      durationSec: 3,
      sizeBytes: 1,
      streamCount: 1,
      audio: { streamIndex: 0, codec: 'mp3', channels: 2, sampleRate: 44100 },
    });
    const master = parseMasterPlaylist(buildMasterPlaylist(plan, { videoCodecsByRung: {} }));
    expect(master.renditions).toEqual([]);
    expect(master.variants.map((v) => [v.uri, v.bandwidth, v.codecs])).toEqual([
      ['audio/index.m3u8', 128_000, ['mp4a.40.2']],
      ['audio_low/index.m3u8', 64_000, ['mp4a.40.2']],
    ]);
  });

  it('refuses to publish a rung without a known video codec', () => {
    expect(() => buildMasterPlaylist(ladderFor(probe(1280, 720)), { videoCodecsByRung: { '720p': 'avc1.64001f' } })).toThrow(
      /CODECS.*480p/,
    );
  });
});

describe('peakSegmentBitrate', () => {
  const seg = (durationSec: number, kilobytes: number): SegmentSize => ({ durationSec, sizeBytes: kilobytes * 1000 });

  it.each<[string, SegmentSize[], number, number]>([
    ['empty', [], 4, 0],
    ['one full segment', [seg(4, 500)], 4, 1_000_000],
    ['the largest 4 s segment wins', [seg(4, 500), seg(4, 1000), seg(4, 250)], 4, 2_000_000],
    ['a tiny last segment only counts together with its neighbour', [seg(4, 1000), seg(0.5, 200)], 4, (1200 * 8000) / 4.5],
    ['a short stream below half the target uses its average', [seg(1, 100)], 4, 800_000],
    ['two 1.5 s segments form one window', [seg(1.5, 150), seg(1.5, 300)], 4, 1_200_000],
  ])('%s', (_name, segments, target, expected) => {
    expect(peakSegmentBitrate(segments, target)).toBeCloseTo(expected, 3);
  });

  it('lies between the lowest and highest single-segment bitrate (a window is a weighted average of them)', () => {
    const segments = fc.array(
      fc.record({ durationSec: fc.double({ min: 0.1, max: 8, noNaN: true }), sizeBytes: fc.integer({ min: 0, max: 5_000_000 }) }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(segments, (list) => {
        const rates = list.map((s) => (s.sizeBytes * 8) / s.durationSec);
        const peak = peakSegmentBitrate(list, 4);
        expect(peak).toBeGreaterThanOrEqual(Math.min(...rates) * (1 - 1e-9));
        expect(peak).toBeLessThanOrEqual(Math.max(...rates) * (1 + 1e-9));
      }),
    );
  });
});

describe('averageSegmentBitrate', () => {
  it.each<[SegmentSize[], number]>([
    [[], 0],
    [[{ durationSec: 4, sizeBytes: 500_000 }], 1_000_000],
    [
      [
        { durationSec: 4, sizeBytes: 500_000 },
        { durationSec: 2, sizeBytes: 100_000 },
      ],
      800_000,
    ],
  ])('%j → %s', (segments, expected) => {
    expect(averageSegmentBitrate(segments)).toBe(expected);
  });
});
