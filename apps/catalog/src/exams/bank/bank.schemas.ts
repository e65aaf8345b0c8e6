import { z } from 'zod';
import { QUESTION_KINDS } from '#contracts';

const Kind = z.enum(QUESTION_KINDS as ['single', ...Array<'single'>], 'must be single, multiple, true_false, fill_blank or short_answer');
const Id = (what: string) => z.uuid(`must be ${what} id (uuid)`);
const Points = z.number('must be a number').gt(0, 'must be above 0').max(100, 'must be at most 100');
const Difficulty = z.number('must be a number').int('must be a whole number from 1 to 5').min(1).max(5);

/**
 * A question as the editor sends it. The answer's shape depends on the kind (see `checkQuestion`, which
 * words what is missing), so every kind's field is optional here.
 */
export const QuestionSchema = z.object({
  kind: Kind,
  stem: z.string('must be text').max(8000, 'must be at most 4000 characters'),
  options: z
    .array(z.object({ key: z.string('must be a letter A to H').max(10), text: z.string('must be text').max(2000) }))
    .max(20, 'must have at most 8 options')
    .default([]),
  answer: z.object(
    {
      keys: z.array(z.string().max(10)).max(20).optional(),
      value: z.boolean('must be true or false').optional(),
      blanks: z
        .array(z.array(z.string().max(500)).max(30))
        .max(50)
        .optional(),
      reference: z.string('must be text').max(8000).optional(),
    },
    'must be the correct answer: { keys }, { value }, { blanks } or { reference }',
  ),
  points: Points.default(1),
  explanation: z.string('must be text').max(8000).default(''),
  topic: z.string('must be text').max(200).nullable().default(null),
  courseId: Id('a course').nullable().default(null),
  lectureId: Id('a lecture').nullable().default(null),
  difficulty: Difficulty.nullable().default(null),
  tags: z.array(z.string('must be text').max(200)).max(50, 'must have at most 20 tags').default([]),
  imageId: Id('an image').nullable().default(null),
  ownerUnitId: Id('a unit').optional(),
});
export type QuestionBody = z.infer<typeof QuestionSchema>;

const Bool = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1')
  .optional();
const Limit = z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50);
const Cursor = z.string().max(200).optional();

export const QuestionQuery = z.object({
  q: z.string().trim().max(200).optional(),
  kind: Kind.optional(),
  topic: z.string().trim().max(100).optional(),
  courseId: Id('a course').optional(),
  difficulty: z.coerce.number().pipe(Difficulty).optional(),
  includeRetired: Bool,
  limit: Limit,
  cursor: Cursor,
});
export type QuestionQuery = z.infer<typeof QuestionQuery>;

export const ImportQuery = z.object({
  fileName: z
    .string()
    .max(255, 'must be at most 255 characters')
    // eslint-disable-next-line no-control-regex -- control characters have no place in a file name
    .transform((name) => name.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .optional(),
  ownerUnitId: Id('a unit').optional(),
});

const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time such as 2026-03-01T09:00:00+08:00' });

const DrawRuleSchema = z.object({
  kind: Kind,
  topic: z.string().trim().max(100).nullable().optional(),
  courseId: Id('a course').nullable().optional(),
  difficulty: Difficulty.nullable().optional(),
  count: z.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200'),
  points: Points.nullable().optional(),
});

export const ExamSchema = z.object({
  title: z.string('must be text').trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string('must be text').max(4000, 'must be at most 4000 characters').default(''),
  paperKind: z.enum(['fixed', 'drawn'], 'must be fixed or drawn'),
  fixedItems: z
    .array(z.object({ questionId: Id('a question'), points: Points.nullable().optional() }))
    .max(500, 'must have at most 500 questions')
    .default([]),
  drawRules: z.array(DrawRuleSchema).max(50, 'must have at most 50 rules').default([]),
  timeLimitMin: z
    .number('must be a number')
    .int('must be whole minutes')
    .min(1, 'must be at least 1 minute')
    .max(600, 'must be at most 600 minutes'),
  passPercent: z.number('must be a number').gt(0, 'must be above 0').max(100, 'must be at most 100'),
  maxAttempts: z
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(20, 'must be at most 20')
    .default(1),
  shuffleQuestions: z.boolean('must be true or false').default(true),
  shuffleOptions: z.boolean('must be true or false').default(true),
  multipleScoring: z.enum(['all_or_nothing', 'partial'], 'must be all_or_nothing or partial').default('partial'),
  opensAt: Instant,
  closesAt: Instant,
  showAnswers: z.boolean('must be true or false').default(false),
  creditHours: z.number('must be a number').gt(0, 'must be above 0').max(100, 'must be at most 100').nullable().default(null),
  requiresCourseId: Id('a course').nullable().default(null),
  requiresPlanId: Id('a study plan').nullable().default(null),
  requiresShare: z.number('must be a number').gt(0, 'must be above 0').max(1, 'must be at most 1 (all)').nullable().default(null),
  preExamId: Id('an exam').nullable().default(null),
  audience: z.object({
    unitIds: z.array(Id('a unit')).max(500).default([]),
    categories: z.array(z.string().trim().toLowerCase().max(40)).max(50).default([]),
    positions: z.array(z.string().trim().toLowerCase().max(40)).max(50).default([]),
    classIds: z.array(Id('a training class')).max(200).default([]),
  }),
  ownerUnitId: Id('a unit').optional(),
});
export type ExamBody = z.infer<typeof ExamSchema>;

export const ExamQuery = z.object({
  status: z.enum(['draft', 'published', 'archived'], 'must be draft, published or archived').optional(),
  limit: Limit,
  cursor: Cursor,
});
export type ExamQuery = z.infer<typeof ExamQuery>;
