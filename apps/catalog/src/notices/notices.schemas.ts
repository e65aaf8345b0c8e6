import { z } from 'zod';

export const NoticeListQuerySchema = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
});
export type NoticeListQuery = z.infer<typeof NoticeListQuerySchema>;

export const MarkReadSchema = z
  .object({
    ids: z
      .array(z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of a notice'))
      .min(1, 'must name at least one notice, or be left out to mark all')
      .max(200, 'must name at most 200 notices')
      .optional(),
  })
  .default({});
export type MarkReadInput = z.infer<typeof MarkReadSchema>;
