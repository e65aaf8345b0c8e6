import { z } from 'zod';

/** A calendar day as YYYY-MM-DD, within years a record can sensibly carry. */
export const DaySchema = z.iso
  .date('must be a date as YYYY-MM-DD')
  .refine((day) => day >= '1900-01-01' && day <= '2199-12-31', 'must be a date between 1900 and 2199');

export const PositionCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, "-" or "_"');

const KindName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const CreatePositionKindSchema = z.object({ code: PositionCodeSchema, nameZh: KindName, nameEn: KindName });
export type CreatePositionKindInput = z.infer<typeof CreatePositionKindSchema>;

export const AppointSchema = z.object({
  orgUnitId: z.uuid('must be the id of a unit'),
  positionCode: PositionCodeSchema,
  startedOn: DaySchema.optional(),
});
export type AppointInput = z.infer<typeof AppointSchema>;

export const EndPositionSchema = z.object({ endedOn: DaySchema.optional() }).default({});
export type EndPositionInput = z.infer<typeof EndPositionSchema>;
