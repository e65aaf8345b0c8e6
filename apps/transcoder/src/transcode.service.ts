import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaEvent, TranscodeJob, TranscodeProgress } from '#contracts';
import {
  ProbeError,
  buildPosterArguments,
  ladderFor,
  probeMedia,
  runFfmpeg,
  type ProgressEstimate,
  type RunFfmpegOptions,
  type TranscodePlan,
} from '#media';
import type { Storage } from '#storage';
import { ChunkedHlsEncoder } from './chunks/chunks.providers.js';
import { encodeSet } from './encode-set.js';
import { PREVIEW_SUFFIX, PreviewPublisher, previewPrefix } from './preview-publisher.js';
import { recordTranscode } from './transcode-metrics.js';
import { MediaAssetsRepository, type SettledAsset } from './media-assets.repository.js';
import { MediaEventsPublisher } from './media-events.publisher.js';
import { PROGRESS_STAGES, ProgressThrottle, downloadPercent, encodePercent } from './progress-throttle.js';
import { BadMediaError, TransientTranscodeError, describeFailure } from './transcode-failure.js';
import { outputsOf, publishedPrefix } from './transcode-outputs.js';
import { STORAGE, TRANSCODER_CONFIG, type TranscoderConfig } from './transcoder.config.js';

export type TranscodeResult =
  | { status: 'ready'; assetId: string; attemptToken: string }
  /** The asset was already ready or failed (or is gone): nothing to do. */
  | { status: 'skipped'; assetId: string; assetStatus: string | null }
  /** Another attempt took the asset over while this one ran; this one's output was thrown away. */
  | { status: 'superseded'; assetId: string; attemptToken: string };

class SupersededError extends Error {}

/**
 * One transcode attempt: claim the asset with a fresh fencing token, probe, encode the ladder in
 * one ffmpeg, finish the master playlist, remux the offline files (one ffmpeg, stream copy), grab poster and thumbnails, publish
 * the folder atomically, and make it live with one conditional UPDATE.
 */
@Injectable()
export class TranscodeService {
  private readonly logger = new Logger(TranscodeService.name);
  /** Attempt token per running job id, so a final failure is recorded only by the attempt that holds the asset. */
  private readonly attempts = new Map<string, string>();

  constructor(
    private readonly assets: MediaAssetsRepository,
    private readonly events: MediaEventsPublisher,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    /** Present when chunk-parallel encoding is configured (TRANSCODE_CHUNK_SEC). */
    @Optional() private readonly chunked?: ChunkedHlsEncoder,
  ) {}

