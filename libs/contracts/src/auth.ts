import { z } from 'zod';

import { UuidSchema } from './common.js';

// NFKC + trim so the same address typed on two keyboards is one account.
const EmailSchema = z
  .string()
  .trim()
  .max(254, 'Email addresses are at most 254 characters')
  .pipe(z.email({ message: 'Enter an email address such as name@example.org' }))
  .transform((e) => e.normalize('NFKC').toLowerCase());

// ASVS 6.2.1/6.2.9: at least 12 characters, long passphrases allowed, nothing else imposed.
const NewPasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters; a passphrase of several words is easiest')
  .max(256, 'Passwords are at most 256 characters');

export const SignInRequestSchema = z
  .object({
    email: EmailSchema,
    password: z.string().min(1, 'Enter your password').max(256, 'Passwords are at most 256 characters'),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const SignUpRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name').max(120, 'Names are at most 120 characters'),
    email: EmailSchema,
    password: NewPasswordSchema,
    organisationName: z
      .string()
      .trim()
      .min(1, 'Enter the organisation name')
      .max(200, 'Organisation names are at most 200 characters'),
  })
  .strict();
export type SignUpRequest = z.infer<typeof SignUpRequestSchema>;

export const RoleSchema = z.enum(['owner', 'assessor', 'contributor', 'auditor']);
export type Role = z.infer<typeof RoleSchema>;

export const UserSchema = z.object({ id: UuidSchema, email: z.string(), name: z.string() });
export type User = z.infer<typeof UserSchema>;

export const MembershipSchema = z.object({
  organisationId: UuidSchema,
  organisationName: z.string(),
  role: RoleSchema,
  accountableIndividual: z.boolean(),
});
export type Membership = z.infer<typeof MembershipSchema>;

export const MeResponseSchema = z.object({
  user: UserSchema,
  memberships: z.array(MembershipSchema),
  /** Send back as `X-CSRF-Token` on every cookie-authenticated write. */
  csrfToken: z.string(),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const SignUpResponseSchema = MeResponseSchema;
export type SignUpResponse = z.infer<typeof SignUpResponseSchema>;
