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
  .object({ slug: SlugSchema.optional(), name: z.string().trim().min(1).max(200).optional() })
  .refine((v) => v.slug !== undefined || v.name !== undefined, 'give a new name or slug');
export type UpdateOrgUnitInput = z.infer<typeof UpdateOrgUnitSchema>;

export const UuidParam = z.uuid('must be an id (uuid)');
