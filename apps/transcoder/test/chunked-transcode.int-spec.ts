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

      // Four chunks (0, 6, 14, 22 s: the 2 s first segment and one 4 s one, then two 4 s segments each) and the
      // audio pass ran as children of one completed flow parent.
      const done = new Queue(CHUNK_QUEUES.done, { connection: redisOptions(), prefix: harness.queuePrefix });
      const parent = await done.getJob(`${id}-${row.attempt_token}-done`);
      expect(await parent?.getState()).toBe('completed');
      expect(parent?.returnvalue).toEqual({ chunks: 5 });
      await done.close();

      const outputs = row.outputs!;
      for (const rendition of outputs.renditions) {
        const dir = join(harness.storageDir, outputs.prefix, rendition.name);
        const playlist = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
        expect(playlist.endList).toBe(true);
        expect(playlist.initUri).toBe(`init_${rendition.name}.mp4`);
        // Video: a 2 s first segment, then 4 s ones; audio is cut every 2 s (and runs a few ms past 26 s).
        const count = rendition.kind === 'video' ? 7 : 14;
        expect(playlist.segments.map((s) => s.uri)).toEqual(
          Array.from({ length: count }, (_, i) => `seg_${String(i).padStart(5, '0')}.m4s`),
        );
        if (rendition.kind === 'video') expect(playlist.segments.slice(0, 2).map((s) => s.durationSec)).toEqual([2, 4]);
        expect(playlist.totalDurationSec).toBeCloseTo(26, 0);
      }
      expect(outputs.downloads?.map((d) => d.file)).toContain('download.mp4');
      // The attempt's scratch folder, chunk folders included, is gone (removed just after the ready update).
      const leftovers = async () => (await readdir(harness.workDir)).filter((entry) => entry.startsWith(id));
      for (let i = 0; i < 100 && (await leftovers()).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await leftovers()).toEqual([]);
    },
    SLOW,
  );
});
