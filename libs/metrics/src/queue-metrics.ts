import type { Job, JobType, Queue, Worker } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.js';

/** The states whose counts an operator watches: work waiting, running, postponed, and failed for good. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const satisfies readonly JobType[];

const failures = new Counter({
  name: 'lectern_queue_job_failures_total',
  help: 'Failed job attempts; final="true" when the queue will not run the job again.',
  labelNames: ['queue', 'final'],
  registers: [registry],
});

const durations = new Histogram({
  name: 'lectern_queue_job_duration_seconds',
  help: 'Processing time of a job attempt, measured by the worker that ran it.',
  labelNames: ['queue', 'outcome'],
  // Media events take milliseconds; a transcode of a long lecture takes an hour.
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200],
  registers: [registry],
});

const watched = new Set<Queue>();

/** Read from Redis when scraped, so the figures are never older than the scrape. */
new Gauge({
  name: 'lectern_queue_jobs',
  help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis on each scrape.',
  labelNames: ['queue', 'state'],
  registers: [registry],
  async collect() {
    // A queue Redis cannot answer for drops out of the scrape rather than showing old figures.
    this.reset();
    const counts = await Promise.allSettled(
      [...watched].map(async (queue) => ({ queue, counts: await queue.getJobCounts(...QUEUE_STATES) })),
    );
    for (const result of counts) {
      if (result.status !== 'fulfilled') continue;
      for (const state of QUEUE_STATES) this.set({ queue: result.value.queue.name, state }, result.value.counts[state] ?? 0);
    }
  },
});

/** Reports these queues' depths on every scrape until `unwatchQueues`. */
export function watchQueues(queues: Iterable<Queue>): void {
  for (const queue of queues) watched.add(queue);
}

export function unwatchQueues(queues: Iterable<Queue>): void {
  for (const queue of queues) watched.delete(queue);
}

const seconds = (job: Job) => (job.finishedOn && job.processedOn ? Math.max(0, job.finishedOn - job.processedOn) / 1000 : null);

/** Counts a worker's failures and times its jobs. */
export function observeWorker(worker: Worker): void {
  const queue = worker.name;
  worker.on('completed', (job) => {
    const time = seconds(job);
    if (time !== null) durations.observe({ queue, outcome: 'completed' }, time);
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    failures.inc({ queue, final: String(final) });
    const time = seconds(job);
    if (time !== null) durations.observe({ queue, outcome: 'failed' }, time);
  });
}
