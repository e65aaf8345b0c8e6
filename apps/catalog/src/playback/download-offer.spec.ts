import { describe, expect, it } from '@jest/globals';
import type { AssetOutputs, RenditionInfo } from '#contracts';
import { downloadFileName, offeredDownloads } from './download-offer.js';

const video = (name: string, width: number, height: number): RenditionInfo => ({
  name,
  kind: 'video',
  width,
  height,
  fps: 30,
  bandwidth: 1,
  playlist: `${name}/index.m3u8`,
});
const ladder = [video('1080p', 1920, 1080), video('720p', 1280, 720), video('360p', 640, 360)];
const audio: RenditionInfo = { name: 'audio', kind: 'audio', bandwidth: 1, playlist: 'audio/index.m3u8' };

type Outputs = Pick<AssetOutputs, 'download' | 'downloads' | 'renditions'>;

describe('offeredDownloads', () => {
  it.each<[string, Outputs, ReturnType<typeof offeredDownloads>]>([
    [
      'a set with downloads lists them as recorded',
      {
        download: 'download.mp4',
        renditions: ladder,
        downloads: [
          { quality: 'standard', file: 'download_360p.mp4', bytes: 10, width: 640, height: 360 },
          { quality: 'high', file: 'download.mp4', bytes: 30, width: 1280, height: 720 },
          { quality: 'audio', file: 'download.m4a', bytes: 2 },
        ],
      },
      [
        { quality: 'standard', file: 'download_360p.mp4', bytes: 10, width: 640, height: 360 },
        { quality: 'high', file: 'download.mp4', bytes: 30, width: 1280, height: 720 },
        { quality: 'audio', file: 'download.m4a', bytes: 2 },
      ],
    ],
    [
      'an older video set offers its one MP4 at the ≤ 720p rung',
      { download: 'download.mp4', renditions: [...ladder, audio] },
      [{ quality: 'high', file: 'download.mp4', bytes: null, width: 1280, height: 720 }],
    ],
    [
      'an older portrait set',
      { download: 'download.mp4', renditions: [video('720p', 720, 1280), video('360p', 360, 640)] },
      [{ quality: 'high', file: 'download.mp4', bytes: null, width: 720, height: 1280 }],
    ],
    ['an older set without sizes', { download: 'download.mp4', renditions: [] }, [{ quality: 'high', file: 'download.mp4', bytes: null }]],
    [
      'an older audio set offers sound only',
      { download: 'download.m4a', renditions: [audio] },
      [{ quality: 'audio', file: 'download.m4a', bytes: null }],
    ],
    ['no download at all', { download: null, renditions: ladder }, []],
    ['an empty list wins over the old field', { download: 'download.mp4', downloads: [], renditions: ladder }, []],
  ])('%s', (_name, outputs, expected) => {
    expect(offeredDownloads(outputs)).toEqual(expected);
  });
});

describe('downloadFileName', () => {
  it.each<[string, Parameters<typeof downloadFileName>[1], string]>([
    ['第一讲', { quality: 'standard', width: 640, height: 360 }, '第一讲 (360p).mp4'],
    ['第一讲', { quality: 'high', width: 1280, height: 720 }, '第一讲 (720p).mp4'],
    ['Portrait', { quality: 'high', width: 720, height: 1280 }, 'Portrait (720p).mp4'],
    ['第一讲', { quality: 'audio' }, '第一讲.m4a'],
    ['No size known', { quality: 'high' }, 'No size known.mp4'],
    ['a/b\\c: "d"?', { quality: 'audio' }, 'a b c d.m4a'],
    ['..hidden', { quality: 'audio' }, 'hidden.m4a'],
    ['   ', { quality: 'audio' }, 'lecture.m4a'],
    ['x'.repeat(300), { quality: 'audio' }, `${'x'.repeat(120)}.m4a`],
  ])('%s → %s', (title, download, expected) => {
    expect(downloadFileName(title, download)).toBe(expected);
  });
});
