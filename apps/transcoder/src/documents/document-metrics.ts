import { Counter, Histogram } from 'prom-client';
import { registry } from '#metrics';

const seconds = new Histogram({
  name: 'lectern_document_convert_seconds',
  help: 'Wall-clock seconds of one LibreOffice run (start, convert, check), by document kind and outcome.',
  labelNames: ['kind', 'outcome'],
  buckets: [2, 5, 10, 20, 30, 60, 120, 300, 600],
  registers: [registry],
});

const pages = new Counter({
  name: 'lectern_document_pages_total',
  help: 'Pages of the PDFs made from Office documents.',
  labelNames: ['kind'],
  registers: [registry],
});

/** One LibreOffice run: `outcome` is `ready` or the failure reason (unreadable, timeout, crashed, …). */
export function recordConversion(kind: string, outcome: string, elapsedSec: number, pageCount = 0): void {
  seconds.observe({ kind, outcome }, elapsedSec);
  if (pageCount > 0) pages.inc({ kind }, pageCount);
}
