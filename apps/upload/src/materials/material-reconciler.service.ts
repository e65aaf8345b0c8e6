import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RECONCILE_INTERVAL_MS } from '../intake/reconciler.service.js';
import { MaterialUploadsRepository } from './material-uploads.repository.js';
import { MaterialUploadsService } from './material-uploads.service.js';

/** An Office document recorded this long ago and still converting may have missed its job (Redis was away). */
const WAITING_SECONDS = 120;

/**
 * Queues the conversion of Office materials whose job may never have been added. The job id names the
 * material, so a material whose job exists (waiting, running, or kept after it ended) is not queued twice.
 */
@Injectable()
export class MaterialReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MaterialReconcilerService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly materials: MaterialUploadsRepository,
    private readonly uploads: MaterialUploadsService,
    @Inject(RECONCILE_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    // Every few reconciler turns is enough: a missed conversion waits minutes, not seconds.
    this.timer = setInterval(() => void this.sweep(), Math.max(this.intervalMs, 30_000));
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const id of await this.materials.waitingForConversion(WAITING_SECONDS, 50)) {
        if (!(await this.uploads.enqueue(id))) break;
      }
    } catch (error) {
      this.logger.warn(`material reconcile sweep failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
