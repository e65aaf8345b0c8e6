import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AttemptSubmission } from './attempt-submission.js';

export const SWEEP_INTERVAL_MS = 15_000;

/**
 * Every 15 s, submits the attempts whose time ran out while nobody read or wrote them (the member closed
 * the page). Several catalogs may sweep at once: each takes the rows the others do not hold.
 */
@Injectable()
export class AttemptSweeper implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  private readonly logger = new Logger(AttemptSweeper.name);

  constructor(private readonly submission: AttemptSubmission) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (!this.running) void this.sweepNow();
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep, after the one still running if any; how many attempts it submitted. */
  async sweepNow(): Promise<number> {
    while (this.running) await this.running;
    const run = this.submission.sweep().catch((err: unknown) => {
      this.logger.warn(`sweeping overdue exam attempts failed; the next sweep tries again: ${String(err)}`);
      return 0;
    });
    this.running = run;
    try {
      const submitted = await run;
      if (submitted) this.logger.log(`submitted ${submitted} overdue exam attempt(s)`);
      return submitted;
    } finally {
      if (this.running === run) this.running = null;
    }
  }
}
