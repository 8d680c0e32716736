import { z } from 'zod';

import { type AuthMethod, SECOND_FACTOR_METHODS } from './auth-account.js';
import { MeResponseSchema, type Role } from './auth.js';
import { IsoDateTimeSchema } from './common.js';
import { PasskeyAssertionSchema } from './passkeys.js';
import { roleAllows } from './permissions.js';

/**
 * Two factors, issue 27: TOTP with recovery codes, the second step of a sign-in and the owner's
 * policy. Rules in docs/PRODUCT.md §2.7, routes in docs/API.md §2.9.
 */

/** What an organisation's owner requires (docs/PRODUCT.md §2.7): nobody, those who can sign, or every member. */
export const SECOND_FACTOR_POLICIES = ['off', 'signers', 'everyone'] as const;
export const SecondFactorPolicySchema = z.enum(SECOND_FACTOR_POLICIES, {
  error: () => "secondFactorPolicy must be 'off', 'signers' (those who can sign) or 'everyone'",
});
export type SecondFactorPolicy = z.infer<typeof SecondFactorPolicySchema>;

/** Whether an organisation's policy asks this member for a second factor: 'signers' covers whoever may sign off. */
export function policyCovers(policy: SecondFactorPolicy, role: Role, accountableIndividual: boolean): boolean {
  if (policy === 'everyone') return true;
  return policy === 'signers' && roleAllows(role, 'sign', accountableIndividual);
}

/**
 * Whether a session's sign-in methods include a second factor. `sso-mfa` is one organisation's
 * provider vouching for multi-factor sign-in, so it counts only where the caller says that
 * organisation is the one asking (`ssoMfaCounts`): never for another organisation's policy, nor for
 * what spans organisations (API tokens, turning TOTP off).
 */
export const hasSecondFactor = (methods: readonly AuthMethod[], ssoMfaCounts = false): boolean =>
  methods.some((m) => SECOND_FACTOR_METHODS.includes(m) && (m !== 'sso-mfa' || ssoMfaCounts));

/** How many recovery codes an enrolment (or a regeneration) hands out. */
export const RECOVERY_CODE_COUNT = 10;
/** How long the second step of a sign-in stays open after the password was right. */
export const SIGN_IN_CHALLENGE_TTL_SECONDS = 300;
/** Every sign-in challenge starts with this, so secret scanners and people can recognise one. */
export const SIGN_IN_CHALLENGE_PREFIX = 'hoh_chl_';

/** The ways a pending sign-in can be completed. */
export const SECOND_FACTOR_KINDS = ['totp', 'recovery-code', 'passkey'] as const;
export const SecondFactorKindSchema = z.enum(SECOND_FACTOR_KINDS);
export type SecondFactorKind = z.infer<typeof SecondFactorKindSchema>;

/** A six-digit code from an authenticator app; spaces people type between the groups are allowed. */
export const TotpCodeSchema = z
  .string({ error: () => 'The code is the 6 digits your authenticator app shows, as text' })
  .max(20, 'The code is the 6 digits your authenticator app shows')
  // Digits, spaces and dashes only, before anything is removed: so no NUL or stray character is forgiven (text.ts rule).
  .regex(/^[\d\s-]*$/, 'The code is the 6 digits your authenticator app shows')
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'The code is the 6 digits your authenticator app shows'));

/** A recovery code as printed (xxxxx-xxxxx-xxxxx-xxxxx, lowercase base32); case, spaces and dashes are forgiven. */
export const RecoveryCodeSchema = z
  .string({ error: () => 'The recovery code is one of the codes you saved when you set up two-factor authentication, as text' })
  .max(40, 'A recovery code is 20 letters and digits, as saved')
  .regex(/^[A-Za-z0-9\s-]*$/, 'A recovery code is 20 letters and digits, as saved (e.g. abcde-fghij-klmno-pqrst)')
  .transform((s) => s.replace(/[\s-]/g, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{20}$/, 'A recovery code is 20 letters and digits, as saved (e.g. abcde-fghij-klmno-pqrst)'));

