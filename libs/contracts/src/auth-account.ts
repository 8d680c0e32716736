import { z } from 'zod';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { InviteeEmailSchema, InviteePasswordSchema } from './identity-fields.js';
import { secret } from './text.js';

/** Every password-reset token starts with this, so secret scanners and people can recognise one. */
export const PASSWORD_RESET_TOKEN_PREFIX = 'hoh_rst_';
/** How long a reset link works (docs/PRODUCT.md, accounts). */
export const PASSWORD_RESET_TTL_MINUTES = 30;

const CurrentPasswordSchema = secret({ min: 1, max: 256, tooShort: 'Enter your current password', tooLong: 'Passwords are at most 256 characters', storable: false });

/** Asking for a reset link: the address only. The answer is the same whether or not it has an account. */
export const PasswordResetRequestSchema = z.object({ email: InviteeEmailSchema }).strict();
export type PasswordResetRequest = z.infer<typeof PasswordResetRequestSchema>;

export const PasswordResetRequestedResponseSchema = z.object({
  /** Always the same sentence: telling apart known and unknown addresses would help an attacker. */
  message: z.string(),
});
export type PasswordResetRequestedResponse = z.infer<typeof PasswordResetRequestedResponseSchema>;

/** Choosing the new password with the token from the mailed link. */
export const PasswordResetConfirmRequestSchema = z
  .object({
    // Shape only, before any throttling or lookup: the characters a link's token can hold. Unknown,
    // used and expired tokens of this shape get one 400 answer from the server.
    token: z
      .string()
      .min(1, 'The reset link is incomplete: open the link from the email again')
      .max(200, 'The reset link is not valid: open the link from the email again, or ask for a new one')
      .regex(/^[A-Za-z0-9_-]+$/, 'The reset link is not valid: open the link from the email again, or ask for a new one'),
    password: InviteePasswordSchema,
  })
  .strict();
export type PasswordResetConfirmRequest = z.infer<typeof PasswordResetConfirmRequestSchema>;

export const ChangePasswordRequestSchema = z
  .object({
    currentPassword: CurrentPasswordSchema,
    newPassword: InviteePasswordSchema,
  })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

export const ChangePasswordResponseSchema = z.object({
  /** Other sessions of this account that were ended; this one stays signed in. */
  endedSessions: z.number().int().min(0),
});
export type ChangePasswordResponse = z.infer<typeof ChangePasswordResponseSchema>;

/** One sign-in session as its owner sees it; never its token. */
export const AccountSessionSchema = z.object({
  id: UuidSchema,
  /** Browser and system read from the user agent at sign-in, e.g. "Firefox on Windows"; "Unknown device" when there was none. */
  device: z.string(),
  createdAt: IsoDateTimeSchema,
  /** Last request, to the minute (the server records it at most once a minute). */
  lastSeenAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema,
  /** The session this request came with. */
  current: z.boolean(),
});
export type AccountSession = z.infer<typeof AccountSessionSchema>;

export const AccountSessionListSchema = z.object({ items: z.array(AccountSessionSchema) });
export type AccountSessionList = z.infer<typeof AccountSessionListSchema>;

export const EndSessionsResponseSchema = z.object({ ended: z.number().int().min(0) });
export type EndSessionsResponse = z.infer<typeof EndSessionsResponseSchema>;

/**
 * How a session was signed in, recorded on the session (sessions.auth_methods) so every later check
 * (the owner's second-factor policy, sign-off re-authentication, API token creation) reads one fact:
 * - `password`: the account's password; `totp`: an authenticator app's code; `recovery-code`: a
 *   one-time recovery code; `passkey`: a WebAuthn credential (user verification required);
 * - `sso`: an organisation's OpenID provider; `sso-mfa`: that provider reported multi-factor
 *   authentication (`amr`) and the organisation's owner trusts it.
 */
export const AUTH_METHODS = ['password', 'totp', 'recovery-code', 'passkey', 'sso', 'sso-mfa'] as const;
export const AuthMethodSchema = z.enum(AUTH_METHODS);
export type AuthMethod = z.infer<typeof AuthMethodSchema>;
/** The methods that count as a second factor (docs/PRODUCT.md, accounts). */
export const SECOND_FACTOR_METHODS: readonly AuthMethod[] = ['totp', 'recovery-code', 'passkey', 'sso-mfa'];
