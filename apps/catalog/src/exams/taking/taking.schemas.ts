import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

const Key = z.string().min(1).max(8);

/** What a member answers, by kind (see MemberAnswer in #contracts). */
export const MemberAnswerSchema = z.union([
  z.strictObject({ keys: z.array(Key).max(26, 'choose at most 26 options') }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ blanks: z.array(z.string().max(500, 'each blank takes at most 500 characters')).max(50) }),
  z.strictObject({ text: z.string().max(10_000, 'keep the answer to at most 10,000 characters') }),
]);

export const SaveAnswerSchema = z.strictObject({
  answer: MemberAnswerSchema,
  baseRevision: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
});
export type SaveAnswerBody = z.infer<typeof SaveAnswerSchema>;

export const ItemParam = z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(1000);

export const DEVICE_HEADER = 'x-exam-device';

/** The browser's device key: 16 to 128 visible characters. */
export function deviceKey(value: string | string[] | undefined, required: true): string;
export function deviceKey(value: string | string[] | undefined, required: false): string | null;
export function deviceKey(value: string | string[] | undefined, required: boolean): string | null {
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || key === '') {
    if (!required) return null;
    throw new BadRequestException('Send this device’s exam key in the X-Exam-Device header (reload the exam page to get one).');
  }
  if (!/^[\x21-\x7e]{16,128}$/.test(key)) {
    throw new BadRequestException('The X-Exam-Device header must be 16 to 128 visible characters. Reload the exam page to get a new one.');
  }
  return key;
}

export const GradeSchema = z.strictObject({
  attemptId: z.uuid('must be the id of an attempt'),
  item: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
  points: z
    .number()
    .min(0, 'must be 0 or more')
    .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, 'use at most 2 decimals'),
  comment: z.string().trim().max(2000, 'keep the comment to at most 2000 characters').default(''),
});
export type GradeBody = z.infer<typeof GradeSchema>;

const Reason = z.string().trim().min(1, 'say why').max(1000, 'keep the reason to at most 1000 characters');
export const VoidSchema = z.strictObject({ reason: Reason });
export type VoidBody = z.infer<typeof VoidSchema>;
export const ExtraAttemptSchema = z.strictObject({ userId: z.uuid('must be the id of a member'), reason: Reason });
export type ExtraAttemptBody = z.infer<typeof ExtraAttemptSchema>;

export const ListAttemptsQuerySchema = z.object({
  unitId: z.uuid('must be the id of a unit').optional(),
  userId: z.uuid('must be the id of a member').optional(),
  status: z.enum(['in_progress', 'grading', 'graded', 'voided']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListAttemptsQuery = z.infer<typeof ListAttemptsQuerySchema>;
