import { describe, expect, it } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { FfmpegRunError, ProbeError, ladderFor, type MediaProbe } from '#media';
import { mediaEventJobId } from './media-events.publisher.js';
import { PROGRESS_STAGES, ProgressThrottle, downloadPercent, encodePercent } from './progress-throttle.js';
import { BadMediaError, TransientTranscodeError, describeFailure } from './transcode-failure.js';
import { outputsOf, publishedPrefix } from './transcode-outputs.js';
import { isFinalFailure } from './worker-lifecycle.js';

describe('ProgressThrottle', () => {
  it('writes the first report at once, then at most one per interval, never backwards', () => {
    const throttle = new ProgressThrottle(2000);
    const at = (percent: number, now: number) => throttle.shouldWrite({ percent, etaSeconds: null }, now);
    expect(at(1, 0)).toBe(true);
    expect(at(5, 1999)).toBe(false);
    expect(at(6, 2000)).toBe(true);
    expect(at(5, 9000)).toBe(false);
    expect(at(6, 9000)).toBe(false);
    expect(at(7, 9000)).toBe(true);
  });

  it('maps the download remux between the encode and the poster', () => {
    expect(downloadPercent(null)).toBeNull();
    expect(downloadPercent(0)).toBe(94);
    expect(downloadPercent(50)).toBe(95.5);
    expect(downloadPercent(100)).toBe(97);
    expect(downloadPercent(250)).toBe(97);
    const stages = Object.values(PROGRESS_STAGES);
    expect([...stages].sort((a, b) => a - b)).toEqual(stages);
    expect(PROGRESS_STAGES.publish).toBeLessThan(100);
  });

  it('maps the encode to the first 94 %', () => {
    expect(encodePercent(null)).toBeNull();
    expect(encodePercent(0)).toBe(0);
    expect(encodePercent(50)).toBe(47);
    expect(encodePercent(100)).toBe(94);
    expect(encodePercent(140)).toBe(94);
  });
});

describe('isFinalFailure', () => {
  const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: { attempts } });
  it.each([
    [job(1, 3), new Error('x'), false],
    [job(3, 3), new Error('x'), true],
    [job(1, undefined), new Error('x'), true],
    [job(1, 3), new UnrecoverableError('job stalled more than allowable limit'), true],
    [job(1, 3), new BadMediaError('unreadable', 'bad'), true],
  ])('%j %s → %s', (j, error, final) => expect(isFinalFailure(j, error)).toBe(final));
});

describe('describeFailure', () => {
  it('keeps the editor-facing message of bad media', () => {
    expect(describeFailure(new BadMediaError('too_long', 'This recording is longer than 12 hours.'))).toEqual({
      code: 'too_long',
      reason: 'This recording is longer than 12 hours.',
    });
    expect(describeFailure(new ProbeError('unreadable', 'We could not read this file.'))).toMatchObject({ code: 'unreadable' });
  });

  it.each([
    [new UnrecoverableError('job stalled more than allowable limit'), 'worker_lost'],
    [new FfmpegRunError('timeout', 'ffmpeg timed out after 1 ms', null, ''), 'timeout'],
    [new FfmpegRunError('exit', 'ffmpeg exited with code 1: Invalid data', 1, ''), 'conversion_failed'],
    [new FfmpegRunError('spawn', 'ffmpeg is not installed', null, ''), 'converter_unavailable'],
    [new TransientTranscodeError('source_missing', 'gone'), 'source_missing'],
    [new Error('connect ECONNREFUSED 127.0.0.1:5432'), 'internal_error'],
  ])('%s → %s, without infrastructure details', (error, code) => {
    const description = describeFailure(error);
    expect(description.code).toBe(code);
    expect(description.reason).not.toMatch(/ffmpeg|ECONNREFUSED|5432/);
    expect(description.reason.length).toBeGreaterThan(20);
  });
});

