import { z } from 'zod';

export const LoginSchema = z.object({
  login: z.string().trim().min(1, 'enter your username').max(64).toLowerCase(),
  password: z.string().min(1, 'enter your password').max(200),
});
export type LoginInput = z.infer<typeof LoginSchema>;

/** Login names: lower-case letters, digits, dot, dash, underscore; 2-64 characters. */
export const LoginNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2-64 letters, digits, ".", "-" or "_", starting with a letter or digit');

export const PasswordSchema = z.string().min(8, 'must be at least 8 characters').max(200);

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'enter your current (or one-time) password').max(200),
    newPassword: PasswordSchema,
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;
