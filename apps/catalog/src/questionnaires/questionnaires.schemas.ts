import { z } from 'zod';
import { QUESTIONNAIRE_LIMITS as L } from '#contracts';

const Id = (what: string) => z.uuid(`must be ${what} id (uuid)`);
const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time such as 2026-03-01T09:00:00+08:00' });
const Text = (max: number) => z.string('must be text').max(max, `must be at most ${max} characters`);
const OptionId = z.string('must be an option id').regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be an option id: 1 to 40 letters, digits, _ or -');

const OptionSchema = z.object({
  id: OptionId,
  label: Text(L.optionLabel).trim().min(1, 'must not be empty: give the option a label'),
  other: z.boolean('must be true or false').optional(),
});

const QuestionSchema = z.object({
  id: Id('a question'),
  kind: z.enum(['single', 'multiple', 'rating', 'ranking', 'text'], 'must be single, multiple, rating, ranking or text'),
  prompt: Text(L.prompt).trim().min(1, 'must not be empty: write the question'),
  required: z.boolean('must be true or false').default(false),
  options: z.array(OptionSchema).max(L.options, `must have at most ${L.options} options`).default([]),
  scale: z
    .object({
      min: z.number('must be a number').int('must be 0 or 1').min(0, 'must be 0 or 1').max(1, 'must be 0 or 1'),
      max: z
        .number('must be a number')
        .int('must be a whole number from 2 to 10')
        .min(2, 'must be at least 2')
        .max(10, 'must be at most 10'),
      minLabel: Text(L.scaleLabel).trim().default(''),
      maxLabel: Text(L.scaleLabel).trim().default(''),
    })
    .nullable()
    .default(null),
  showIf: z
    .object({
      questionId: Id('an earlier question'),
      optionIds: z.array(OptionId).max(L.options, `must have at most ${L.options} options`),
    })
    .nullable()
    .default(null),
});

const AudienceSchema = z.object(
  {
    unitIds: z.array(Id('a unit')).max(500, 'must have at most 500 units').default([]),
    categories: z.array(z.string().trim().toLowerCase().max(40)).max(50).default([]),
    positions: z.array(z.string().trim().toLowerCase().max(40)).max(50).default([]),
    classIds: z.array(Id('a training class')).max(200).default([]),
  },
  'must say who the questionnaire is for: { unitIds, categories, positions, classIds }',
);

export const QuestionnaireSchema = z.object({
  title: Text(L.title).trim().min(1, 'must not be empty: give the questionnaire a title'),
  intro: Text(L.intro).trim().default(''),
  anonymous: z.boolean('must be true or false').default(false),
  opensAt: Instant,
  closesAt: Instant,
  audience: AudienceSchema,
  questions: z.array(QuestionSchema).max(L.questions, `must have at most ${L.questions} questions`).default([]),
});
export type QuestionnaireBody = z.infer<typeof QuestionnaireSchema>;

export const QuestionnaireQuery = z.object({
  status: z.enum(['draft', 'open', 'closed', 'archived'], 'must be draft, open, closed or archived').optional(),
});
export type QuestionnaireQuery = z.infer<typeof QuestionnaireQuery>;

export const ActionParam = z.enum(['open', 'close', 'archive'], 'must be open, close or archive');

const AnswerSchema = z.object(
  {
    optionIds: z.array(OptionId).max(L.options).optional(),
    otherText: Text(L.otherText).optional(),
    rating: z.number('must be a number').int('must be a whole number').min(0).max(10).optional(),
    ranking: z.array(OptionId).max(L.options).optional(),
    text: Text(L.text).optional(),
  },
  'must be an answer: { optionIds, otherText }, { rating }, { ranking } or { text }',
);

export const AnswersSchema = z.object({
  answers: z
    .record(Id('a question'), AnswerSchema)
    .refine((answers) => Object.keys(answers).length <= L.questions, `must answer at most ${L.questions} questions`),
});
export type AnswersBody = z.infer<typeof AnswersSchema>;
