import { z } from 'zod';

/**
 * The same email and new-password rules as sign-up (auth.ts), for the other places an address or a
 * new password arrives: invitations and accepting one as a new person. Kept identical on purpose:
 * an invitation is matched to an account by the normalised address.
 */
export const InviteeEmailSchema = z
  .string()
  .trim()
  .max(254, 'Email addresses are at most 254 characters')
  .pipe(z.email({ message: 'Enter an email address such as name@example.org' }))
  .transform((e) => e.normalize('NFKC').toLowerCase());

export const InviteePasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters; a passphrase of several words is easiest')
  .max(256, 'Passwords are at most 256 characters');

export const PersonNameSchema = z.string().trim().min(1, 'Enter your name').max(120, 'Names are at most 120 characters');
