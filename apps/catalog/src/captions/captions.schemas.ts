import { z } from 'zod';
import { CAPTION_LANGS } from '#contracts';

export const CaptionLangParam = z.enum(CAPTION_LANGS, { error: 'must be zh-CN or en' });

export const CaptionUploadQuerySchema = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, 'give the name of the file you upload')
    .max(255, 'the file name must be at most 255 characters; rename the file and upload again')
    .optional(),
});
export type CaptionUploadQuery = z.infer<typeof CaptionUploadQuerySchema>;

export const CaptionVersionIdParam = z.uuid('must be the id (uuid) of an earlier version, as the list of earlier versions gives it');

export const RestoreCaptionSchema = z
  .object({
    currentId: z
      .uuid('must be the id (uuid) of the current text you saw, or null when the language had none; reload the page to get it')
      .nullable()
      .optional(),
  })
  .default({});
export type RestoreCaptionBody = z.infer<typeof RestoreCaptionSchema>;
