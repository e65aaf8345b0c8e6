import { z } from 'zod';
import { ROLES } from '#auth';
import { LoginNameSchema, PasswordSchema } from '../accounts/auth.schemas.js';

export const CategoryCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, "-" or "_"');

export const PersonNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const CreateMemberSchema = z.object({
  login: LoginNameSchema,
  name: PersonNameSchema,
  role: z.enum(ROLES).default('member'),
  orgUnitId: z.uuid('must be the id of a unit'),
  category: CategoryCodeSchema.nullable().optional(),
  password: PasswordSchema.optional(),
});
export type CreateMemberInput = z.infer<typeof CreateMemberSchema>;

/** Moves are recorded as transfers, so the unit is not among the fields a plain edit changes. */
export const MOVE_BY_TRANSFER =
  'A member changes unit by a transfer, so the move is recorded: use "Transfer" on the member\'s page (POST /api/transfers) instead of changing orgUnitId.';

export const UpdateMemberSchema = z
  .object({
    name: PersonNameSchema,
    role: z.enum(ROLES),
    orgUnitId: z.unknown(),
    category: CategoryCodeSchema.nullable(),
    active: z.boolean(),
    password: PasswordSchema,
  })
  .partial()
  .superRefine((v, ctx) => {
    if (v.orgUnitId !== undefined) ctx.addIssue({ code: 'custom', path: ['orgUnitId'], message: MOVE_BY_TRANSFER });
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
  .transform(({ orgUnitId: _moved, ...changes }) => changes);
export type UpdateMemberInput = z.infer<typeof UpdateMemberSchema>;

export const MEMBER_SORTS = ['name', 'login', 'unit', 'category', 'createdAt'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

const noNul = (v: string) => !v.includes('\0');

export const ListMembersQuerySchema = z.object({
  q: z.string().trim().max(100, 'must be at most 100 characters').refine(noNul, 'must not contain NUL characters').optional(),
  unitId: z.uuid('must be the id of a unit').optional(),
  category: CategoryCodeSchema.optional(),
  role: z.enum(ROLES).optional(),
  position: CategoryCodeSchema.optional(),
  classId: z.uuid('must be the id of a training class').optional(),
  active: z
    .enum(['true', 'false'], 'must be true or false')
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(MEMBER_SORTS, `must be one of: ${MEMBER_SORTS.join(', ')}`).default('name'),
  order: z.enum(['asc', 'desc'], 'must be asc or desc').default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListMembersQuery = z.infer<typeof ListMembersQuerySchema>;

export const CreateCategorySchema = z.object({
  code: CategoryCodeSchema,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
});
export type CreateCategoryInput = z.infer<typeof CreateCategorySchema>;
