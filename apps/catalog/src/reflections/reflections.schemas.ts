import { z } from 'zod';
import { REFLECTION_LIMITS } from '#contracts';

const Title = z.string().trim().max(REFLECTION_LIMITS.title, `must be at most ${REFLECTION_LIMITS.title} characters`);
const Body = z.string().max(REFLECTION_LIMITS.body, `must be at most ${REFLECTION_LIMITS.body} characters; shorten the text`);

/** The text of a reflection; a draft may be empty, a submission may not (checked when it is sent). */
export const SaveReflectionSchema = z.object({
  title: Title.default(''),
  body: Body.default(''),
});
export type SaveReflectionInput = z.infer<typeof SaveReflectionSchema>;

export const CreateReflectionSchema = SaveReflectionSchema.extend({
  lectureId: z.uuid('must be the id of a lecture').optional(),
  courseId: z.uuid('must be the id of a course').optional(),
  planId: z.uuid('must be the id of a study plan').optional(),
  /** Send it for review at once. */
  submit: z.boolean('must be true or false').default(false),
}).refine((v) => [v.lectureId, v.courseId, v.planId].filter(Boolean).length <= 1, {
  path: ['lectureId'],
  message: 'a reflection is about one lecture, one course or one plan: give at most one of lectureId, courseId and planId',
});
export type CreateReflectionInput = z.infer<typeof CreateReflectionSchema>;

/** Sending for review; the text may come along (the page's latest), or the saved draft is sent. */
export const SubmitReflectionSchema = z.object({ title: Title.optional(), body: Body.optional() }).default({});
export type SubmitReflectionInput = z.infer<typeof SubmitReflectionSchema>;

export const ConsentSchema = z.object({ consent: z.boolean('must be true or false') });
export type ConsentInput = z.infer<typeof ConsentSchema>;

export const ReviewSchema = z
  .object({
    verdict: z.enum(['read', 'excellent', 'returned'], 'must be read, excellent or returned'),
    comment: z.string().trim().max(REFLECTION_LIMITS.comment, `must be at most ${REFLECTION_LIMITS.comment} characters`).default(''),
  })
  .refine((v) => v.verdict !== 'returned' || v.comment.length > 0, {
    path: ['comment'],
    message: 'say what to revise: a reflection returned for revision needs a comment',
  });
export type ReviewInput = z.infer<typeof ReviewSchema>;

export const ReflectionsReportQuerySchema = z.object({
  unitId: z.uuid('must be a unit id').optional(),
  format: z.enum(['json', 'csv', 'xlsx'], 'must be json, csv or xlsx').default('json'),
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
});
export type ReflectionsReportQuery = z.infer<typeof ReflectionsReportQuerySchema>;
