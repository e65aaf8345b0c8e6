import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDownloadArguments } from './download-arguments.js';
import { finalizeMasterPlaylist } from './finalize-master-playlist.js';
import { joinRendition, keyframeTimes, makeMp3Fixture, makeVideoFixture, runFfprobeJson, topLevelBoxes } from './fixture-media.js';
import { buildBaselinePerRungArguments, buildHlsArguments } from './hls-arguments.js';
import { ladderFor, type TranscodePlan } from './ladder.js';
import { parseMasterPlaylist, parseMediaPlaylist, type HlsMasterPlaylist } from './master-playlist.js';
import { buildPosterArguments, buildThumbnailArguments } from './poster-arguments.js';
import { sealRenditionPlaylists } from './preview-playlist.js';
import type { ProgressEstimate } from './progress.js';
import { probeMedia } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

// Bounds for real ffmpeg work on a busy 2-core machine (every core shared with other suites).
const SLOW = 240_000;
const FFMPEG_TIMEOUT_MS = 180_000;
/** ffprobe and remuxing of every rendition. */
const PROBING = 120_000;
// 4 s target plus the fraction of a frame the muxer may overshoot by.
const MAX_SEGMENT_SEC = 4.5;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lectern-transcode-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Transcoded {
  plan: TranscodePlan;
  outputDir: string;
  master: HlsMasterPlaylist;
  progress: ProgressEstimate[];
}

/** Probe → plan → one ffmpeg for the ladder → our master playlist, as the transcoder will do it. */
async function transcode(source: string, name: string): Promise<Transcoded> {
  const probe = await probeMedia(source);
  const plan = ladderFor(probe);
  const outputDir = join(dir, `${name}-out`);
  await mkdir(outputDir);
  const progress: ProgressEstimate[] = [];
  await runFfmpeg(buildHlsArguments(plan, { input: source, outputDir }), {
    timeoutMs: FFMPEG_TIMEOUT_MS,
    totalDurationSec: probe.durationSec,
    onProgress: (p) => progress.push(p),
  });
  // As the transcoder does: ffmpeg writes EVENT playlists (so the set can be previewed as it grows), sealed as VOD when complete.
  await sealRenditionPlaylists(plan, outputDir);
  const { text } = await finalizeMasterPlaylist(plan, outputDir);
  return { plan, outputDir, master: parseMasterPlaylist(text), progress };
}

async function mediaPlaylist(outputDir: string, name: string) {
  return parseMediaPlaylist(await readFile(join(outputDir, name, 'index.m3u8'), 'utf8'));
}

async function videoStreamOf(path: string) {
  const { streams } = await runFfprobeJson(path);
  return streams.find((s) => s['codec_type'] === 'video');
}

/** ffprobe of a whole rendition (init + segments joined): an init segment alone has no frames to report rate or pixel format. */
async function probeRendition(outputDir: string, name: string) {
  const joined = await joinedRendition(outputDir, name);
  const probe = await runFfprobeJson(joined);
  await rm(joined);
  return probe;
}

async function renditionKeyframes(outputDir: string, name: string): Promise<number[]> {
  const joined = await joinedRendition(outputDir, name);
  const times = await keyframeTimes(joined);
  await rm(joined);
  return times;
}

async function joinedRendition(outputDir: string, name: string): Promise<string> {
  const playlist = await mediaPlaylist(outputDir, name);
  const target = join(dir, `${name}-${Math.random().toString(36).slice(2)}.joined.mp4`);
  return joinRendition(
    join(outputDir, name),
    playlist.initUri!,
    playlist.segments.map((s) => s.uri),
    target,
  );
}

