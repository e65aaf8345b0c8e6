import { resolve } from 'node:path';
import type { TranscoderEnv } from '#config';

export const TRANSCODER_CONFIG = Symbol('TRANSCODER_CONFIG');
export const STORAGE = Symbol('STORAGE');

export interface TranscoderConfig {
  redisUrl: string;
  queuePrefix: string;
  concurrency: number;
  /** Time limit of one job (all of its ffmpeg runs together). */
  jobTimeoutMs: number;
  /** Absolute scratch folder; each attempt works in `<workDir>/<assetId>-<token>`. */
  workDir: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** The ffmpeg runFfmpeg starts: the watchdog wrapper, so ffmpeg dies with this process. */
  ffmpegPath?: string;
  /** Minimum time between two progress writes to media_assets. */
  progressWriteIntervalMs: number;
  /** How often the growing set of a running encode is stored for preview (PREVIEW_PUBLISH_INTERVAL_MS). */
  previewIntervalMs: number;
  /** How long an attempt's growing set stays in storage after its finished set went live (PREVIEW_RETENTION_SEC). */
  previewRetentionMs: number;
}

export function transcoderConfigFrom(env: TranscoderEnv, ffmpegPath?: string): TranscoderConfig {
  return {
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    concurrency: env.TRANSCODE_CONCURRENCY,
    jobTimeoutMs: env.TRANSCODE_TIMEOUT_MINUTES * 60_000,
    workDir: resolve(env.WORK_DIR),
    lockDurationMs: env.TRANSCODE_LOCK_DURATION_MS,
    stalledIntervalMs: env.TRANSCODE_STALLED_INTERVAL_MS,
    ffmpegPath,
    progressWriteIntervalMs: 2000,
    previewIntervalMs: env.PREVIEW_PUBLISH_INTERVAL_MS,
    previewRetentionMs: env.PREVIEW_RETENTION_SEC * 1000,
  };
}
