import { z } from 'zod';

import { line, name, secret } from './text.js';

/**
 * The same email and new-password rules as sign-up (auth.ts), for the other places an address or a
 * new password arrives: invitations and accepting one as a new person. Kept identical on purpose:
 * an invitation is matched to an account by the normalised address.
 */
export const InviteeEmailSchema = line({ what: 'email', max: 254, tooLong: 'Email addresses are at most 254 characters' })
  .pipe(z.email({ message: 'Enter an email address such as name@example.org' }))
  .transform((e) => e.normalize('NFKC').toLowerCase());

export const InviteePasswordSchema = secret({
  min: 12,
  max: 256,
  tooShort: 'Use at least 12 characters; a passphrase of several words is easiest',
  tooLong: 'Passwords are at most 256 characters',
  storable: true,
});

export const PersonNameSchema = name({ what: 'name', max: 120, tooLong: 'Names are at most 120 characters', required: 'Enter your name' });
