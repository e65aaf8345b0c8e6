import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Storage } from '#storage';
import { STORAGE } from '../intake/intake.service.js';
import { MediaSweepsRepository } from './media-sweeps.repository.js';

export const MEDIA_SWEEP_OPTIONS = Symbol('MEDIA_SWEEP_OPTIONS');
export interface MediaSweepOptions {
  /** Files stay this long after their media stopped being played, for players that already loaded them. */
  graceMinutes: number;
  intervalMs: number;
}

/** A sweeper's claim on a row; a sweeper that dies leaves it to another after this long. */
const CLAIM_MINUTES = 30;
const BATCH = 20;

/** The stored files of one asset: its original upload and every published set of it. */
export const assetPrefixes = (assetId: string) => [`media/${assetId}`, `sources/${assetId}`];

/**
 * Removes the stored files of media no lecture plays any more (replaced, or its lecture deleted), as recorded
 * in media_sweeps. Runs in every upload instance; rows are claimed with SKIP LOCKED, so each is swept once.
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

  /** Sweeps everything due; returns how many assets' files were removed. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
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
