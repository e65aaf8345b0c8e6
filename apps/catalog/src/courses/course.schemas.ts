import { z } from 'zod';

const Title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Description = z.string().trim().max(5000, 'must be at most 5000 characters');

export const CreateCourseSchema = z.object({
  title: Title,
  description: Description.default(''),
  categoryId: z.uuid('must be the id of a course category'),
  compulsory: z.boolean().default(false),
  /** Left out: everyone for a committee editor, the owning unit for any other editor. */
  visibleUnitIds: z.array(z.uuid('must be unit ids')).max(200).optional(),
  /** The unit whose editors edit the course, inside the editor's subtree; left out, the editor's own unit. */
  ownerUnitId: z.uuid('must be the id of a unit').optional(),
  /** Members may watch a lecture while it is still being encoded, once it is previewable. */
  publishWhenPreviewable: z.boolean('must be true or false').default(false),
});
export type CreateCourseInput = z.infer<typeof CreateCourseSchema>;

export const UpdateCourseSchema = z
  .object({
    title: Title,
    description: Description,
    categoryId: z.uuid('must be the id of a course category'),
    compulsory: z.boolean(),
    visibleUnitIds: z.array(z.uuid('must be unit ids')).max(200),
    ownerUnitId: z.uuid('must be the id of a unit'),
    publishWhenPreviewable: z.boolean('must be true or false'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UpdateCourseInput = z.infer<typeof UpdateCourseSchema>;

export const CreateLectureSchema = z.object({
  title: Title,
  speaker: z.string().trim().max(200).default(''),
  description: Description.default(''),
  assetId: z.uuid('must be a media asset id').nullable().optional(),
});
export type CreateLectureInput = z.infer<typeof CreateLectureSchema>;

export const UpdateLectureSchema = z
  .object({
    title: Title,
    speaker: z.string().trim().max(200),
    description: Description,
    assetId: z.uuid('must be a media asset id').nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UpdateLectureInput = z.infer<typeof UpdateLectureSchema>;

export const LectureOrderSchema = z.object({
  lectureIds: z.array(z.uuid('must be lecture ids')).min(1).max(500),
});

export const BrowseCoursesQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  categoryId: z.uuid('must be the id of a course category').optional(),
  sort: z.enum(['newest', 'popular']).default('newest'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type BrowseCoursesQuery = z.infer<typeof BrowseCoursesQuerySchema>;

export const CreateCourseCategorySchema = z.object({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, "-" or "_"'),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
});
export type CreateCourseCategoryInput = z.infer<typeof CreateCourseCategorySchema>;
