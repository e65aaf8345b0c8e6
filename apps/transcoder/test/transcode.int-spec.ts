import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOBS, QUEUES, type MediaEvent, type TranscodeProgress } from '#contracts';
import { PROBE_REJECTION_MESSAGES, parseMasterPlaylist, parseMediaPlaylist } from '#media';
import { joinRendition, runFfprobeJson } from '../../../libs/media/src/fixture-media.js';
import { makeAudio, makeVideo } from '../../../test/support/media-fixtures.js';
import { waitUntil } from '../../../test/support/ports.js';
import { TranscoderHarness, redisOptions, type AssetRow } from '../../../test/support/transcoder-harness.js';

// Bounds for real ffmpeg work on a busy 2-core machine (every core shared with other suites).
const SLOW = 300_000;
const MAX_SEGMENT_SEC = 4.5;

let harness: TranscoderHarness;
let fixtures: string;
let progressEvents: QueueEvents;
const progressByJob = new Map<string, TranscodeProgress[]>();

beforeAll(async () => {
  harness = await TranscoderHarness.create();
  fixtures = mkdtempSync(join(tmpdir(), 'lectern-transcoder-fixtures-'));
  progressEvents = new QueueEvents(QUEUES.transcode, {
    connection: redisOptions(),
    prefix: harness.queuePrefix,
  });
  progressEvents.on('progress', ({ jobId, data }) => {
    progressByJob.set(jobId, [...(progressByJob.get(jobId) ?? []), data as TranscodeProgress]);
  });
  await progressEvents.waitUntilReady();
  await harness.startWorker();
}, SLOW);

