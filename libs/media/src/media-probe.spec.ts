import { describe, expect, it } from '@jest/globals';
import { frameRateOf, parseFfprobeOutput, parseRatio, rotationOf } from './media-probe.js';
import { ProbeError } from './probe-error.js';

const MP4 = 'mov,mp4,m4a,3gp,3g2,mj2';

function ffprobeJson(streams: Record<string, unknown>[], format: Record<string, unknown> = {}) {
  return { streams, format: { format_name: MP4, duration: '10.000000', size: '123456', ...format } };
}

const h264 = (extra: Record<string, unknown> = {}) => ({
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 1920,
  height: 1080,
  sample_aspect_ratio: '1:1',
  avg_frame_rate: '30/1',
  r_frame_rate: '30/1',
  bit_rate: '5000000',
  ...extra,
});
const aac = { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000' };

describe('parseFfprobeOutput', () => {
  it('reads a landscape MP4 with audio', () => {
    expect(parseFfprobeOutput(ffprobeJson([h264(), aac]))).toEqual({
      formatName: MP4,
      durationSec: 10,
      sizeBytes: 123456,
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
        bitRate: 5_000_000,
      },
      audio: { streamIndex: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
    });
  });

  it.each<[string, Record<string, unknown>, number, number, number]>([
    ['display matrix -90 swaps', { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }, 270, 1080, 1920],
    ['display matrix 90 swaps', { side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }, 90, 1080, 1920],
    ['display matrix 180 keeps', { side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }, 180, 1920, 1080],
    ['legacy rotate tag 90 swaps', { tags: { rotate: '90' } }, 90, 1080, 1920],
    ['legacy rotate tag 270 swaps', { tags: { rotate: '270' } }, 270, 1080, 1920],
    ['matrix wins over tag', { tags: { rotate: '90' }, side_data_list: [{ rotation: 180 }] }, 180, 1920, 1080],
    ['45° is not autorotated, so treated as 0', { side_data_list: [{ rotation: 45 }] }, 0, 1920, 1080],
    ['anamorphic 1440x1080 SAR 4:3 shows 1920 wide', { width: 1440, sample_aspect_ratio: '4:3' }, 0, 1920, 1080],
    ['SAR 0:1 means square', { sample_aspect_ratio: '0:1' }, 0, 1920, 1080],
  ])('%s', (_name, extra, rotation, displayWidth, displayHeight) => {
    const probe = parseFfprobeOutput(ffprobeJson([h264(extra)]));
    expect(probe.video).toMatchObject({ rotation, displayWidth, displayHeight });
  });

  it('ignores MP3 cover art (attached_pic) and reports audio only', () => {
    const cover = { index: 0, codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } };
    const mp3 = { index: 1, codec_type: 'audio', codec_name: 'mp3', channels: 2, sample_rate: '44100' };
    const probe = parseFfprobeOutput(ffprobeJson([cover, mp3], { format_name: 'mp3' }));
    expect(probe.video).toBeUndefined();
    expect(probe.audio).toEqual({ streamIndex: 1, codec: 'mp3', channels: 2, sampleRate: 44100 });
    expect(probe.streamCount).toBe(2);
  });

  it('falls back to a stream duration when the container has none', () => {
    const probe = parseFfprobeOutput(ffprobeJson([h264({ duration: '7.5' })], { duration: undefined }));
    expect(probe.durationSec).toBe(7.5);
  });

  it.each<[string, unknown]>([
    ['not an object', 'garbage'],
    ['no format', { streams: [] }],
    ['video without dimensions', ffprobeJson([h264({ width: 0 })])],
    ['no duration anywhere (e.g. a MediaRecorder WebM)', ffprobeJson([h264()], { duration: 'N/A' })],
  ])('rejects %s as unreadable', (_name, json) => {
    expect(() => parseFfprobeOutput(json)).toThrow(ProbeError);
    try {
      parseFfprobeOutput(json);
    } catch (error) {
      expect((error as ProbeError).code).toBe('unreadable');
    }
  });
});

describe('frameRateOf', () => {
  it.each<[string | undefined, string | undefined, number]>([
    ['30/1', '30/1', 30],
    ['30000/1001', '30000/1001', 30000 / 1001],
    ['0/0', '25/1', 25],
    ['0/0', '0/0', 0],
    [undefined, undefined, 0],
    ['90000/1', '60/1', 60],
    ['24', undefined, 24],
  ])('avg %s, r %s → %s', (avg, r, expected) => {
    expect(frameRateOf({ avg_frame_rate: avg, r_frame_rate: r })).toBeCloseTo(expected, 6);
  });
});

describe('rotationOf', () => {
  it.each<[number | undefined, string | undefined, number]>([
    [undefined, undefined, 0],
    [-90, undefined, 270],
    [90, undefined, 90],
    [-180, undefined, 180],
    [270, undefined, 270],
    [-270, undefined, 90],
    [89.5, undefined, 90],
    [359.5, undefined, 0],
    [undefined, '-90', 270],
    [undefined, 'nonsense', 0],
  ])('matrix %s, tag %s → %s', (matrix, tag, expected) => {
    expect(
      rotationOf({
        ...(matrix === undefined ? {} : { side_data_list: [{ rotation: matrix }] }),
        ...(tag === undefined ? {} : { tags: { rotate: tag } }),
      }),
    ).toBe(expected);
  });
});

describe('parseRatio', () => {
  it.each<[string | undefined, number | undefined]>([
    ['30/1', 30],
    ['1/2', 0.5],
    ['7', 7],
    ['0/0', undefined],
    ['a/b', undefined],
    [undefined, undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseRatio(text)).toBe(expected);
  });
});
