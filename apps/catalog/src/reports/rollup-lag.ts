import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { registry } from '#metrics';
import { ReportsService } from './reports.service.js';

/** Changed members counted up to this many: enough to tell "a lot" apart, cheap to count. */
export const BACKLOG_COUNT_LIMIT = 100_000;

export interface RollupLag {
  /** Seconds since the oldest change not yet in the rollups was logged; 0 when none waits. */
  lagSeconds: number;
  /** Changed members waiting in the change log, up to BACKLOG_COUNT_LIMIT. */
  backlog: number;
}

/** How far the plan rollups trail the study they sum up: `PlanRollup.lagSeconds`, and how much waits behind it. */
export async function rollupLag(reports: ReportsService): Promise<RollupLag> {
  const [lagSeconds, backlog] = await Promise.all([reports.rollup.lagSeconds(), reports.rollupBacklog(BACKLOG_COUNT_LIMIT)]);
  return { lagSeconds, backlog };
}

export interface LagGaugeNames {
  lag: { name: string; help: string };
  backlog: { name: string; help: string };
}

/**
 * A lag gauge and a backlog gauge read from every source registered in the returned set (one catalog per
 * process, but several in tests): the worst counts. A scrape collects both gauges at once, and they share
 * the one reading in flight.
 */
export function rollupLagGauges(names: LagGaugeNames): Set<() => Promise<RollupLag>> {
  const sources = new Set<() => Promise<RollupLag>>();
  const worst = async (): Promise<RollupLag | null> => {
    const results = await Promise.allSettled([...sources].map((read) => read()));
    const figures = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (figures.length === 0) return null;
    return { lagSeconds: Math.max(...figures.map((f) => f.lagSeconds)), backlog: Math.max(...figures.map((f) => f.backlog)) };
  };
  let reading: Promise<RollupLag | null> | null = null;
  const read = () => (reading ??= worst().finally(() => (reading = null)));
  for (const [gauge, pick] of [
    [names.lag, (f: RollupLag) => f.lagSeconds],
    [names.backlog, (f: RollupLag) => f.backlog],
  ] as const) {
    new Gauge({
      ...gauge,
      registers: [registry],
      async collect() {
        this.reset();
        const figures = await read();
        if (figures) this.set(pick(figures));
      },
    });
  }
  return sources;
}

const sources = rollupLagGauges({
  lag: {
    name: 'lectern_rollup_lag_seconds',
    help: 'Seconds since the oldest study change not yet in the plan rollups was logged (0 when none waits).',
  },
  backlog: {
    name: 'lectern_rollup_backlog',
    help: `Changed members waiting in the rollup change log (counted up to ${BACKLOG_COUNT_LIMIT}).`,
  },
});

/** Reports this catalog's rollup lag on every metrics scrape. */
@Injectable()
export class RollupMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly source = () => rollupLag(this.reports);

  constructor(private readonly reports: ReportsService) {}

  onApplicationBootstrap(): void {
    sources.add(this.source);
  }

  onModuleDestroy(): void {
    sources.delete(this.source);
  }
}
