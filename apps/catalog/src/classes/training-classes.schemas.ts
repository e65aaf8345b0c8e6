import { z } from 'zod';
import { ROLES } from '#auth';
import { CategoryCodeSchema } from '../members/member.schemas.js';
import { DaySchema, PositionCodeSchema } from '../org/positions.schemas.js';

const ClassName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Description = z.string().trim().max(2000, 'must be at most 2000 characters');
const endsAfterStart = (v: { startsOn?: string; endsOn?: string }) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn;
const endsAfterStartIssue = { message: 'the end date must be on or after the start date', path: ['endsOn'] };

export const CreateClassSchema = z
  .object({
    name: ClassName,
    description: Description.default(''),
    /** The unit that runs the class; the caller's own unit when not given. */
    ownerUnitId: z.uuid('must be the id of a unit').optional(),
    startsOn: DaySchema,
    endsOn: DaySchema,
  })
  .refine(endsAfterStart, endsAfterStartIssue);
export type CreateClassInput = z.infer<typeof CreateClassSchema>;

export const UpdateClassSchema = z
  .object({
    name: ClassName,
    description: Description,
    ownerUnitId: z.uuid('must be the id of a unit'),
    startsOn: DaySchema,
    endsOn: DaySchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
  .refine(endsAfterStart, endsAfterStartIssue);
export type UpdateClassInput = z.infer<typeof UpdateClassSchema>;

const Flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const ListClassesQuerySchema = z.object({
  includeArchived: Flag,
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListClassesQuery = z.infer<typeof ListClassesQuerySchema>;

export const ListEnrolmentsQuerySchema = z.object({
  /** current: enrolled now; withdrawn: no longer; all (default): both. */
  status: z.enum(['all', 'current', 'withdrawn']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListEnrolmentsQuery = z.infer<typeof ListEnrolmentsQuerySchema>;

export const EnrolSchema = z.object({
  userIds: z.array(z.uuid('must be ids of people')).min(1, 'name at least one person').max(1000, 'at most 1000 people at once'),
});
export type EnrolInput = z.infer<typeof EnrolSchema>;

/** The member list's filter, as a JSON body. `preview: true` counts without enrolling. */
export const EnrolByFilterSchema = z.object({
  unitId: z.uuid('must be the id of a unit').optional(),
  category: CategoryCodeSchema.optional(),
  position: PositionCodeSchema.optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
  q: z.string().trim().max(100).optional(),
  preview: z.boolean().default(false),
});
export type EnrolByFilterInput = z.infer<typeof EnrolByFilterSchema>;
