import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ladderFor, rungShortSides, type TranscodePlan, type VideoTranscodePlan } from './ladder.js';
import { parseFfprobeOutput, type MediaProbe } from './media-probe.js';

function videoProbe(displayWidth: number, displayHeight: number, fps = 30, extra: Partial<MediaProbe> = {}): MediaProbe {
  return {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 600,
    sizeBytes: 1_000_000,
    streamCount: 2,
    video: {
      streamIndex: 0,
      codec: 'h264',
      width: displayWidth,
      height: displayHeight,
      displayWidth,
      displayHeight,
      rotation: 0,
      fps,
    },
    audio: { streamIndex: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
    ...extra,
  };
}

function videoPlan(plan: TranscodePlan): VideoTranscodePlan {
  if (plan.kind !== 'video') throw new Error('expected a video plan');
  return plan;
}

/** `name WxH@fps/gop` per rung: compact enough to read a whole ladder in one table row. */
function summary(plan: TranscodePlan): string[] {
  return plan.rungs.map((r) => `${r.name} ${r.width}x${r.height}@${r.fps}/${r.gop}`);
}

describe('ladderFor: rungs', () => {
  it.each<[string, MediaProbe, string[]]>([
    [
      '1920x1080 30 fps',
      videoProbe(1920, 1080),
      ['1080p 1920x1080@30/60', '720p 1280x720@30/60', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    [
      '1280x720 never upscales',
      videoProbe(1280, 720),
      ['720p 1280x720@30/60', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    [
      '900p keeps its own height on top',
      videoProbe(1600, 900),
      ['900p 1600x900@30/60', '720p 1280x720@30/60', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    ['4:3 640x480', videoProbe(640, 480), ['480p 640x480@30/60', '360p 480x360@30/60', '240p 320x240@30/60']],
    [
      'odd 853x479 becomes even and never exceeds the source',
      videoProbe(853, 479),
      ['478p 852x478@30/60', '360p 642x360@30/60', '240p 428x240@30/60'],
    ],
    [
      '1080p 60 fps keeps 60 at 720p and up, 30 below',
      videoProbe(1920, 1080, 60),
      ['1080p 1920x1080@60/120', '720p 1280x720@60/120', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    [
      'portrait 1080x1920 works on the short side',
      videoProbe(1080, 1920),
      ['1080p 1080x1920@30/60', '720p 720x1280@30/60', '480p 480x854@30/60', '360p 360x640@30/60', '240p 240x426@30/60'],
    ],
    [
      '29.97 fps (NTSC) keeps the fraction, GOP rounds to 60',
      videoProbe(1280, 720, 30000 / 1001),
      ['720p 1280x720@29.97/60', '480p 854x480@29.97/60', '360p 640x360@29.97/60', '240p 426x240@29.97/60'],
    ],
    [
      '120 fps slow-motion is capped at 60',
      videoProbe(1280, 720, 120),
      ['720p 1280x720@60/120', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    [
      '15 fps screencast keeps 15, GOP 30',
      videoProbe(1024, 768, 15),
      ['768p 1024x768@15/30', '480p 640x480@15/30', '360p 480x360@15/30', '240p 320x240@15/30'],
    ],
    ['unknown fps assumes 30', videoProbe(640, 360, 0), ['360p 640x360@30/60', '240p 426x240@30/60']],
    [
      '4K caps the top rung at 1080p',
      videoProbe(3840, 2160),
      ['1080p 1920x1080@30/60', '720p 1280x720@30/60', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    [
      '730p drops 720p as too close',
      videoProbe(1298, 730),
      ['730p 1298x730@30/60', '480p 854x480@30/60', '360p 640x360@30/60', '240p 426x240@30/60'],
    ],
    ['tiny 320x180 gets one rung', videoProbe(320, 180), ['180p 320x180@30/60']],
    ['square 720x720', videoProbe(720, 720), ['720p 720x720@30/60', '480p 480x480@30/60', '360p 360x360@30/60', '240p 240x240@30/60']],
  ])('%s', (_name, probe, expected) => {
    expect(summary(ladderFor(probe))).toEqual(expected);
  });

  it('a 1920x1080 stream rotated 90° (phone held upright) is laddered as 1080x1920 portrait', () => {
    const probe = parseFfprobeOutput({
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'h264',
          width: 1920,
          height: 1080,
          avg_frame_rate: '30/1',
          side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
        },
        { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000' },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.5', size: '1000' },
    });
    expect(summary(ladderFor(probe))).toEqual([
      '1080p 1080x1920@30/60',
      '720p 720x1280@30/60',
      '480p 480x854@30/60',
      '360p 360x640@30/60',
      '240p 240x426@30/60',
    ]);
  });
});

describe('ladderFor: bitrate caps', () => {
  it.each<[string, MediaProbe, [string, number, number][]]>([
    [
      '1080p30: 0.1 bpp × w × h × fps',
      videoProbe(1920, 1080),
      [
        ['1080p', 6221, 12442],
        ['720p', 2765, 5530],
        ['480p', 1230, 2460],
        ['360p', 691, 1382],
        ['240p', 307, 614],
      ],
    ],
    [
      '1080p60 doubles the cap only where 60 fps is kept',
      videoProbe(1920, 1080, 60),
      [
        ['1080p', 12442, 24884],
        ['720p', 5530, 11060],
        ['480p', 1230, 2460],
        ['360p', 691, 1382],
        ['240p', 307, 614],
      ],
    ],
  ])('%s', (_name, probe, expected) => {
    expect(ladderFor(probe).rungs.map((r) => [r.name, r.maxrateKbps, r.bufsizeKbps])).toEqual(expected);
  });
});

describe('ladderFor: audio, download and poster', () => {
  it('video with stereo audio: 128k stereo in group "aud" plus a 64k mono audio-only variant', () => {
    const plan = ladderFor(videoProbe(1280, 720));
    expect(plan.audioGroupId).toBe('aud');
    expect(plan.audio).toEqual([
      { name: 'audio', role: 'group', bitrateKbps: 128, channels: 2, sampleRate: 48000 },
      { name: 'audio_low', role: 'variant', bitrateKbps: 64, channels: 1, sampleRate: 48000 },
    ]);
  });

  it('mono source keeps mono for the 128k rendition', () => {
    const plan = ladderFor(videoProbe(1280, 720, 30, { audio: { streamIndex: 1, codec: 'aac', channels: 1, sampleRate: 44100 } }));
    expect(plan.audio.map((r) => r.channels)).toEqual([1, 1]);
  });

  it('silent video has no audio group and no audio renditions', () => {
    const { audio: _dropped, ...silent } = videoProbe(1280, 720);
    const plan = ladderFor(silent);
    expect(plan.audioGroupId).toBeNull();
    expect(plan.audio).toEqual([]);
    expect(plan.source.audioStreamIndex).toBeUndefined();
  });

  it.each<[string, MediaProbe, string, number, number]>([
    ['1080p source downloads at 720p', videoProbe(1920, 1080), '720p', 1280, 720],
    ['900p source downloads at 720p', videoProbe(1600, 900), '720p', 1280, 720],
    ['730p source downloads at 480p (no 720p rung)', videoProbe(1298, 730), '480p', 854, 480],
    ['480p source downloads its top rung', videoProbe(640, 480), '480p', 640, 480],
    ['portrait downloads at 720x1280', videoProbe(1080, 1920), '720p', 720, 1280],
  ])('%s', (_name, probe, rungName, width, height) => {
    const plan = videoPlan(ladderFor(probe));
    expect(plan.download).toEqual({ kind: 'video', quality: 'high', rungName, width, height, fileName: 'download.mp4' });
    expect(plan.downloads).toContainEqual(plan.download);
    expect(plan.poster).toMatchObject({ kind: 'frame', width, height });
  });

  /** `quality rung WxH file` per download: the whole offer of a source in one table row. */
  const offer = (plan: TranscodePlan) =>
    plan.downloads.map((d) =>
      d.kind === 'video' ? `${d.quality} ${d.rungName} ${d.width}x${d.height} ${d.fileName}` : `audio ${d.fileName}`,
    );

  it.each<[string, MediaProbe, string[]]>([
    [
      '1080p: 360p standard, 720p high, sound only',
      videoProbe(1920, 1080),
      ['standard 360p 640x360 download_360p.mp4', 'high 720p 1280x720 download.mp4', 'audio download.m4a'],
    ],
    [
      '730p: 360p standard, 480p high (no 720p rung)',
      videoProbe(1298, 730),
      ['standard 360p 640x360 download_360p.mp4', 'high 480p 854x480 download.mp4', 'audio download.m4a'],
    ],
    [
      'portrait phone video keeps its orientation',
      videoProbe(1080, 1920),
      ['standard 360p 360x640 download_360p.mp4', 'high 720p 720x1280 download.mp4', 'audio download.m4a'],
    ],
    [
      '300p: no 360p rung, so the smallest rung of at least 240p',
      videoProbe(534, 300),
      ['standard 240p 428x240 download_240p.mp4', 'high 300p 534x300 download.mp4', 'audio download.m4a'],
    ],
    [
      '360p source: the standard rung is the high one, so only high',
      videoProbe(640, 360),
      ['high 360p 640x360 download.mp4', 'audio download.m4a'],
    ],
    ['below 240p: no standard file', videoProbe(320, 180), ['high 180p 320x180 download.mp4', 'audio download.m4a']],
    [
      'silent video: no sound-only file',
      (() => {
        const { audio: _dropped, ...silent } = videoProbe(1280, 720);
        return silent;
      })(),
      ['standard 360p 640x360 download_360p.mp4', 'high 720p 1280x720 download.mp4'],
    ],
  ])('downloads of a %s', (_name, probe, expected) => {
    expect(offer(ladderFor(probe))).toEqual(expected);
  });

  it('the offer is smallest first and never names a file twice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 4000 }), fc.integer({ min: 16, max: 4000 }), fc.boolean(), (w, h, sound) => {
        const { audio: _dropped, ...silent } = videoProbe(w, h);
        const plan = videoPlan(ladderFor(sound ? videoProbe(w, h) : silent));
        const names = plan.downloads.map((d) => d.fileName);
        expect(new Set(names).size).toBe(names.length);
        const video = plan.downloads.filter((d) => d.kind === 'video');
        expect(video.at(-1)).toEqual(plan.download);
        for (let i = 1; i < video.length; i += 1)
          expect(video[i]!.width * video[i]!.height).toBeGreaterThan(video[i - 1]!.width * video[i - 1]!.height);
        expect(plan.downloads.some((d) => d.kind === 'audio')).toBe(sound);
      }),
    );
  });

  it.each<[number, number]>([
    [600, 10],
    [30, 3],
    [3, 0.3],
  ])('poster of a %s s video is taken at %s s', (durationSec, atSec) => {
    expect(videoPlan(ladderFor(videoProbe(1280, 720, 30, { durationSec }))).poster.atSec).toBe(atSec);
  });

  it('thumbnails are 90 px on the short side in the source orientation', () => {
    expect(videoPlan(ladderFor(videoProbe(1920, 1080))).thumbnails).toMatchObject({ width: 160, height: 90 });
    expect(videoPlan(ladderFor(videoProbe(1080, 1920))).thumbnails).toMatchObject({ width: 90, height: 160 });
  });

  it('audio-only source: two audio-only variants, M4A download, waveform poster', () => {
    const plan = ladderFor({
      formatName: 'mp3',
      durationSec: 3,
      sizeBytes: 48_000,
      streamCount: 1,
      audio: { streamIndex: 0, codec: 'mp3', channels: 2, sampleRate: 44100 },
    });
    expect(plan).toMatchObject({
      kind: 'audio',
      rungs: [],
      audioGroupId: null,
      source: { demuxer: 'mp3', durationSec: 3, audioStreamIndex: 0 },
      download: { kind: 'audio', quality: 'audio', renditionName: 'audio', fileName: 'download.m4a' },
      downloads: [{ kind: 'audio', quality: 'audio', renditionName: 'audio', fileName: 'download.m4a' }],
      poster: { kind: 'waveform', width: 1280, height: 720 },
    });
    expect(plan.audio.map((r) => [r.name, r.role, r.bitrateKbps])).toEqual([
      ['audio', 'variant', 128],
      ['audio_low', 'variant', 64],
    ]);
  });

  it('carries the settings the argument builders need', () => {
    const plan = ladderFor(videoProbe(1280, 720));
    expect(plan.source).toEqual({ demuxer: 'mov', durationSec: 600, videoStreamIndex: 0, audioStreamIndex: 1 });
    expect(plan.encoder).toMatchObject({ videoCodec: 'libx264', preset: 'veryfast', crf: 23, bitsPerPixel: 0.1 });
    expect(plan.hls).toMatchObject({ segmentSec: 4, keyframeIntervalSec: 2, segmentType: 'fmp4' });
  });

  it('refuses a probe with neither video nor audio', () => {
    expect(() => ladderFor({ formatName: 'mp3', durationSec: 1, sizeBytes: 1, streamCount: 0 })).toThrow(/video or an audio/);
  });

  it('refuses a demuxer outside the whitelist', () => {
    expect(() => ladderFor(videoProbe(640, 360, 30, { formatName: 'hls' }))).toThrow(/whitelist/);
  });
});

describe('rungShortSides', () => {
  it.each<[number, number[]]>([
    [2160, [1080, 720, 480, 360, 240]],
    [1080, [1080, 720, 480, 360, 240]],
    [1079, [1078, 720, 480, 360, 240]],
    [800, [800, 720, 480, 360, 240]],
    [799, [798, 480, 360, 240]],
    [250, [250]],
    [240, [240]],
    [100, [100]],
  ])('%s px short side → %j', (shortSide, expected) => {
    expect(rungShortSides(shortSide)).toEqual(expected);
  });
});

describe('ladderFor: properties', () => {
  const sources = fc.record({
    displayWidth: fc.integer({ min: 16, max: 4096 }),
    displayHeight: fc.integer({ min: 16, max: 4096 }),
    fps: fc.double({ min: 1, max: 240, noNaN: true }),
  });

  it('every rung is even, never above the source, keeps aspect, caps fps and has monotonic bitrates', () => {
    fc.assert(
      fc.property(sources, ({ displayWidth, displayHeight, fps }) => {
        const plan = ladderFor(videoProbe(displayWidth, displayHeight, fps));
        const ratio = Math.max(displayWidth, displayHeight) / Math.min(displayWidth, displayHeight);
        expect(plan.rungs.length).toBeGreaterThan(0);
        plan.rungs.forEach((rung, i) => {
          expect(rung.width % 2).toBe(0);
          expect(rung.height % 2).toBe(0);
          expect(rung.width).toBeLessThanOrEqual(displayWidth);
          expect(rung.height).toBeLessThanOrEqual(displayHeight);
          expect(rung.shortSide).toBeLessThanOrEqual(1080);
          expect(Math.min(rung.width, rung.height)).toBe(rung.shortSide);
          expect(Math.abs(Math.max(rung.width, rung.height) - rung.shortSide * ratio)).toBeLessThanOrEqual(2);
          expect(rung.fps).toBeLessThanOrEqual(rung.shortSide >= 720 ? 60 : 30);
          expect(rung.gop).toBe(Math.max(1, Math.round(2 * rung.fps)));
          expect(rung.bufsizeKbps).toBe(2 * rung.maxrateKbps);
          const lower = plan.rungs[i + 1];
          if (lower) {
            expect(lower.shortSide).toBeLessThan(rung.shortSide);
            expect(lower.maxrateKbps).toBeLessThan(rung.maxrateKbps);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
