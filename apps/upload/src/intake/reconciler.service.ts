import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AssetsRepository } from '../assets/assets.repository.js';
import { TusService } from '../tus/tus.service.js';
import { IntakeService } from './intake.service.js';

const STALE_UPLOADED_SECONDS = 120;
export const RECONCILE_INTERVAL_MS = Symbol('RECONCILE_INTERVAL_MS');

/**
 * The outbox sweeper: pending assets (Redis was down) are queued once it is back; assets whose intake
 * died with a process are taken up again. Safe to run in every upload instance at once.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconcilerService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly assets: AssetsRepository,
    private readonly intake: IntakeService,
    private readonly tus: TusService,
    @Inject(RECONCILE_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const asset of await this.assets.findPending(50)) {
        if (!(await this.intake.enqueue(asset))) break;
        this.logger.log(`asset ${asset.id} queued after waiting as pending`);
      }
      for (const id of await this.assets.claimStaleUploaded(STALE_UPLOADED_SECONDS, 10)) {
        const asset = await this.assets.findById(id);
        if (!asset) continue;
        const upload = await this.tus.server.datastore.getUpload(asset.uploadId).catch(() => null);
        await this.intake.intake(asset, upload?.metadata?.sha256 ?? null);
        await this.tus.server.datastore.remove(asset.uploadId).catch(() => undefined);
      }
    } catch (error) {
      this.logger.warn(`reconcile sweep failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
