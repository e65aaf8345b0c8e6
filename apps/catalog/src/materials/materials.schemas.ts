import { z } from 'zod';
import { MATERIAL_LIMITS } from '#contracts';
import { MATERIAL_LINK_VARIANTS } from './material-link.js';

export const UpdateMaterialSchema = z
  .strictObject(
    {
      title: z
        .string({ error: 'title must be text' })
        .trim()
        .min(1, 'title must not be empty')
        .max(MATERIAL_LIMITS.title, `title must be at most ${MATERIAL_LIMITS.title} characters`),
      lectureId: z.uuid('lectureId must be the id of a lecture of this course, or null for the whole course').nullable(),
      position: z
        .number({ error: 'position must be a number: 0 puts the material first' })
        .int('position must be a whole number: 0 puts the material first')
        .min(0, 'position must be 0 or more: 0 puts the material first')
        .max(10_000, 'position must be at most 10000'),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `only title, lectureId and position can be changed` : undefined) },
  )
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'give at least one of title, lectureId or position to change');
export type UpdateMaterialBody = z.infer<typeof UpdateMaterialSchema>;

export const MaterialListQuerySchema = z.object({
  includeArchived: z
    .enum(['true', 'false'], { error: 'includeArchived must be true or false' })
    .optional()
    .transform((value) => value === 'true'),
});
export type MaterialListQuery = z.infer<typeof MaterialListQuerySchema>;

export const MaterialLinkVariantParam = z.enum(MATERIAL_LINK_VARIANTS, { error: 'must be read or download' });

/** A link token: base64url body, a dot, a base64url signature. */
export const MaterialLinkTokenParam = z
  .string()
  .max(2048, 'this link is not valid')
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'this link is not valid');