afterAll(async () => {
  await progressEvents?.close();
  await harness?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

const published = (asset: AssetRow, path: string) => join(harness.storageDir, asset.outputs!.prefix, path);

/** The outcome events of a settled asset, without asset.previewable (waits for the announcement, which follows the status). */
async function eventsOf(assetId: string): Promise<MediaEvent[]> {
  return (await outcomeJobs(assetId)).map((job) => job.data);
}

async function outcomeJobs(assetId: string) {
  const outcomes = async () =>
    (await harness.mediaEvents()).filter((job) => job.data.assetId === assetId && job.data.type !== 'asset.previewable');
  await waitUntil(async () => (await outcomes()).length > 0, 60_000, `an event announcing asset ${assetId}`);
  return outcomes();
}

/** The outcome events of an asset that must never be announced (its attempt was fenced off and has finished). */
async function eventsSoFar(assetId: string): Promise<MediaEvent[]> {
  return (await harness.mediaEvents())
    .filter((job) => job.data.assetId === assetId && job.data.type !== 'asset.previewable')
    .map((job) => job.data);
}

/**
 * Finished sets in storage. A growing set (`<token>.preview`) may also be there, depending on how far
 * the encode got between two preview rounds: an attempt's own stays a while after ready (players may
 * still read it), every other one goes at ready.
 */
async function finishedVersions(assetId: string): Promise<string[]> {
  const versions = await harness.publishedVersions(assetId);
  const ready = await harness.asset(assetId);
  for (const version of versions.filter((v) => v.endsWith('.preview'))) {
    if (ready.status === 'ready') expect(version).toBe(`${ready.attempt_token}.preview`);
  }
  return versions.filter((v) => !v.endsWith('.preview'));
}

/** ffprobe of a whole published rendition (init + segments joined). */
async function probeRendition(asset: AssetRow, name: string) {
  const dir = published(asset, name);
  const playlist = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
  const joined = await joinRendition(
    dir,
    playlist.initUri!,
    playlist.segments.map((s) => s.uri),
    join(fixtures, `${name}-${randomBytes(4).toString('hex')}.mp4`),
  );
  try {
    return { playlist, probe: await runFfprobeJson(joined) };
  } finally {
    await rm(joined);
  }
}

describe('transcoding queued uploads', () => {
  it(
    'turns a 1080p lecture into a published HLS ladder, download, poster and thumbnails, and announces it',
    async () => {
      const source = join(fixtures, 'landscape.mp4');
      await makeVideo(source, { seconds: 5, width: 1920, height: 1080, fps: 25 });
      const id = await harness.addAsset(source);

      // Progress as the editor sees it: the row while it transcodes.
      const seenInDatabase: number[] = [];
      let row = await harness.asset(id);
      while (row.status !== 'ready' && row.status !== 'failed') {
        if (row.status === 'transcoding') seenInDatabase.push(row.progress_percent);
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await harness.asset(id);
      }
      expect(row).toMatchObject({ status: 'ready', progress_percent: 100, failure_code: null });
      expect(row.ready_at).not.toBeNull();
      expect(row.duration_sec).toBeCloseTo(5, 0);
      expect(seenInDatabase.some((percent) => percent > 0 && percent < 100)).toBe(true);
      const reported = progressByJob.get(id) ?? [];
      expect(reported.some((p) => p.percent > 0 && p.percent < 100)).toBe(true);
      expect(reported.map((p) => p.percent)).toEqual([...reported.map((p) => p.percent)].sort((a, b) => a - b));

      const outputs = row.outputs!;
      expect(outputs.prefix).toBe(`media/${id}/${row.attempt_token}`);
      // The renditions grew as EVENT playlists; the finished set says it will never change.
      expect(parseMediaPlaylist(await readFile(published(row, outputs.renditions[0]!.playlist), 'utf8'))).toMatchObject({
        playlistType: 'VOD',
        endList: true,
      });
      expect(await finishedVersions(id)).toEqual([row.attempt_token]);
      expect(outputs).toMatchObject({
        master: 'master.m3u8',
        audioOnly: 'audio/index.m3u8',
        download: 'download.mp4',
        poster: 'poster.jpg',
      });
      expect(outputs.thumbnails).toEqual(['thumbs/thumb_00001.jpg']);
      expect(outputs.renditions.map((r) => [r.name, r.kind, r.width, r.height])).toEqual([
        ['1080p', 'video', 1920, 1080],
        ['720p', 'video', 1280, 720],
        ['480p', 'video', 854, 480],
        ['360p', 'video', 640, 360],
        ['240p', 'video', 426, 240],
        ['audio', 'audio', undefined, undefined],
        ['audio_low', 'audio', undefined, undefined],
      ]);

      const master = parseMasterPlaylist(await readFile(published(row, outputs.master), 'utf8'));
      const videoVariants = master.variants.filter((v) => v.resolution);
      expect(videoVariants.map((v) => `${v.resolution!.width}x${v.resolution!.height}`).sort()).toEqual(
        ['1280x720', '1920x1080', '426x240', '640x360', '854x480'].sort(),
      );
      for (const variant of videoVariants) {
        expect(variant.bandwidth).toBeGreaterThan(0);
        expect(variant.frameRate).toBe(25);
        expect(variant.codecs).toEqual([expect.stringMatching(/^avc1\.64[0-9a-f]{4}$/), 'mp4a.40.2']);
      }
      expect(master.variants.find((v) => v.uri === 'audio_low/index.m3u8')).toMatchObject({ codecs: ['mp4a.40.2'] });
      expect(master.renditions).toEqual([expect.objectContaining({ type: 'AUDIO', uri: 'audio/index.m3u8' })]);

      for (const rendition of outputs.renditions) {
        const { playlist, probe } = await probeRendition(row, rendition.name);
        expect(playlist.endList).toBe(true);
        expect(Math.max(...playlist.segments.map((s) => s.durationSec))).toBeLessThanOrEqual(MAX_SEGMENT_SEC);
        expect(playlist.totalDurationSec).toBeCloseTo(5, 0);
        if (rendition.kind === 'video') {
          expect(probe.streams).toEqual([
            expect.objectContaining({ codec_name: 'h264', width: rendition.width, height: rendition.height }),
          ]);
        } else {
          expect(probe.streams).toEqual([expect.objectContaining({ codec_name: 'aac' })]);
        }
      }

      // Offline files: 360p and 720p with sound, and sound alone, each sized as published.
      expect(outputs.downloads?.map((d) => [d.quality, d.file, d.width, d.height])).toEqual([
        ['standard', 'download_360p.mp4', 640, 360],
        ['high', 'download.mp4', 1280, 720],
        ['audio', 'download.m4a', undefined, undefined],
      ]);
      for (const file of outputs.downloads!) expect(file.bytes).toBe(statSync(published(row, file.file)).size);
      const streamsOf = async (file: string) =>
        (await runFfprobeJson(published(row, file))).streams.map((s) => [s['codec_type'], s['codec_name'], s['width'], s['height']]);
      expect(await streamsOf('download_360p.mp4')).toEqual([
        ['video', 'h264', 640, 360],
        ['audio', 'aac', undefined, undefined],
      ]);
      expect(await streamsOf(outputs.download!)).toEqual([
        ['video', 'h264', 1280, 720],
        ['audio', 'aac', undefined, undefined],
      ]);
      expect(await streamsOf('download.m4a')).toEqual([['audio', 'aac', undefined, undefined]]);
      const [standard, high] = outputs.downloads!;
      expect(standard!.bytes).toBeLessThan(0.4 * high!.bytes);
      const poster = await runFfprobeJson(published(row, outputs.poster!));
      expect(poster.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 1280, height: 720 });
      expect((await runFfprobeJson(published(row, outputs.thumbnails[0]!))).streams[0]).toMatchObject({ codec_name: 'mjpeg' });

      const events = await outcomeJobs(id);
      expect(events).toHaveLength(1);
      expect(events[0]!.name).toBe(JOBS.assetReady);
      expect(events[0]!.opts.attempts).toBeGreaterThan(1);
      expect(events[0]!.data).toEqual({ type: 'asset.ready', assetId: id, kind: 'video', durationSec: row.duration_sec, outputs });
      // Nothing left behind in the scratch folder.
      expect((await harness.storage.list('.staging')).length).toBe(0);
    },
    SLOW,
  );

  it(
    'turns an MP3 into audio-only HLS with an M4A download and a waveform poster',
    async () => {
      const source = join(fixtures, 'talk.mp3');
      await makeAudio(source, 5);
      const id = await harness.addAsset(source, { status: 'pending' });
      const row = await harness.waitForStatus(id, ['ready', 'failed']);
      expect(row.status).toBe('ready');
      const outputs = row.outputs!;
      expect(outputs).toMatchObject({ download: 'download.m4a', poster: 'poster.jpg', thumbnails: [], audioOnly: 'audio/index.m3u8' });
      expect(outputs.downloads).toEqual([{ quality: 'audio', file: 'download.m4a', bytes: statSync(published(row, 'download.m4a')).size }]);
      const master = parseMasterPlaylist(await readFile(published(row, 'master.m3u8'), 'utf8'));
      expect(master.variants.map((v) => [v.uri, v.codecs])).toEqual([
        ['audio/index.m3u8', ['mp4a.40.2']],
        ['audio_low/index.m3u8', ['mp4a.40.2']],
      ]);
      for (const name of ['audio', 'audio_low']) {
        const { playlist } = await probeRendition(row, name);
        expect(Math.max(...playlist.segments.map((s) => s.durationSec))).toBeLessThanOrEqual(MAX_SEGMENT_SEC);
      }
      expect((await runFfprobeJson(published(row, 'download.m4a'))).streams.map((s) => s['codec_name'])).toEqual(['aac']);
      expect((await runFfprobeJson(published(row, 'poster.jpg'))).streams[0]).toMatchObject({ width: 1280, height: 720 });
      expect(await eventsOf(id)).toEqual([expect.objectContaining({ type: 'asset.ready', kind: 'audio' })]);
    },
    SLOW,
  );

  it(
    'fails a corrupt upload at once, without retries, with a reason for the editor',
    async () => {
      const source = join(fixtures, 'corrupt.mp4');
      writeFileSync(source, randomBytes(64 * 1024));
      const id = await harness.addAsset(source);
      const row = await harness.waitForStatus(id, ['ready', 'failed']);
      expect(row).toMatchObject({ status: 'failed', failure_code: 'unreadable', failure_reason: PROBE_REJECTION_MESSAGES.unreadable });
      const queue = harness.transcodeQueue();
      try {
        const job = await queue.getJob(id);
        expect(await job!.getState()).toBe('failed');
        expect(job!.attemptsMade).toBe(1);
        expect(job!.opts.attempts).toBe(3);
      } finally {
        await queue.close();
      }
      expect((await harness.statusLog(id)).map((entry) => entry.status)).toEqual(['transcoding', 'failed']);
      expect(await finishedVersions(id)).toEqual([]);
      expect(await eventsOf(id)).toEqual([
        { type: 'asset.failed', assetId: id, code: 'unreadable', reason: PROBE_REJECTION_MESSAGES.unreadable },
      ]);
    },
    SLOW,
  );

  it(
    'with two workers and four jobs, each asset is transcoded, published and announced exactly once',
    async () => {
      const second = await harness.startWorker();
      const ids: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const source = join(fixtures, `small-${i}.mp4`);
        await makeVideo(source, { seconds: 2, width: 320, height: 180, fps: 25 });
        ids.push(await harness.addAsset(source));
      }
      try {
        for (const id of ids) {
          const row = await harness.waitForStatus(id, ['ready', 'failed']);
          expect(row.status).toBe('ready');
          const log = await harness.statusLog(id);
          expect(log.filter((entry) => entry.status === 'transcoding')).toHaveLength(1);
          expect(log.filter((entry) => entry.status === 'ready')).toEqual([{ status: 'ready', attempt_token: row.attempt_token }]);
          expect(await finishedVersions(id)).toEqual([row.attempt_token]);
          expect((await eventsOf(id)).map((e) => e.type)).toEqual(['asset.ready']);
        }
      } finally {
        await second.close();
      }
    },
    SLOW,
  );

  it(
    'an attempt that loses the asset to another attempt (fencing token) publishes nothing and stops',
    async () => {
      const source = join(fixtures, 'fenced.mp4');
      await makeVideo(source, { seconds: 20, width: 640, height: 360, fps: 25 });
      const id = await harness.addAsset(source);
      const queue = harness.transcodeQueue();
      const events = new QueueEvents(QUEUES.transcode, { connection: redisOptions(), prefix: harness.queuePrefix });
      try {
        await events.waitUntilReady();
        await harness.waitForStatus(id, ['transcoding'], 120_000);
        // Another worker claims the asset, as a retry after a lost lock would.
        await harness.pool.query(`UPDATE media_assets SET attempt_token = 'intruder' WHERE id = $1`, [id]);
        const job = (await queue.getJob(id))!;
        expect(await job.waitUntilFinished(events, 180_000)).toMatchObject({ status: 'superseded', assetId: id });
      } finally {
        await events.close();
        await queue.close();
      }
      expect(await harness.asset(id)).toMatchObject({ status: 'transcoding', attempt_token: 'intruder', outputs: null });
      expect(await finishedVersions(id)).toEqual([]);
      expect(await eventsSoFar(id)).toEqual([]);
    },
    SLOW,
  );

  it(
    'a job for an asset that is already ready is skipped and announces nothing new',
    async () => {
      const source = join(fixtures, 'again.mp4');
      await makeVideo(source, { seconds: 2, width: 320, height: 180, fps: 25 });
      const ready = { id: await harness.addAsset(source) };
      expect((await harness.waitForStatus(ready.id, ['ready', 'failed'])).status).toBe('ready');
      const before = await harness.statusLog(ready.id);
      const queue = harness.transcodeQueue();
      // Listen before adding: a skipped job finishes in milliseconds.
      const events = new QueueEvents(QUEUES.transcode, { connection: redisOptions(), prefix: harness.queuePrefix });
      try {
        await events.waitUntilReady();
        const job = await queue.add(JOBS.transcode, {
          assetId: ready.id,
          sourceKey: 'sources/x/original.mp4',
          kind: 'video',
          durationSec: 1,
        });
        expect(await job.waitUntilFinished(events, 120_000)).toMatchObject({ status: 'skipped', assetStatus: 'ready' });
      } finally {
        await events.close();
        await queue.close();
      }
      expect(await harness.statusLog(ready.id)).toEqual(before);
      expect(await eventsOf(ready.id)).toHaveLength(1);
    },
    SLOW,
  );
});
