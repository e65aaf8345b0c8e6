import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ActivityReportsService } from './activity-reports.service.js';
import { BACKLOG_COUNT_LIMIT, rollupLagGauges, type RollupLag } from './rollup-lag.js';

const sources = rollupLagGauges({
  lag: {
    name: 'lectern_activity_rollup_lag_seconds',
    help: 'Seconds since the oldest study change not yet in the activity rollups (trend, course, lecture reports) was logged (0 when none waits).',
  },
  backlog: {
    name: 'lectern_activity_rollup_backlog',
    help: `Changes waiting in the activity rollup log (counted up to ${BACKLOG_COUNT_LIMIT}).`,
  },
});

/** Reports this catalog's activity rollup lag on every metrics scrape. */
@Injectable()
export class ActivityRollupMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly source = async (): Promise<RollupLag> => {
    const [lagSeconds, backlog] = await Promise.all([this.activity.rollup.lagSeconds(), this.activity.rollup.backlog(BACKLOG_COUNT_LIMIT)]);
    return { lagSeconds, backlog };
  };

  constructor(private readonly activity: ActivityReportsService) {}

  onApplicationBootstrap(): void {
    sources.add(this.source);
  }

  onModuleDestroy(): void {
    sources.delete(this.source);
  }
}