describe('HLS ladder from a 1280x720 30 fps lecture with audio', () => {
  let result: Transcoded;
  let source: string;

  beforeAll(async () => {
    source = await makeVideoFixture(dir, 'landscape.mp4', { width: 1280, height: 720, fps: 30, durationSec: 9 });
    result = await transcode(source, 'landscape');
  }, SLOW);

  it('publishes four rungs plus the audio-only variant with every master tag', () => {
    const { master } = result;
    expect(master.independentSegments).toBe(true);
    expect(master.renditions).toEqual([
      expect.objectContaining({ type: 'AUDIO', groupId: 'aud', uri: 'audio/index.m3u8', isDefault: true, channels: '1' }),
    ]);
    expect(master.variants.map((v) => [v.uri, v.resolution && `${v.resolution.width}x${v.resolution.height}`, v.frameRate])).toEqual([
      ['480p/index.m3u8', '854x480', 30],
      ['720p/index.m3u8', '1280x720', 30],
      ['360p/index.m3u8', '640x360', 30],
      ['240p/index.m3u8', '426x240', 30],
      ['audio_low/index.m3u8', undefined, undefined],
    ]);
    for (const variant of master.variants.slice(0, 4)) {
      expect(variant.bandwidth).toBeGreaterThan(0);
      expect(variant.averageBandwidth).toBeGreaterThan(0);
      expect(variant.averageBandwidth).toBeLessThanOrEqual(variant.bandwidth);
      expect(variant.codecs).toEqual([expect.stringMatching(/^avc1\.64[0-9a-f]{4}$/), 'mp4a.40.2']);
      expect(variant.audioGroup).toBe('aud');
    }
    expect(master.variants[4]).toMatchObject({ codecs: ['mp4a.40.2'] });
    expect(master.variants[4]?.audioGroup).toBeUndefined();
  });

  it('bandwidth grows with the rung', () => {
    const byUri = Object.fromEntries(result.master.variants.map((v) => [v.uri, v.bandwidth]));
    expect(byUri['720p/index.m3u8']!).toBeGreaterThan(byUri['480p/index.m3u8']!);
    expect(byUri['480p/index.m3u8']!).toBeGreaterThan(byUri['240p/index.m3u8']!);
  });

  it(
    'writes fMP4 media playlists with ≤ 4.5 s segments, an init segment and the right frame size',
    async () => {
      const expected: Record<string, [number, number]> = {
        '720p': [1280, 720],
        '480p': [854, 480],
        '360p': [640, 360],
        '240p': [426, 240],
      };
      for (const [name, [width, height]] of Object.entries(expected)) {
        const playlist = await mediaPlaylist(result.outputDir, name);
        expect(playlist).toMatchObject({ playlistType: 'VOD', endList: true, independentSegments: true, targetDurationSec: 4 });
        expect(playlist.segments.length).toBeGreaterThanOrEqual(3);
        expect(Math.max(...playlist.segments.map((s) => s.durationSec))).toBeLessThanOrEqual(MAX_SEGMENT_SEC);
        expect(playlist.totalDurationSec).toBeCloseTo(9, 0);
        expect(playlist.initUri).toBe(`init_${name}.mp4`);
        const { streams, format } = await probeRendition(result.outputDir, name);
        expect(streams).toEqual([
          expect.objectContaining({ codec_name: 'h264', width, height, pix_fmt: 'yuv420p', profile: 'High', avg_frame_rate: '30/1' }),
        ]);
        expect(Number(format['duration'])).toBeCloseTo(9, 0);
      }
      for (const name of ['audio', 'audio_low']) {
        const playlist = await mediaPlaylist(result.outputDir, name);
        expect(Math.max(...playlist.segments.map((s) => s.durationSec))).toBeLessThanOrEqual(MAX_SEGMENT_SEC);
        const { streams } = await probeRendition(result.outputDir, name);
        expect(streams).toEqual([expect.objectContaining({ codec_name: 'aac', sample_rate: '48000', channels: 1 })]);
      }
    },
    PROBING,
  );

  it(
    'keeps every rung on the same segment boundaries: a 2 s first segment, then 4 s ones, each starting on the only keyframe in it',
    async () => {
      for (const name of ['720p', '480p', '360p', '240p']) {
        const playlist = await mediaPlaylist(result.outputDir, name);
        expect(playlist.segments.map((s) => s.durationSec)).toEqual([2, 4, 3]);
        expect(await renditionKeyframes(result.outputDir, name)).toEqual([0, 2, 6]);
      }
      // Audio-only renditions are cut by time, every 2 s.
      for (const name of ['audio', 'audio_low']) {
        const playlist = await mediaPlaylist(result.outputDir, name);
        expect(playlist.segments.slice(0, -1).every((s) => Math.abs(s.durationSec - 2) < 0.05)).toBe(true);
      }
    },
    PROBING,
  );

  it('reported progress up to done', () => {
    expect(result.progress.length).toBeGreaterThan(0);
    expect(result.progress.at(-1)).toMatchObject({ percent: 100, done: true, etaSec: 0 });
  });

  it(
    'remuxes the 360p and 720p rungs and the sound into faststart offline files in one run',
    async () => {
      await runFfmpeg(buildDownloadArguments(result.plan, { outputDir: result.outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      const expected: [string, [string, number | undefined, number | undefined][]][] = [
        [
          'download_360p.mp4',
          [
            ['h264', 640, 360],
            ['aac', undefined, undefined],
          ],
        ],
        [
          'download.mp4',
          [
            ['h264', 1280, 720],
            ['aac', undefined, undefined],
          ],
        ],
        ['download.m4a', [['aac', undefined, undefined]]],
      ];
      expect(result.plan.downloads.map((d) => d.fileName)).toEqual(expected.map(([file]) => file));
      for (const [file, streams] of expected) {
        const path = join(result.outputDir, file);
        const boxes = await topLevelBoxes(path);
        expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
        expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
        const probe = await runFfprobeJson(path);
        expect(probe.streams.map((s) => [s['codec_name'], s['width'], s['height']])).toEqual(streams);
        expect(Number(probe.format['duration'])).toBeCloseTo(9, 0);
      }
      const size = async (file: string) => (await stat(join(result.outputDir, file))).size;
      expect(await size('download_360p.mp4')).toBeLessThan(0.4 * (await size('download.mp4')));
      expect(await size('download.m4a')).toBeLessThan(await size('download_360p.mp4'));
    },
    SLOW,
  );

  it(
    'grabs a 1280x720 poster and 10 s thumbnails',
    async () => {
      await runFfmpeg(buildPosterArguments(result.plan, { input: source, outputDir: result.outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      expect(await videoStreamOf(join(result.outputDir, 'poster.jpg'))).toMatchObject({ codec_name: 'mjpeg', width: 1280, height: 720 });
      if (result.plan.kind !== 'video') throw new Error('expected video plan');
      await mkdir(join(result.outputDir, 'thumbs'));
      await runFfmpeg(buildThumbnailArguments(result.plan, { outputDir: result.outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      const thumbs = await readdir(join(result.outputDir, 'thumbs'));
      expect(thumbs).toEqual(['thumb_00001.jpg']);
      expect(await videoStreamOf(join(result.outputDir, 'thumbs', 'thumb_00001.jpg'))).toMatchObject({ width: 160, height: 90 });
    },
    SLOW,
  );

  it(
    'the per-rung baseline writes the same rung layout from its own process',
    async () => {
      const baselineDir = join(dir, 'baseline-out');
      await mkdir(baselineDir);
      const rung = result.plan.rungs.find((r) => r.name === '240p')!;
      await runFfmpeg(buildBaselinePerRungArguments(result.plan, rung, { input: source, outputDir: baselineDir }), {
        timeoutMs: FFMPEG_TIMEOUT_MS,
      });
      const baseline = await mediaPlaylist(baselineDir, '240p');
      const ladder = await mediaPlaylist(result.outputDir, '240p');
      expect(baseline.segments.map((s) => s.durationSec)).toEqual(ladder.segments.map((s) => s.durationSec));
      expect(await videoStreamOf(join(baselineDir, '240p', baseline.initUri!))).toMatchObject({ width: 426, height: 240 });
    },
    SLOW,
  );
});

describe('HLS ladder from other real sources', () => {
  it(
    'audio-only MP3: two audio-only variants, an M4A download and a waveform poster',
    async () => {
      const source = await makeMp3Fixture(dir, 'talk.mp3', 6);
      const { plan, outputDir, master } = await transcode(source, 'mp3');
      expect(master.renditions).toEqual([]);
      expect(master.variants.map((v) => [v.uri, v.codecs])).toEqual([
        ['audio/index.m3u8', ['mp4a.40.2']],
        ['audio_low/index.m3u8', ['mp4a.40.2']],
      ]);
      expect(master.variants[0]!.bandwidth).toBeGreaterThan(master.variants[1]!.bandwidth);
      for (const name of ['audio', 'audio_low']) {
        const playlist = await mediaPlaylist(outputDir, name);
        expect(Math.max(...playlist.segments.map((s) => s.durationSec))).toBeLessThanOrEqual(MAX_SEGMENT_SEC);
        expect(playlist.totalDurationSec).toBeCloseTo(6, 0);
      }
      expect(plan.downloads.map((d) => d.fileName)).toEqual(['download.m4a']);
      await runFfmpeg(buildDownloadArguments(plan, { outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      const { streams } = await runFfprobeJson(join(outputDir, 'download.m4a'));
      expect(streams.map((s) => [s['codec_name'], s['channels']])).toEqual([['aac', 2]]);
      await runFfmpeg(buildPosterArguments(plan, { input: source, outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      expect(await videoStreamOf(join(outputDir, 'poster.jpg'))).toMatchObject({ width: 1280, height: 720 });
    },
    SLOW,
  );

  it(
    'phone video with rotation metadata comes out upright (portrait) with no rotation left',
    async () => {
      const source = await makeVideoFixture(dir, 'phone.mp4', {
        width: 640,
        height: 360,
        fps: 30,
        durationSec: 2,
        rotate: 90,
      });
      expect((await probeMedia(source)).video?.rotation).toBe(90);
      const { master, outputDir } = await transcode(source, 'phone');
      expect(master.variants.filter((v) => v.resolution).map((v) => `${v.uri} ${v.resolution!.width}x${v.resolution!.height}`)).toEqual([
        '360p/index.m3u8 360x640',
        '240p/index.m3u8 240x426',
      ]);
      const [video] = (await probeRendition(outputDir, '360p')).streams;
      expect(video).toMatchObject({ width: 360, height: 640 });
      expect(video?.['side_data_list']).toBeUndefined();
    },
    SLOW,
  );

  it(
    'odd-sized 4:4:4 Matroska becomes even 4:2:0 rungs',
    async () => {
      const source = await makeVideoFixture(dir, 'odd.mkv', {
        width: 853,
        height: 479,
        fps: 30,
        durationSec: 2,
        outputOptions: ['-pix_fmt', 'yuv444p'],
      });
      const { master, outputDir } = await transcode(source, 'odd');
      expect(master.variants.filter((v) => v.resolution).map((v) => `${v.resolution!.width}x${v.resolution!.height}`)).toEqual([
        '852x478',
        '642x360',
        '428x240',
      ]);
      expect((await probeRendition(outputDir, '478p')).streams[0]).toMatchObject({ width: 852, height: 478, pix_fmt: 'yuv420p' });
    },
    SLOW,
  );

  it(
    '60 fps keeps 60 at 720p with a 120-frame first segment and drops to 30 below, on shared boundaries',
    async () => {
      const source = await makeVideoFixture(dir, 'sixty.mp4', { width: 1280, height: 720, fps: 60, durationSec: 5 });
      const { master, outputDir } = await transcode(source, 'sixty');
      expect(master.variants.filter((v) => v.frameRate).map((v) => [v.uri, v.frameRate])).toEqual([
        ['480p/index.m3u8', 30],
        ['720p/index.m3u8', 60],
        ['360p/index.m3u8', 30],
        ['240p/index.m3u8', 30],
      ]);
      const top = await mediaPlaylist(outputDir, '720p');
      const low = await mediaPlaylist(outputDir, '240p');
      expect(top.segments.map((s) => s.durationSec)).toEqual(low.segments.map((s) => s.durationSec));
      expect(top.segments.map((s) => s.durationSec)).toEqual([2, 3]);
      expect((await probeRendition(outputDir, '720p')).streams[0]).toMatchObject({ avg_frame_rate: '60/1' });
      expect(await renditionKeyframes(outputDir, '720p')).toEqual([0, 2]);
      expect(await renditionKeyframes(outputDir, '240p')).toEqual([0, 2]);
      expect((await probeRendition(outputDir, '480p')).streams[0]).toMatchObject({ avg_frame_rate: '30/1' });
    },
    SLOW,
  );

  it(
    'silent video: no audio group, no audio variants, video-only download',
    async () => {
      const source = await makeVideoFixture(dir, 'silent.mp4', { width: 640, height: 360, fps: 30, durationSec: 2, audio: false });
      const { plan, master, outputDir } = await transcode(source, 'silent');
      expect(master.renditions).toEqual([]);
      expect(master.variants.map((v) => [v.uri, v.codecs.length, v.audioGroup])).toEqual([
        ['360p/index.m3u8', 1, undefined],
        ['240p/index.m3u8', 1, undefined],
      ]);
      expect((await readdir(outputDir)).sort()).toEqual(['240p', '360p', 'master.m3u8']);
      // 360p is the top rung here, so the offer is that one video-only file.
      expect(plan.downloads.map((d) => d.fileName)).toEqual(['download.mp4']);
      await runFfmpeg(buildDownloadArguments(plan, { outputDir }), { timeoutMs: FFMPEG_TIMEOUT_MS });
      const { streams } = await runFfprobeJson(join(outputDir, 'download.mp4'));
      expect(streams.map((s) => s['codec_type'])).toEqual(['video']);
      expect((await stat(join(outputDir, 'download.mp4'))).size).toBeGreaterThan(0);
    },
    SLOW,
  );
});
