import { z } from 'zod';
import { READING_LIMITS } from '#contracts';

/** A reading report: the seconds the reader was visible since its previous report, and the page on screen. */
export const ReadingReportSchema = z.object({
  seconds: z
    .number('seconds: send the whole seconds the page was visible since the previous report')
    .int('seconds: must be a whole number of seconds')
    .min(0, 'seconds: must be 0 or more')
    .max(READING_LIMITS.maxReportSec, `seconds: at most ${READING_LIMITS.maxReportSec} per report; report every 30 seconds`),
  page: z
    .number('page: must be a page number')
    .int('page: must be a whole page number')
    .min(1, 'page: pages are numbered from 1')
    .max(100_000, 'page: must be at most 100000')
    .optional(),
});
export type ReadingReportBody = z.infer<typeof ReadingReportSchema>;
