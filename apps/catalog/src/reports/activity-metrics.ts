import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { registry } from '#metrics';
import { ActivityReportsService } from './activity-reports.service.js';

/** Log rows counted up to this many: enough to tell "a lot" apart, cheap to count. */
const BACKLOG_COUNT_LIMIT = 100_000;

interface ActivityLag {
  lagSeconds: number;
  backlog: number;
}

const sources = new Set<() => Promise<ActivityLag>>();

/** The figures of every catalog in this process (one, but for tests); the worst counts. */
async function worst(): Promise<ActivityLag | null> {
  const results = await Promise.allSettled([...sources].map((read) => read()));
  const figures = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (figures.length === 0) return null;
  return { lagSeconds: Math.max(...figures.map((f) => f.lagSeconds)), backlog: Math.max(...figures.map((f) => f.backlog)) };
}

// A scrape collects both gauges at once: they share the one reading in flight.
let reading: Promise<ActivityLag | null> | null = null;
const read = () => (reading ??= worst().finally(() => (reading = null)));

new Gauge({
  name: 'lectern_activity_rollup_lag_seconds',
  help: 'Seconds since the oldest study change not yet in the activity rollups (trend, course, lecture reports) was logged (0 when none waits).',
  registers: [registry],
  async collect() {
    this.reset();
    const figures = await read();
    if (figures) this.set(figures.lagSeconds);
  },
});

new Gauge({
  name: 'lectern_activity_rollup_backlog',
  help: `Changes waiting in the activity rollup log (counted up to ${BACKLOG_COUNT_LIMIT}).`,
  registers: [registry],
  async collect() {
    this.reset();
    const figures = await read();
    if (figures) this.set(figures.backlog);
  },
});

/** Reports this catalog's activity rollup lag on every metrics scrape. */
@Injectable()
export class ActivityRollupMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly source = async (): Promise<ActivityLag> => {
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
