import { z } from 'zod';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');

const PlanFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  periodStart: IsoDate,
  periodEnd: IsoDate,
  requiredHours: z.number().min(0.01, 'must be at least 0.01 hours').max(10_000),
  mode: z.enum(['watch_time', 'per_lecture']).default('watch_time'),
  creditHoursPerLecture: z.number().min(0.01, 'must be at least 0.01 hours').max(100).nullable().default(null),
  unitIds: z.array(z.uuid('must be unit ids')).max(500).default([]),
  categories: z.array(z.string().trim().toLowerCase()).max(50).default([]),
  /** Position codes: the plan is for members holding one of them now (in any unit). Empty: any position or none. */
  positions: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be position codes (1-40 lower-case letters, digits, "-" or "_")'),
    )
    .max(50, 'must name at most 50 positions')
    .default([]),
  /** Training classes: the plan is for members enrolled in one of them now. Empty: whatever their classes. */
  classIds: z.array(z.uuid('must be training class ids')).max(200).default([]),
  courseIds: z.array(z.uuid('must be course ids')).max(2000).nullable().default(null),
  compulsoryLectureIds: z.array(z.uuid('must be lecture ids')).max(500).default([]),
  /** Exams a member must pass (best graded attempt that was not voided) for the plan to be met. */
  examIds: z.array(z.uuid('must be exam ids')).max(50, 'must name at most 50 exams').default([]),
  /** Accepted learning reflections (read or excellent) a member must have for the plan to be met; 0: none. */
  requiredReflections: z
    .number('must be a number of reflections')
    .int('must be a whole number of reflections')
    .min(0, 'must be 0 or more reflections')
    .max(50, 'must be at most 50 reflections')
    .default(0),
  completionThreshold: z.number().gt(0).max(1).default(0.95),
});

const consistent = <T extends { periodStart?: string; periodEnd?: string; mode?: string; creditHoursPerLecture?: number | null }>(
  plan: T,
  ctx: z.RefinementCtx,
) => {
  if (plan.periodStart && plan.periodEnd && plan.periodEnd < plan.periodStart) {
    ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'must not be before periodStart' });
  }
  if (plan.mode === 'per_lecture' && !plan.creditHoursPerLecture) {
    ctx.addIssue({ code: 'custom', path: ['creditHoursPerLecture'], message: 'is required when mode is per_lecture' });
  }
};

export const CreatePlanSchema = PlanFields.superRefine(consistent);
export type CreatePlanInput = z.infer<typeof CreatePlanSchema>;

export const MakeupSchema = z.object({ until: IsoDate });