  async transcode(job: Job<TranscodeJob>, jobSignal?: AbortSignal): Promise<TranscodeResult> {
    const { assetId } = job.data;
    const token = randomUUID();
    const startedMs = Date.now();
    const asset = await this.assets.claim(assetId, token);
    if (!asset) return this.skip(assetId);
    if (job.id) this.attempts.set(job.id, token);
    this.logger.log(`asset ${assetId}: attempt ${job.attemptsMade + 1} started (token ${token})`);

    const scratch = join(this.config.workDir, `${assetId}-${token}`);
    const outputDir = join(scratch, 'out');
    const deadline = Date.now() + this.config.jobTimeoutMs;
    // Aborted when another attempt takes the asset over (seen on a progress write) or BullMQ cancels the job.
    const superseded = new AbortController();
    const signal = jobSignal ? AbortSignal.any([jobSignal, superseded.signal]) : superseded.signal;
    const progress = this.progressReporter(job, token, () => superseded.abort(new SupersededError()));
    const ffmpeg = (args: string[], options: Partial<RunFfmpegOptions> = {}) =>
      runFfmpeg(args, { timeoutMs: Math.max(1000, deadline - Date.now()), signal, ffmpegPath: this.config.ffmpegPath, ...options });
    // The preview's poster, extracted beside the ladder; stopped when the attempt ends (settled before the scratch goes).
    const stopPoster = new AbortController();
    let earlyPoster: Promise<string | null> = Promise.resolve(null);

    try {
      await mkdir(outputDir, { recursive: true });
      const sourceKey = asset.sourceKey ?? job.data.sourceKey;
      if (!(await this.storage.stat(sourceKey))) {
        throw new TransientTranscodeError('source_missing', `source ${sourceKey} of asset ${assetId} is not in storage`);
      }
      const source = await this.storage.localPath(sourceKey, scratch);
      const probe = await probeMedia(source).catch((error: unknown) => {
        throw error instanceof ProbeError ? new BadMediaError(error.code, error.message, { cause: error }) : error;
      });
      const plan = ladderFor(probe);
      earlyPoster = this.extractEarlyPoster(assetId, plan, source, join(scratch, 'preview-poster'), (args) =>
        ffmpeg(args, { signal: AbortSignal.any([signal, stopPoster.signal]) }),
      );
      // Stores the growing set while the `hls` step runs and reports the asset previewable (see preview-publisher.ts).
      const preview = new PreviewPublisher({
        plan,
        outputDir,
        workDir: join(scratch, 'preview'),
        storage: this.storage,
        prefix: previewPrefix(assetId, token),
        intervalMs: this.config.previewIntervalMs,
        poster: earlyPoster,
        onPreviewable: async (outputs) => {
          const previewableAt = await this.assets.markPreviewable(assetId, token, outputs);
          if (!previewableAt) {
            // Another attempt holds the asset: stop this one as a progress write would.
            superseded.abort(new SupersededError());
            throw new SupersededError();
          }
          const event = { type: 'asset.previewable' as const, assetId, kind: plan.kind, durationSec: probe.durationSec, outputs };
          await this.events.publish({ ...event, previewableAt: previewableAt.toISOString() }, token);
          this.logger.log(`asset ${assetId}: previewable (${outputs.prefix})`);
        },
        // The poster came after the first set: the same report again, naming it (same previewableAt).
        onPosterAdded: async (outputs) => {
          const previewableAt = await this.assets.updatePreviewOutputs(assetId, token, outputs);
          if (!previewableAt) {
            superseded.abort(new SupersededError());
            throw new SupersededError();
          }
          const event = { type: 'asset.previewable' as const, assetId, kind: plan.kind, durationSec: probe.durationSec, outputs };
          await this.events.publish({ ...event, previewableAt: previewableAt.toISOString() }, token, 'poster');
          this.logger.log(`asset ${assetId}: preview poster added`);
        },
        warn: (message) => this.logger.warn(`asset ${assetId}: ${message}`),
      });

      const { master, ...files } = await encodeSet(plan, source, outputDir, (step, args) => {
        switch (step) {
          case 'hls': {
            // A long video: chunks on every transcoder's chunk worker, joined into the same growing renditions.
            const spans = this.chunked?.spansFor(plan);
            if (spans && this.chunked) {
              const chunked = this.chunked;
              const startedAt = Date.now();
              return preview.during(() =>
                chunked.encode({
                  assetId,
                  token,
                  plan,
                  source,
                  spans,
                  scratch,
                  outputDir,
                  signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1000, deadline - Date.now()))]),
                  onProgress: (doneSec, totalSec) => {
                    const percent = encodePercent(totalSec > 0 ? Math.min(100, (100 * doneSec) / totalSec) : null);
                    const eta = doneSec > 0 ? Math.round(((Date.now() - startedAt) / 1000) * ((totalSec - doneSec) / doneSec)) : null;
                    if (percent !== null) progress({ percent, etaSeconds: eta });
                  },
                }),
              );
            }
            return preview.during(() =>
              ffmpeg(args, {
                totalDurationSec: probe.durationSec,
                onProgress: (estimate: ProgressEstimate) => {
                  const percent = encodePercent(estimate.percent);
                  if (percent !== null) progress({ percent, etaSeconds: estimate.etaSec });
                },
              }),
            );
          }
          case 'downloads':
            progress({ percent: PROGRESS_STAGES.download, etaSeconds: null });
            return ffmpeg(args, {
              totalDurationSec: probe.durationSec,
              onProgress: (estimate: ProgressEstimate) => {
                const percent = downloadPercent(estimate.percent);
                if (percent !== null) progress({ percent, etaSeconds: estimate.etaSec });
              },
            });
          case 'poster':
          case 'thumbnails':
            progress({ percent: PROGRESS_STAGES[step], etaSeconds: null });
            return ffmpeg(args);
        }
      });
      progress({ percent: PROGRESS_STAGES.publish, etaSeconds: null });
      // No progress write may land after the ready update (it would read as a takeover).
      await progress.close();
      if (superseded.signal.aborted) throw superseded.signal.reason;

      const prefix = publishedPrefix(assetId, token);
      const outputs = outputsOf(plan, master, { prefix, ...files });
      await this.storage.publishDirectory(outputDir, prefix);
      // The fence: only the attempt whose token the asset still carries makes its set live.
      if (!(await this.assets.markReady(assetId, token, { outputs, durationSec: probe.durationSec }))) {
        this.logger.warn(`asset ${assetId}: attempt ${token} was superseded before it finished; removing its output`);
        await this.storage.removePrefix(prefix);
        return { status: 'superseded', assetId, attemptToken: token };
      }
      const kind = plan.kind;
      recordTranscode(kind, probe.durationSec, (Date.now() - startedMs) / 1000);
      await this.removeStaleAttempts(assetId, token);
      await this.events.publish({ type: 'asset.ready', assetId, kind, durationSec: probe.durationSec, outputs }, token);
      this.logger.log(`asset ${assetId}: ready (${outputs.renditions.length} renditions)`);
      return { status: 'ready', assetId, attemptToken: token };
    } catch (error) {
      if (superseded.signal.aborted && !jobSignal?.aborted) {
        this.logger.warn(`asset ${assetId}: attempt ${token} stopped: another attempt took the asset over`);
        return { status: 'superseded', assetId, attemptToken: token };
      }
      throw error;
    } finally {
      stopPoster.abort();
      await earlyPoster;
      await progress.close();
      await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * The preview's poster (video only): the final poster's arguments and frame, written to `dir`. Settles with
   * its path, or null when there is none or it failed (the finished set's poster is made as always).
   */
  private async extractEarlyPoster(
    assetId: string,
    plan: TranscodePlan,
    source: string,
    dir: string,
    run: (args: string[]) => Promise<unknown>,
  ): Promise<string | null> {
    if (plan.kind !== 'video') return null;
    try {
      const startedAt = Date.now();
      await mkdir(dir, { recursive: true });
      await run(buildPosterArguments(plan, { input: source, outputDir: dir }));
      const file = join(dir, plan.poster.fileName);
      if (!(await stat(file).catch(() => null))?.isFile()) return null;
      this.logger.log(`asset ${assetId}: preview poster extracted in ${Date.now() - startedAt} ms`);
      return file;
    } catch (error) {
      this.logger.debug(`asset ${assetId}: no preview poster: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * Records a job's final failure (bad media, attempts used up, worker lost twice) and tells the
   * catalog. Fenced by the attempt token when this process ran the last attempt.
   */
  async settleFailure(job: Job<TranscodeJob>, error: unknown): Promise<void> {
    const { assetId } = job.data;
    const token = job.id ? this.attempts.get(job.id) : undefined;
    this.forget(job);
    const { code, reason } = describeFailure(error);
    const failed = await this.assets.markFailed(assetId, code, reason, token);
    if (!failed) {
      // Already settled (e.g. ready, and only announcing it failed) or held by another attempt: say what it is.
      this.logger.warn(`asset ${assetId}: final failure (${code}) not recorded: the asset is already settled or held by another attempt`);
      const settled = await this.assets.findSettled(assetId);
      if (settled?.attemptToken) await this.announce(settled);
      return;
    }
    this.logger.warn(`asset ${assetId}: failed (${code}): ${error instanceof Error ? error.message : String(error)}`);
    await this.endPreviews(assetId);
    await this.events.publish({ type: 'asset.failed', assetId, code, reason }, failed.attemptToken);
  }

  /** Forgets the token of a job whose attempt ended. */
  forget(job: Job<TranscodeJob>): void {
    if (job.id) this.attempts.delete(job.id);
  }

  /** The asset is not waiting for us. If our own earlier attempt settled it, announce that again (deduplicated by job id). */
  private async skip(assetId: string): Promise<TranscodeResult> {
    const settled = await this.assets.findSettled(assetId);
    if (settled?.attemptToken) await this.announce(settled);
    const assetStatus = settled?.status ?? (await this.assets.statusOf(assetId));
    this.logger.log(`asset ${assetId}: nothing to do (status ${assetStatus ?? 'missing'})`);
    return { status: 'skipped', assetId, assetStatus };
  }

  private async announce(asset: SettledAsset): Promise<void> {
    let event: MediaEvent | null = null;
    if (asset.status === 'ready' && asset.outputs && asset.kind) {
      event = { type: 'asset.ready', assetId: asset.id, kind: asset.kind, durationSec: asset.durationSec ?? 0, outputs: asset.outputs };
    } else if (asset.status === 'failed') {
      event = { type: 'asset.failed', assetId: asset.id, code: asset.failureCode ?? 'unknown', reason: asset.failureReason ?? '' };
    }
    if (event) await this.events.publish(event, asset.attemptToken);
  }

  /**
   * After a final failure, or the retention after ready: the growing sets of every attempt are garbage. They go,
   * then the asset's preview columns are cleared. What fails (or a process that stops first) is left to the upload
   * service's media sweeper, which does the same; either may go first.
   */
  private async endPreviews(assetId: string): Promise<void> {
    try {
      const versions = new Set((await this.storage.list(`media/${assetId}`)).map((key) => key.split('/')[2]));
      for (const version of versions) {
        if (version?.endsWith(PREVIEW_SUFFIX)) await this.storage.removePrefix(`media/${assetId}/${version}`);
      }
      await this.assets.clearPreview(assetId);
    } catch (error) {
      this.logger.warn(`asset ${assetId}: could not remove previews (the media sweeper will): ${(error as Error).message}`);
    }
  }

  /** After the ready update: other attempts' published and growing sets and scratch folders of this asset are garbage. */
  private async removeStaleAttempts(assetId: string, token: string): Promise<void> {
    try {
      const versions = new Set((await this.storage.list(`media/${assetId}`)).map((key) => key.split('/')[2]));
      for (const version of versions) {
        if (version && version !== token && version !== `${token}${PREVIEW_SUFFIX}`) {
          await this.storage.removePrefix(`media/${assetId}/${version}`);
        }
      }
      // This attempt's growing set: players (and the edge's cached verdicts) may still read it until the
      // catalog has applied asset.ready, so it goes a while later (PREVIEW_RETENTION_SEC). A worker that stops
      // first leaves it to the media sweeper, which removes it after the same retention since ready.
      setTimeout(() => void this.endPreviews(assetId), this.config.previewRetentionMs).unref();
      for (const entry of await readdir(this.config.workDir).catch(() => [] as string[])) {
        if (entry.startsWith(`${assetId}-`)) await rm(join(this.config.workDir, entry), { recursive: true, force: true });
      }
    } catch (error) {
      this.logger.warn(`asset ${assetId}: could not remove stale attempts: ${(error as Error).message}`);
    }
  }

  /**
   * Progress to BullMQ on every step forward, and to media_assets at most every few seconds while
   * this attempt still holds the asset; `onSuperseded` runs when a write finds that it does not.
   * `close()` waits for the last write and stops further ones.
   */
  private progressReporter(job: Job<TranscodeJob>, token: string, onSuperseded: () => void) {
    const throttle = new ProgressThrottle(this.config.progressWriteIntervalMs);
    let lastPercent = -1;
    let closed = false;
    let writing: Promise<unknown> = Promise.resolve();
    const report = (progress: TranscodeProgress) => {
      if (closed || progress.percent <= lastPercent) return;
      lastPercent = progress.percent;
      job.updateProgress(progress).catch((error: unknown) => this.logger.debug(`progress of job ${job.id}: ${String(error)}`));
      if (!throttle.shouldWrite(progress, Date.now())) return;
      writing = writing
        .then(() => this.assets.writeProgress(job.data.assetId, token, progress.percent, progress.etaSeconds))
        .then((held) => held || onSuperseded())
        .catch((error: unknown) => this.logger.warn(`progress of asset ${job.data.assetId} not saved: ${String(error)}`));
    };
    return Object.assign(report, {
      close: async () => {
        closed = true;
        await writing;
      },
    });
  }
}
