import { describe, expect, it } from '@jest/globals';
import { buildDownloadArguments, buildDownloadFileArguments } from './download-arguments.js';
import { ladderFor } from './ladder.js';
import type { MediaProbe } from './media-probe.js';
import { audioOnlyProbe, valuesAfter, videoProbe } from './probe-fixtures.js';

const outputDir = '/media/abc';
const HLS_WHITELIST = 'hls,mov,mp4,m4a,3gp,3g2,mj2';

/** Each output as `maps → file`: the arguments after the last input, split at every output path. */
function outputsOf(args: readonly string[]): string[] {
  const rest = args.slice(args.lastIndexOf('-i') + 2);
  const outputs: string[] = [];
  let maps: string[] = [];
  rest.forEach((arg, i) => {
    if (rest[i - 1] === '-map') maps.push(arg);
    if (arg.startsWith('/')) {
      outputs.push(`${maps.join(' ')} → ${arg}`);
      maps = [];
    }
  });
  return outputs;
}

describe('buildDownloadArguments: every offline file in one ffmpeg run', () => {
  it.each<[string, MediaProbe, string[], string[]]>([
    [
      '1080p with sound: 360p, 720p and sound only, each rendition read once',
      videoProbe(1920, 1080),
      ['/media/abc/360p/index.m3u8', '/media/abc/audio/index.m3u8', '/media/abc/720p/index.m3u8'],
      ['0:v:0 1:a:0 → /media/abc/download_360p.mp4', '2:v:0 1:a:0 → /media/abc/download.mp4', '1:a:0 → /media/abc/download.m4a'],
    ],
    [
      'silent 720p: two video-only files',
      videoProbe(1280, 720, 30, false),
      ['/media/abc/360p/index.m3u8', '/media/abc/720p/index.m3u8'],
      ['0:v:0 → /media/abc/download_360p.mp4', '1:v:0 → /media/abc/download.mp4'],
    ],
    [
      '360p source: one video file and sound only',
      videoProbe(640, 360),
      ['/media/abc/360p/index.m3u8', '/media/abc/audio/index.m3u8'],
      ['0:v:0 1:a:0 → /media/abc/download.mp4', '1:a:0 → /media/abc/download.m4a'],
    ],
    ['audio lecture: the M4A only', audioOnlyProbe, ['/media/abc/audio/index.m3u8'], ['0:a:0 → /media/abc/download.m4a']],
  ])('%s', (_name, source, inputs, outputs) => {
    const args = buildDownloadArguments(ladderFor(source), { outputDir });
    expect(valuesAfter(args, '-i')).toEqual(inputs);
    expect(valuesAfter(args, '-format_whitelist')).toEqual(inputs.map(() => HLS_WHITELIST));
    expect(valuesAfter(args, '-protocol_whitelist')).toEqual(inputs.map(() => 'file'));
    expect(valuesAfter(args, '-f')).toEqual([...inputs.map(() => 'hls'), ...outputs.map(() => 'mp4')]);
    expect(outputsOf(args)).toEqual(outputs);
  });

  it('every output is a stream copy without metadata, moov first', () => {
    const args = buildDownloadArguments(ladderFor(videoProbe(1920, 1080)), { outputDir });
    expect(args[0]).toBe('-nostdin');
    expect(valuesAfter(args, '-c')).toEqual(['copy', 'copy', 'copy']);
    expect(valuesAfter(args, '-movflags')).toEqual(['+faststart', '+faststart', '+faststart']);
    expect(valuesAfter(args, '-map_metadata')).toEqual(['-1', '-1', '-1']);
    expect(args).not.toContain('-c:v');
    expect(args).not.toContain('libx264');
  });

  it('refuses a relative output directory', () => {
    expect(() => buildDownloadArguments(ladderFor(videoProbe(1280, 720)), { outputDir: 'media/abc' })).toThrow(/absolute/);
  });
});

describe('buildDownloadFileArguments: one offline file on its own', () => {
  it.each<[string, string[], string[]]>([
    ['standard', ['/media/abc/360p/index.m3u8', '/media/abc/audio/index.m3u8'], ['0:v:0 1:a:0 → /media/abc/download_360p.mp4']],
    ['high', ['/media/abc/720p/index.m3u8', '/media/abc/audio/index.m3u8'], ['0:v:0 1:a:0 → /media/abc/download.mp4']],
    ['audio', ['/media/abc/audio/index.m3u8'], ['0:a:0 → /media/abc/download.m4a']],
  ])('%s', (quality, inputs, outputs) => {
    const plan = ladderFor(videoProbe(1920, 1080));
    const file = plan.downloads.find((d) => d.quality === quality)!;
    const args = buildDownloadFileArguments(plan, file, { outputDir });
    expect(valuesAfter(args, '-i')).toEqual(inputs);
    expect(outputsOf(args)).toEqual(outputs);
  });
});
