import { z } from 'zod';
import { PROGRAM_REQUEST_LIMITS as LIMITS, PROGRAM_REQUEST_STATUSES } from '#contracts';

// eslint-disable-next-line no-control-regex -- control characters other than line breaks are what must be refused
const noControl = (value: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
const Text = (max: number, what: string) =>
  z
    .string(`${what} must be text`)
    .trim()
    .max(max, `${what} must be at most ${max} characters; shorten it`)
    .refine(noControl, `${what} must not contain control characters`);
const Required = (max: number, what: string, hint: string) => Text(max, what).pipe(z.string().min(1, hint));

export const CreateRequestSchema = z.object({
  title: Required(LIMITS.title, 'title', 'say in a few words what you would like to learn'),
  detail: Text(LIMITS.detail, 'detail').default(''),
  categoryId: z.uuid('must be the id of a course category, or be left out').nullish(),
});
export type CreateRequestInput = z.infer<typeof CreateRequestSchema>;

export const SimilarQuerySchema = z.object({
  q: Text(LIMITS.query, 'q').default(''),
});
export type SimilarQuery = z.infer<typeof SimilarQuerySchema>;

export const AnswerSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('planned'), note: Required(LIMITS.note, 'note', 'say what is planned, for example when') }),
    z.object({
      kind: z.literal('course'),
      courseId: z.uuid('must be the id of a published course: pick one from the list'),
      note: Text(LIMITS.note, 'note').optional(),
    }),
    z.object({
      kind: z.literal('declined'),
      reason: Required(LIMITS.reason, 'reason', 'a declined request needs a reason the members can read'),
    }),
  ],
  'kind must be planned, course or declined',
);
export type AnswerInput = z.infer<typeof AnswerSchema>;

export const MergeSchema = z.object({ intoId: z.uuid('must be the id of the request to keep') });
export type MergeInput = z.infer<typeof MergeSchema>;

const CategoryCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a member category code')
  .optional();

export const DemandQuerySchema = z.object({
  unitId: z.uuid('must be the id of a unit in your organisation').optional(),
  category: CategoryCode,
  status: z.enum(PROGRAM_REQUEST_STATUSES, 'must be open, planned, answered, declined or withdrawn').optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(500, 'must be at most 500').default(100),
});
export type DemandQuery = z.infer<typeof DemandQuerySchema>;

export const CourseSearchSchema = z.object({ q: Text(LIMITS.query, 'q').default('') });
export type CourseSearchQuery = z.infer<typeof CourseSearchSchema>;

export const ReportQuerySchema = z.object({
  unitId: z.uuid('must be the id of a unit in your organisation').optional(),
  category: CategoryCode,
  weeks: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(104, 'must be at most 104').default(12),
  format: z.enum(['json', 'table', 'csv', 'xlsx'], 'must be json, table, csv or xlsx').default('json'),
  lang: z.enum(['zh-CN', 'en'], 'must be zh-CN or en').default('zh-CN'),
});
export type ReportQuery = z.infer<typeof ReportQuerySchema>;
