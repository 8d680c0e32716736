import { z } from 'zod';

import { UuidSchema } from './common.js';
import { line, name, secret } from './text.js';

// NFKC + trim so the same address typed on two keyboards is one account.
const EmailSchema = line({ what: 'email', max: 254, tooLong: 'Email addresses are at most 254 characters' })
  .pipe(z.email({ message: 'Enter an email address such as name@example.org' }))
  .transform((e) => e.normalize('NFKC').toLowerCase());

// ASVS 6.2.1/6.2.9: at least 12 characters, long passphrases allowed, nothing else imposed.
const NewPasswordSchema = secret({
  min: 12,
  max: 256,
  tooShort: 'Use at least 12 characters; a passphrase of several words is easiest',
  tooLong: 'Passwords are at most 256 characters',
  storable: true,
});

export const SignInRequestSchema = z
  .object({
    email: EmailSchema,
    // Checked for length only: sign-in hashes it and never sends it to SQL (text.ts, secrets).
    password: secret({ min: 1, max: 256, tooShort: 'Enter your password', tooLong: 'Passwords are at most 256 characters', storable: false }),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const SignUpRequestSchema = z
  .object({
    name: name({ what: 'name', max: 120, tooLong: 'Names are at most 120 characters', required: 'Enter your name' }),
    email: EmailSchema,
    password: NewPasswordSchema,
    organisationName: name({ what: 'organisation name', max: 200, tooLong: 'Organisation names are at most 200 characters', required: 'Enter the organisation name' }),
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
  /** The address was shown to belong to the account (a confirmation link, or an accepted emailed invitation; docs/PRODUCT.md §2.5). */
  emailVerified: z.boolean(),
  /** Send back as `X-CSRF-Token` on every cookie-authenticated write. */
  csrfToken: z.string(),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const SignUpResponseSchema = MeResponseSchema;
export type SignUpResponse = z.infer<typeof SignUpResponseSchema>;
