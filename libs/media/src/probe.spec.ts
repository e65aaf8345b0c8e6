import { describe, expect, it } from '@jest/globals';
import { INPUT_FORMAT_WHITELIST, demuxerFor, uploadInputArguments } from './input-formats.js';
import { buildProbeArguments, classifyFfprobeStderr, probeMedia } from './probe.js';

describe('buildProbeArguments', () => {
  it('is the documented hardened command, whitelists before the path', () => {
    expect(buildProbeArguments('/uploads/a.mp4')).toEqual([
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mp3,aac,wav,flac,ogg',
      '-show_format',
      '-show_streams',
      '-of',
      'json',
      '/uploads/a.mp4',
    ]);
  });
});

describe('probeMedia', () => {
  it('refuses a relative path before starting ffprobe', async () => {
    await expect(probeMedia('uploads/a.mp4')).rejects.toThrow(/absolute path/);
  });
});

describe('classifyFfprobeStderr', () => {
  it.each<[string, string]>([
    ["[hls @ 0x55] Format not on whitelist 'mov,mp4'\nevil.mp4: Invalid argument", 'format_not_allowed'],
    ["[hls @ 0x1] Protocol 'http' not on whitelist 'file'!", 'format_not_allowed'],
    ['a line that merely mentions a whitelist', 'unreadable'],
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5] moov atom not found\nx.mp4: Invalid data found when processing input', 'unreadable'],
    ['', 'unreadable'],
  ])('%j → %s', (stderr, expected) => {
    expect(classifyFfprobeStderr(stderr)).toBe(expected);
  });
});

describe('demuxerFor', () => {
  it.each<[string, string]>([
    ['mov,mp4,m4a,3gp,3g2,mj2', 'mov'],
    ['matroska,webm', 'matroska'],
    ['mp3', 'mp3'],
    ['mpegts', 'mpegts'],
    ['ogg', 'ogg'],
  ])('%s → %s', (formatName, expected) => {
    expect(demuxerFor(formatName)).toBe(expected);
  });

  it.each(['hls', 'concat', 'image2', 'tty', '', 'applehttp,hls'])('refuses %j', (formatName) => {
    expect(() => demuxerFor(formatName)).toThrow(/whitelist/);
  });
});

describe('uploadInputArguments', () => {
  it('pins protocol, demuxer whitelist and the probed demuxer before -i', () => {
    expect(uploadInputArguments('mov', '/u/a.mp4')).toEqual([
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      INPUT_FORMAT_WHITELIST,
      '-f',
      'mov',
      '-i',
      '/u/a.mp4',
    ]);
  });
});
