import { z } from 'zod';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');

/** A figure kept with two decimals (numeric(·, 2)): refused, not rounded, when it has more. */
const hundredths = (unit: string, min: number, max: number) =>
  z
    .number(`must be a number of ${unit}`)
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`)
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, `must have at most two decimals (${unit})`);

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
  /** Most hours credited on one day (lectures and in-person together); null: no limit. */
  dailyLimitHours: hundredths('hours a day', 0.01, 24).nullable().default(null),
  /** "N minutes of study make one study hour"; 60: an hour is an hour. */
  minutesPerStudyHour: hundredths('minutes', 10, 240).default(60),
  /** Per-lecture plans: only lectures at least this many minutes long earn their hours; null: any length. */
  minLectureMinutes: hundredths('minutes', 0.01, 1440).nullable().default(null),
  /** Which kinds of study count (each part of a day's credit; see `countStudy` in libs/watch). */
  countsSpeedup: z.boolean('must be true or false').default(true),
  countsAudio: z.boolean('must be true or false').default(true),
  countsCollective: z.boolean('must be true or false').default(true),
  countsInPerson: z.boolean('must be true or false').default(true),
  /** Most in-person hours counted over the whole plan; null: no cap. */
  inPersonMaxHours: hundredths('hours', 0, 10_000).nullable().default(null),
  /** Minutes of reading that make a course material "read" for the plan; null: reading does not count. No study hours. */
  materialReadMinutes: z
    .number('must be a number of minutes')
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(600, 'must be at most 600 minutes')
    .nullable()
    .default(null),
  /** How often hidden-page or audio-only listening asks "still listening?": a range in minutes, or null for never. */
  checkinMinMinutes: z
    .number('must be a number of minutes')
    .int('must be a whole number of minutes')
    .min(2, 'must be at least 2 minutes')
    .max(120, 'must be at most 120 minutes')
    .nullable()
    .default(10),
  checkinMaxMinutes: z
    .number('must be a number of minutes')
    .int('must be a whole number of minutes')
    .min(2, 'must be at least 2 minutes')
    .max(120, 'must be at most 120 minutes')
    .nullable()
    .default(20),
});

const consistent = <
  T extends {
    periodStart?: string;
    periodEnd?: string;
    mode?: string;
    creditHoursPerLecture?: number | null;
    minLectureMinutes?: number | null;
    countsInPerson?: boolean;
    inPersonMaxHours?: number | null;
    checkinMinMinutes?: number | null;
    checkinMaxMinutes?: number | null;
  },
>(
  plan: T,
  ctx: z.RefinementCtx,
) => {
  if (plan.periodStart && plan.periodEnd && plan.periodEnd < plan.periodStart) {
    ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'must not be before periodStart' });
  }
  if (plan.mode === 'per_lecture' && !plan.creditHoursPerLecture) {
    ctx.addIssue({ code: 'custom', path: ['creditHoursPerLecture'], message: 'is required when mode is per_lecture' });
  }
  if (plan.mode !== 'per_lecture' && plan.minLectureMinutes != null) {
    ctx.addIssue({
      code: 'custom',
      path: ['minLectureMinutes'],
      message: 'applies only to per-lecture plans (mode per_lecture); leave it empty for a watch-time plan',
    });
  }
  if (plan.countsInPerson === false && plan.inPersonMaxHours != null) {
    ctx.addIssue({
      code: 'custom',
      path: ['inPersonMaxHours'],
      message: 'is a cap on in-person study, which this plan does not count; leave it empty or count in-person study',
    });
  }
  const min = plan.checkinMinMinutes ?? null;
  const max = plan.checkinMaxMinutes ?? null;
  if ((min === null) !== (max === null)) {
    ctx.addIssue({
      code: 'custom',
      path: [min === null ? 'checkinMinMinutes' : 'checkinMaxMinutes'],
      message: 'give both ends of the check-in interval, or neither for no check-ins',
    });
  } else if (min !== null && max !== null && max < min) {
    ctx.addIssue({ code: 'custom', path: ['checkinMaxMinutes'], message: 'must not be below checkinMinMinutes' });
  }
};

export const CreatePlanSchema = PlanFields.superRefine(consistent);
export type CreatePlanInput = z.infer<typeof CreatePlanSchema>;

export const MakeupSchema = z.object({ until: IsoDate });
