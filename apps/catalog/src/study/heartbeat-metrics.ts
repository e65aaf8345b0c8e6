import { Counter, Histogram } from 'prom-client';
import { registry } from '#metrics';

const accepted = new Counter({
  name: 'lectern_heartbeats_accepted_total',
  help: 'Heartbeats answered 200: credited, or a replay answered again.',
  registers: [registry],
});

const rejected = new Counter({
  name: 'lectern_heartbeats_rejected_total',
  help: 'Heartbeats refused, by reason.',
  labelNames: ['reason'],
  registers: [registry],
});

/** Committed heartbeats that claimed more media than any real player plays in the time. */
export const heartbeatsFlagged = new Counter({
  name: 'lectern_heartbeats_flagged_total',
  help: 'Committed heartbeats that claimed more media than a real player can play in the time.',
  registers: [registry],
});

export const heartbeatBatchSize = new Histogram({
  name: 'lectern_heartbeat_batch_size',
  help: 'Heartbeats per ingest batch (one group commit).',
  buckets: [1, 2, 5, 10, 25, 50, 100, 200, 300, 400, 500],
  registers: [registry],
});

export const heartbeatBatchCommitSeconds = new Histogram({
  name: 'lectern_heartbeat_batch_commit_seconds',
  help: 'Time to commit one ingest batch to PostgreSQL.',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** The reason label of each refusal status a heartbeat can get; 403 is a bad signature or an ended account or course. */
const REASONS: Record<number, string> = {
  400: 'invalid',
  403: 'forbidden',
  404: 'no_session',
  409: 'superseded',
  410: 'expired',
  413: 'too_large',
  415: 'content_type',
  429: 'too_many',
  500: 'error',
  503: 'busy',
};

/** Counts one heartbeat by the status it was answered with. */
export function countHeartbeat(status: number): void {
  if (status === 200) accepted.inc();
  else rejected.inc({ reason: REASONS[status] ?? 'other' });
}
