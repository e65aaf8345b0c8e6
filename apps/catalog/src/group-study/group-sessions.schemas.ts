import { z } from 'zod';
import { GROUP_SESSION_LIMITS, GROUP_SESSION_STATUSES } from '#contracts';

const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time such as 2026-03-01T09:00:00+08:00' });
const text = (max: number, what: string) =>
  z
    .string(`must be text: ${what}`)
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((v) => v || null);
const optionalText = (max: number, what: string) =>
  text(max, what)
    .nullish()
    .transform((v) => v ?? null);

export const CreateCollectiveSchema = z.object({
  lectureId: z.uuid('must be the id of the lecture to show'),
  unitId: z.uuid('must be the id of the unit whose members attend'),
});
export type CreateCollectiveInput = z.infer<typeof CreateCollectiveSchema>;

export const CreateInPersonSchema = z.object({
  unitId: z.uuid('must be the id of the unit whose members attend'),
  topic: z
    .string('must be the topic of the session')
    .trim()
    .min(1, 'must say what the session is about')
    .max(GROUP_SESSION_LIMITS.topic, `must be at most ${GROUP_SESSION_LIMITS.topic} characters`),
  startsAt: Instant,
  endsAt: Instant,
  place: optionalText(GROUP_SESSION_LIMITS.place, 'where it is held'),
  speaker: optionalText(GROUP_SESSION_LIMITS.speaker, 'who speaks'),
  materials: optionalText(GROUP_SESSION_LIMITS.materials, 'what was studied'),
});
export type CreateInPersonInput = z.infer<typeof CreateInPersonSchema>;

export const ListSessionsQuerySchema = z.object({
  status: z.enum(GROUP_SESSION_STATUSES, `must be one of ${GROUP_SESSION_STATUSES.join(', ')}`).optional(),
  unitId: z.uuid('must be a unit id').optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(100),
});
export type ListSessionsQuery = z.infer<typeof ListSessionsQuerySchema>;

export const AttendedQuerySchema = z.object({
  limit: z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(200),
});
export type AttendedQuery = z.infer<typeof AttendedQuerySchema>;

const Note = optionalText(GROUP_SESSION_LIMITS.note, 'why');

export const AttendanceTickSchema = z.object({
  userId: z.uuid('must be the id of a member on the roster'),
  present: z.boolean('must be true (present) or false (checked out)'),
  note: Note,
});
export type AttendanceTickInput = z.infer<typeof AttendanceTickSchema>;

export const AttendanceUndoSchema = z.object({
  userId: z.uuid('must be the id of a member on the roster'),
  note: Note,
});
export type AttendanceUndoInput = z.infer<typeof AttendanceUndoSchema>;

export const CheckinSchema = z.object({
  code: z
    .string('must be the six digits shown on the screen')
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'must be the six digits shown on the screen')),
  sessionId: z.uuid('must be the session id from the QR link').optional(),
});
export type CheckinInput = z.infer<typeof CheckinSchema>;
