import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, transcoderEnvSchema } from '#config';
import { PinoNestLogger, createLogger } from '#logging';
import { parseMediaPlaylist } from '#media';
import { makeVideo } from '../../../test/support/media-fixtures.js';
import { TranscoderHarness, redisOptions } from '../../../test/support/transcoder-harness.js';
import { CHUNK_QUEUES } from '../src/chunks/chunk-jobs.js';
import { ChunkWorkerService, chunkConfigFrom } from '../src/chunks/chunks.providers.js';
import { installFfmpegWatchdog } from '../src/ffmpeg-watchdog.js';
import { TranscodeWorker } from '../src/transcode.worker.js';
import { transcoderConfigFrom } from '../src/transcoder.config.js';
import { TranscoderModule } from '../src/transcoder.module.js';

const SLOW = 600_000;
let harness: TranscoderHarness;
let fixtures: string;
let app: INestApplicationContext;

beforeAll(async () => {
  harness = await TranscoderHarness.create();
  fixtures = mkdtempSync(join(tmpdir(), 'lectern-chunked-transcode-'));
  // The real transcoder module as main.ts builds it, with chunks of 8 s.
  const env = loadEnv(
    transcoderEnvSchema,
    harness.env({ LOG_LEVEL: 'silent', TRANSCODE_CHUNK_SEC: '8', TRANSCODE_CHUNK_CONCURRENCY: '2' }),
  );
  const ffmpegPath = await installFfmpegWatchdog(harness.workDir);
  const config = transcoderConfigFrom(env, ffmpegPath);
  app = await NestFactory.createApplicationContext(
    TranscoderModule.forRoot({
      config,
      databaseUrl: harness.db.url,
      storageDir: harness.storageDir,
      chunks: chunkConfigFrom(env, config.workDir, ffmpegPath),
    }),
    { logger: new PinoNestLogger(createLogger('transcoder', 'silent')) },
  );
  await app.get(TranscodeWorker).start();
  await app.get(ChunkWorkerService).start();
}, SLOW);

afterAll(async () => {
  await app?.close();
  await harness?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('a long video through the transcode queue with TRANSCODE_CHUNK_SEC set', () => {
  it(
    'is encoded by the chunk flow and published like any other set, then leaves no scratch behind',
    async () => {
      const source = join(fixtures, 'lecture.mp4');
      await makeVideo(source, { seconds: 26, width: 640, height: 360, fps: 25 });
      const id = await harness.addAsset(source);
      const row = await harness.waitForStatus(id, ['ready', 'failed'], SLOW);
      expect(row).toMatchObject({ status: 'ready', failure_code: null });

      // Three chunks (0, 8, 16 s) and the audio pass ran as children of one completed flow parent.
      const done = new Queue(CHUNK_QUEUES.done, { connection: redisOptions(), prefix: harness.queuePrefix });
      const parent = await done.getJob(`${id}-${row.attempt_token}-done`);
      expect(await parent?.getState()).toBe('completed');
      expect(parent?.returnvalue).toEqual({ chunks: 4 });
      await done.close();

      const outputs = row.outputs!;
      for (const rendition of outputs.renditions) {
        const dir = join(harness.storageDir, outputs.prefix, rendition.name);
        const playlist = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
        expect(playlist.endList).toBe(true);
        expect(playlist.initUri).toBe(`init_${rendition.name}.mp4`);
        expect(playlist.segments.map((s) => s.uri)).toEqual(
          ['00000', '00001', '00002', '00003', '00004', '00005', '00006'].map((n) => `seg_${n}.m4s`),
        );
        expect(playlist.totalDurationSec).toBeCloseTo(26, 0);
      }
      expect(outputs.downloads?.map((d) => d.file)).toContain('download.mp4');
      // The attempt's scratch folder, chunk folders included, is gone.
      expect((await readdir(harness.workDir)).filter((entry) => entry.startsWith(id))).toEqual([]);
    },
    SLOW,
  );
});