/** The sign-in answer when the password was right but the account has a second factor: no session yet. */
export const SecondFactorChallengeSchema = z.object({
  secondFactorRequired: z.literal(true),
  /** Opaque, single use, 5 minutes: send it back with the second factor. */
  challenge: z.string(),
  /** What this account can complete the sign-in with (recovery-code whenever TOTP is enrolled). */
  methods: z.array(SecondFactorKindSchema),
  expiresAt: IsoDateTimeSchema,
});
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallengeSchema>;

/** POST /auth/sign-in: signed in (the MeResponse), or the second step still to take. */
export const SignInResponseSchema = z.union([MeResponseSchema, SecondFactorChallengeSchema]);
export type SignInResponse = z.infer<typeof SignInResponseSchema>;

const ChallengeTokenSchema = z
  .string({ error: () => 'challenge is the text the sign-in answered with' })
  .min(1, 'challenge is missing: sign in with your password again')
  .max(200, 'The challenge is not one this service made: sign in with your password again')
  .regex(/^[A-Za-z0-9_-]+$/, 'The challenge is not one this service made: sign in with your password again');

const factorFields = {
  totp: TotpCodeSchema.optional(),
  recoveryCode: RecoveryCodeSchema.optional(),
  passkey: PasskeyAssertionSchema.optional(),
};
const exactlyOneFactor = (b: { totp?: unknown; recoveryCode?: unknown; passkey?: unknown }) =>
  [b.totp, b.recoveryCode, b.passkey].filter((v) => v !== undefined).length === 1;

/** Completing a pending sign-in: the challenge and exactly one of a TOTP code, a recovery code or a passkey assertion. */
export const SecondFactorSignInRequestSchema = z
  .object({ challenge: ChallengeTokenSchema, ...factorFields })
  .strict()
  .refine(exactlyOneFactor, {
    message: 'Send the challenge from sign-in and exactly one second factor: "totp" (6 digits), "recoveryCode" or "passkey" (an assertion from sign-in/passkey-options)',
  });
export type SecondFactorSignInRequest = z.infer<typeof SecondFactorSignInRequestSchema>;

/** Asking for passkey options for a pending sign-in. */
export const SecondFactorChallengeRefSchema = z.object({ challenge: ChallengeTokenSchema }).strict();
export type SecondFactorChallengeRef = z.infer<typeof SecondFactorChallengeRefSchema>;

/** The caller's second factors, for the account page. */
export const SecondFactorStatusSchema = z.object({
  totp: z.object({
    /** True once a first code confirmed the enrolment; only then does TOTP count. */
    enabled: z.boolean(),
    confirmedAt: IsoDateTimeSchema.nullable(),
  }),
  recoveryCodesLeft: z.number().int().min(0),
  passkeys: z.number().int().min(0),
  /** This session was signed in with a second factor (what an owner's policy reads). */
  sessionHasSecondFactor: z.boolean(),
});
export type SecondFactorStatus = z.infer<typeof SecondFactorStatusSchema>;

/** Starting a TOTP enrolment: the secret, shown once, to put in an authenticator app. */
export const TotpEnrolmentSchema = z.object({
  /** otpauth://totp/… for a QR code or a tap on a phone. */
  uri: z.string(),
  /** The same secret in base32, in groups of four for typing. */
  secret: z.string(),
  issuer: z.string(),
  account: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ConfirmTotpRequestSchema = z.object({ code: TotpCodeSchema }).strict();
export type ConfirmTotpRequest = z.infer<typeof ConfirmTotpRequestSchema>;

/** Ten one-time codes, shown this once; only their hashes are kept. */
export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()).length(RECOVERY_CODE_COUNT) });
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

/**
 * Proof of a current second factor (disabling TOTP, new recovery codes): a code from the app, an
 * unused recovery code, or a passkey assertion answering POST /auth/passkeys/assertion-options.
 */
export const SecondFactorProofSchema = z
  .object(factorFields)
  .strict()
  .refine(exactlyOneFactor, { message: 'Send exactly one current second factor: {"totp": "123456"}, {"recoveryCode": "…"} or {"passkey": {…}}' });
export type SecondFactorProof = z.infer<typeof SecondFactorProofSchema>;