describe('mediaEventJobId', () => {
  it('is one id per asset, attempt and outcome, without the colon BullMQ refuses', () => {
    expect(mediaEventJobId('asset.ready', 'a1', 't1')).toBe('ready-a1-t1');
    expect(mediaEventJobId('asset.failed', 'a1', null)).toBe('failed-a1-none');
    expect(mediaEventJobId('asset.previewable', 'a1', 't1', 'poster')).toBe('previewable-a1-t1-poster');
    expect(mediaEventJobId('asset.ready', 'a1', 't1')).not.toContain(':');
  });
});

describe('outputsOf', () => {
  const probe: MediaProbe = {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 30,
    sizeBytes: 1000,
    bitRate: 1000,
    streamCount: 2,
    video: {
      streamIndex: 0,
      codecName: 'h264',
      width: 1280,
      height: 720,
      displayWidth: 1280,
      displayHeight: 720,
      rotation: 0,
      fps: 30,
      pixelFormat: 'yuv420p',
    },
    audio: { streamIndex: 1, codecName: 'aac', channels: 2, sampleRate: 48000 },
  } as unknown as MediaProbe;

  it('lists every rendition relative to the prefix, with measured bandwidth', () => {
    const plan = ladderFor(probe);
    const outputs = outputsOf(
      plan,
      { bitrates: { '720p': { peak: 2_000_000.4, average: 1_500_000 } } },
      {
        prefix: publishedPrefix('a1', 't1'),
        downloads: { 'download_360p.mp4': 1_000, 'download.mp4': 3_000, 'download.m4a': 400 },
        poster: true,
        thumbnails: ['thumbs/thumb_00001.jpg'],
      },
    );
    expect(outputs).toMatchObject({
      prefix: 'media/a1/t1',
      master: 'master.m3u8',
      audioOnly: 'audio/index.m3u8',
      download: 'download.mp4',
      poster: 'poster.jpg',
      thumbnails: ['thumbs/thumb_00001.jpg'],
    });
    expect(outputs.downloads).toEqual([
      { quality: 'standard', file: 'download_360p.mp4', bytes: 1_000, width: 640, height: 360 },
      { quality: 'high', file: 'download.mp4', bytes: 3_000, width: 1280, height: 720 },
      { quality: 'audio', file: 'download.m4a', bytes: 400 },
    ]);
    expect(outputs.renditions[0]).toEqual({
      name: '720p',
      kind: 'video',
      width: 1280,
      height: 720,
      fps: 30,
      bandwidth: 2_000_001,
      playlist: '720p/index.m3u8',
    });
    expect(outputs.renditions.map((r) => r.name)).toEqual(['720p', '480p', '360p', '240p', 'audio', 'audio_low']);
    expect(outputs.renditions.find((r) => r.name === 'audio_low')).toMatchObject({ kind: 'audio', bandwidth: 64_000 });
  });

  it('lists only the download files that were written; the old field keeps the high file, else none', () => {
    const plan = ladderFor(probe);
    const files = { prefix: 'p', poster: false, thumbnails: [] };
    const some = outputsOf(plan, { bitrates: {} }, { ...files, downloads: { 'download.m4a': 400 } });
    expect(some).toMatchObject({ download: null, downloads: [{ quality: 'audio', file: 'download.m4a', bytes: 400 }] });
    const none = outputsOf(plan, { bitrates: {} }, { ...files, downloads: {} });
    expect(none).toMatchObject({ download: null, downloads: [] });
  });

  it('an audio lecture offers its M4A in both fields', () => {
    const audioPlan = ladderFor({ formatName: 'mp3', durationSec: 60, sizeBytes: 1, streamCount: 1, audio: probe.audio } as MediaProbe);
    const outputs = outputsOf(
      audioPlan,
      { bitrates: {} },
      { prefix: 'p', downloads: { 'download.m4a': 900 }, poster: true, thumbnails: [] },
    );
    expect(outputs).toMatchObject({ download: 'download.m4a', downloads: [{ quality: 'audio', file: 'download.m4a', bytes: 900 }] });
  });
});
