import { z } from 'zod';

/**
 * The shape of a chapter list; the rows themselves (titles, starts inside the lecture, one chapter per second, at
 * most 200) are checked by `validateChapters`, which names the row of each problem.
 */
export const SaveChaptersSchema = z.object({
  chapters: z
    .array(
      z.object({
        title: z.string('must be text: the chapter title').max(1000, 'must be at most 100 characters; shorten it'),
        // null (an empty or unreadable time in the editor) is reported by row as "has no start time".
        startSec: z.number('must be a number of seconds from the start of the lecture').nullable(),
      }),
      'must be a list of chapters, each with a title and startSec',
    )
    .max(1000, 'a lecture may have at most 200 chapters; remove some or merge short ones'),
  revision: z.number().int('must be a whole number').min(0).max(2_147_483_647).optional(),
});
export type SaveChaptersBody = z.infer<typeof SaveChaptersSchema>;

export const ImportChaptersQuerySchema = z.object({
  /** The language of the titles given to chapters the file leaves unnamed. */
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
});
export type ImportChaptersQuery = z.infer<typeof ImportChaptersQuerySchema>;

/** An earlier list's number in a path, as the list of earlier versions gives it. */
export const ChapterRevisionParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be the number of an earlier chapter list (1 or more), as the list of earlier versions gives it')
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'must be the number of an earlier chapter list, as the list of earlier versions gives it');

export const RestoreChaptersSchema = z
  .object({
    revision: z
      .number('must be the number of the current list you saw (0 when there was none); reload the page to get it')
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(2_147_483_647)
      .optional(),
  })
  .default({});
export type RestoreChaptersBody = z.infer<typeof RestoreChaptersSchema>;
