import { z } from 'zod';

const Lang = z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN');
const UnitId = z.uuid('must be a unit id: choose a unit of your organisation').optional();
const Page = {
  page: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100_000).default(1),
  limit: z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
};

export const ResultsQuerySchema = z.object({
  unitId: UnitId,
  by: z.enum(['unit', 'category'], 'must be unit or category').default('category'),
  lang: Lang,
});
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

/** Words to look for in the answers: at most 50 characters, every word must be found. */
export const SEARCH_MAX = 50;

export const TextAnswersQuerySchema = z.object({
  unitId: UnitId,
  q: z.string('must be text').trim().max(SEARCH_MAX, `must be at most ${SEARCH_MAX} characters: search for fewer words`).optional(),
  ...Page,
  format: z.enum(['json', 'csv', 'xlsx'], 'must be json, csv or xlsx').default('json'),
  lang: Lang,
});
export type TextAnswersQuery = z.infer<typeof TextAnswersQuerySchema>;

export const RatesQuerySchema = z.object({
  unitId: UnitId,
  format: z.enum(['json', 'csv', 'xlsx'], 'must be json, csv or xlsx').default('json'),
  lang: Lang,
});
export type RatesQuery = z.infer<typeof RatesQuerySchema>;

export const NonRespondentsQuerySchema = RatesQuerySchema.extend(Page);
export type NonRespondentsQuery = z.infer<typeof NonRespondentsQuerySchema>;

export const ReminderSchema = z.object({ unitId: z.uuid('must be a unit id: choose a unit of your organisation').optional() }).default({});
export type ReminderInput = z.infer<typeof ReminderSchema>;

/** The search's words (at most 5), each as an ILIKE pattern that takes `%`, `_` and `\` literally. */
export function searchPatterns(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
