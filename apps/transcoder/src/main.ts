import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdir } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import { ConfigError, loadEnv, transcoderEnvSchema } from '#config';
import { PinoNestLogger, createLogger } from '#logging';
import { killFfmpegOnProcessExit, killLiveFfmpegProcesses } from '#media';
import { startMetrics, startMetricsServer } from '#metrics';
import { createStorage } from '#storage';
import { DocumentsWorker } from './documents/documents.providers.js';
import { ChunkWorkerService, chunkConfigFrom } from './chunks/chunks.providers.js';
import { installFfmpegWatchdog } from './ffmpeg-watchdog.js';
import { killOrphanFfmpeg } from './orphan-ffmpeg.js';
import { TranscodeWorker } from './transcode.worker.js';
import { transcoderConfigFrom } from './transcoder.config.js';
import { TranscoderModule } from './transcoder.module.js';

/** The transcoding worker: no HTTP, only queues. */
async function main(): Promise<void> {
  const env = loadEnv(transcoderEnvSchema);
  const logger = createLogger('transcoder', env.LOG_LEVEL);
  // Children inherit the niceness of the thread that forks them: this one. Never lowered (that needs privilege).
  if (env.TRANSCODE_NICENESS > getPriority()) setPriority(env.TRANSCODE_NICENESS);
  const baseConfig = transcoderConfigFrom(env);
  await mkdir(baseConfig.workDir, { recursive: true });

  // A transcoder that died on this machine may have left ffmpeg runs in this WORK_DIR behind.
  const orphans = await killOrphanFfmpeg(baseConfig.workDir);
  if (orphans.length > 0) logger.warn({ orphans }, 'killed ffmpeg processes left by a previous transcoder');
  const ffmpegPath = await installFfmpegWatchdog(baseConfig.workDir);
  killFfmpegOnProcessExit();

  const app = await NestFactory.createApplicationContext(
    TranscoderModule.forRoot({
      config: transcoderConfigFrom(env, ffmpegPath),
      databaseUrl: env.DATABASE_URL,
      storageDir: env.STORAGE_DIR,
      storage: createStorage(env),
      chunks: chunkConfigFrom(env, baseConfig.workDir, ffmpegPath),
    }),
    { logger: new PinoNestLogger(logger) },
  );
  await app.get(TranscodeWorker).start();
  await app.get(ChunkWorkerService).start();
  await app.get(DocumentsWorker).start();
  startMetrics('transcoder');
  const metrics = env.TRANSCODER_METRICS_PORT ? await startMetricsServer(env.TRANSCODER_METRICS_PORT, env.METRICS_TOKEN) : null;
  logger.info(
    {
      concurrency: env.TRANSCODE_CONCURRENCY,
      niceness: getPriority(),
      lockDurationMs: env.TRANSCODE_LOCK_DURATION_MS,
      workDir: baseConfig.workDir,
      metricsPort: env.TRANSCODER_METRICS_PORT ?? null,
    },
    'transcoder ready',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: stop now. The job's lock expires and another worker runs it again.
      logger.warn({ signal }, 'transcoder stopping now, abandoning the active job');
      killLiveFfmpegProcesses();
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'transcoder stopping: no new jobs, finishing the active one');
    metrics?.close();
    app.close().then(
      () => {
        logger.info('transcoder stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'transcoder did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
