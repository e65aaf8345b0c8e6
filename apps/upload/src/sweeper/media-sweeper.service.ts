import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Storage } from '#storage';
import { STORAGE } from '../intake/intake.service.js';
import { MediaSweepsRepository, type PreviewCandidate } from './media-sweeps.repository.js';

export const MEDIA_SWEEP_OPTIONS = Symbol('MEDIA_SWEEP_OPTIONS');
export interface MediaSweepOptions {
  /** Files stay this long after their media stopped being played, for players that already loaded them. */
  graceMinutes: number;
  intervalMs: number;
  /**
   * A growing (preview) set stays this long after its asset is ready, or after a newer attempt's replaced it
   * (PREVIEW_RETENTION_SEC, as the transcoder's).
   */
  previewRetentionSec: number;
}

/** A sweeper's claim on a row; a sweeper that dies leaves it to another after this long. */
const CLAIM_MINUTES = 30;
const BATCH = 20;

/** The stored files of one asset: its original upload and every published set of it. */
export const assetPrefixes = (assetId: string) => [`media/${assetId}`, `sources/${assetId}`];

/** The transcoder's growing sets: `media/<asset>/<attempt token>.preview`. */
const PREVIEW_SUFFIX = '.preview';
const isPreviewVersion = (version: string) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(version) && version.endsWith(PREVIEW_SUFFIX);

/**
 * Removes the stored files of media no lecture plays any more (replaced, or its lecture deleted), as recorded
 * in media_sweeps. Runs in every upload instance; rows are claimed with SKIP LOCKED, so each is swept once.
 *
 * Then the growing (preview) sets no player needs, which the transcoder removes itself unless it stops first:
 * every one of an asset that failed or has been ready for the retention, and, while an asset is still being
 * encoded, the ones its current preview replaced that long ago. The set of the attempt holding the asset and the
 * asset's current preview are never touched while it is encoded. Idempotent with the transcoder's own removal.
 */
@Injectable()
export class MediaSweeperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MediaSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly sweeps: MediaSweepsRepository,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(MEDIA_SWEEP_OPTIONS) private readonly options: MediaSweepOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweep().catch((error: Error) => this.logger.warn(`media sweep failed, will retry: ${error.message}`)),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sweeps everything due, then the growing sets no player needs; returns how many assets' files were removed. */
  sweep(): Promise<number> {
    this.running ??= (async () => {
      const removed = await this.sweepAll();
      await this.sweepPreviews();
      return removed;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** One pass over the assets naming a growing set; returns how many assets had preview files removed. */
  async sweepPreviews(): Promise<number> {
    const retentionSec = this.options.previewRetentionSec;
    let removed = 0;
    let after: string | null = null;
    for (;;) {
      const candidates = await this.sweeps.previewCandidates(retentionSec, after, BATCH);
      if (candidates.length === 0) return removed;
      for (const candidate of candidates) {
        after = candidate.assetId;
        try {
          if (await this.sweepPreview(candidate, retentionSec)) removed++;
        } catch (error) {
          this.logger.warn(`asset ${candidate.assetId}: could not remove its leftover previews, will retry: ${(error as Error).message}`);
        }
      }
    }
  }

  /** Whether any preview files were removed. */
  private async sweepPreview(candidate: PreviewCandidate, retentionSec: number): Promise<boolean> {
    const { assetId } = candidate;
    const media = `media/${assetId}/`;
    // Listed first, then the asset read again: a set listed here exists, so its attempt had claimed the asset
    // before that read. Unchanged, the asset's current preview and the holding attempt's set are the only ones needed.
    const listed = new Set(
      (await this.storage.list(`media/${assetId}`)).map((key) => key.slice(media.length).split('/')[0] ?? '').filter(isPreviewVersion),
    );
    const now = await this.sweeps.previewCandidate(assetId, retentionSec);
    if (
      !now ||
      now.state !== candidate.state ||
      now.previewPrefix !== candidate.previewPrefix ||
      now.attemptToken !== candidate.attemptToken
    ) {
      return false;
    }
    const current = candidate.previewPrefix.startsWith(media) ? candidate.previewPrefix.slice(media.length) : null;
    let versions: string[];
    if (candidate.state === 'settled') {
      if (current !== null && isPreviewVersion(current)) listed.add(current);
      versions = [...listed];
    } else {
      versions = [...listed].filter((version) => version !== current && version !== `${candidate.attemptToken}${PREVIEW_SUFFIX}`);
    }
    for (const version of versions) await this.storage.removePrefix(`${media}${version}`);
    if (candidate.state === 'settled') await this.sweeps.clearPreview(assetId, candidate.previewPrefix);
    if (versions.length > 0) {
      this.logger.log(
        `asset ${assetId}: ${versions.length} leftover preview set(s) removed (${candidate.state === 'settled' ? 'the asset is ready or failed' : 'replaced by a newer attempt'})`,
      );
    }
    return versions.length > 0;
  }

  private async sweepAll(): Promise<number> {
    let removed = 0;
    for (;;) {
      const due = await this.sweeps.claimDue(this.options.graceMinutes, CLAIM_MINUTES, BATCH);
      if (due.length === 0) return removed;
      for (const sweep of due) {
        try {
          for (const prefix of assetPrefixes(sweep.assetId)) await this.storage.removePrefix(prefix);
          await this.sweeps.finish(sweep);
          removed++;
          this.logger.log(`asset ${sweep.assetId}: stored files removed, no lecture plays it any more`);
        } catch (error) {
          this.logger.warn(`asset ${sweep.assetId}: could not remove its files, will retry: ${(error as Error).message}`);
          await this.sweeps.failed(sweep, (error as Error).message);
        }
      }
    }
  }
}
