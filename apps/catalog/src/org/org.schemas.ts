import { z } from 'zod';
import { ORG_UNIT_KINDS } from './org-unit.entity.js';

export const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lower-case letters, digits or "-"');

export const CreateOrgUnitSchema = z.object({
  parentId: z.uuid('must be the id of a unit'),
  slug: SlugSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  kind: z.enum(ORG_UNIT_KINDS).default('group'),
});
export type CreateOrgUnitInput = z.infer<typeof CreateOrgUnitSchema>;

export const UpdateOrgUnitSchema = z
  .object({ slug: SlugSchema.optional(), name: z.string().trim().min(1, 'must not be empty').max(200).optional() })
  .refine((v) => v.slug !== undefined || v.name !== undefined, 'give a new name or short name (slug)');
export type UpdateOrgUnitInput = z.infer<typeof UpdateOrgUnitSchema>;

export const MoveOrgUnitSchema = z.object({ parentId: z.uuid('must be the id of the new parent unit') });
export type MoveOrgUnitInput = z.infer<typeof MoveOrgUnitSchema>;

export const SearchOrgUnitsQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'type part of a name, its pinyin initials, a short name or a path')
    .max(100, 'must be at most 100 characters'),
});
export type SearchOrgUnitsInput = z.infer<typeof SearchOrgUnitsQuery>;

export const UuidParam = z.uuid('must be an id (uuid)');
