import { z } from 'zod';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { name, secret } from './text.js';

/**
 * Email verification and passkeys (WebAuthn), issue 27; rules in docs/PRODUCT.md §2.5, routes in
 * docs/API.md §2.7.
 */

/** Every email-verification token starts with this, so secret scanners and people can recognise one. */
export const EMAIL_VERIFICATION_TOKEN_PREFIX = 'hoh_vfy_';
/**
 * How long a verification link works. Longer than a reset link's 30 minutes on purpose: a reset link
 * hands over the account, this one only confirms an address the account already signs in with, and
 * people open sign-up mail the next morning.
 */
export const EMAIL_VERIFICATION_TTL_HOURS = 24;

export const EmailVerificationConfirmRequestSchema = z
  .object({
    token: z
      .string()
      .min(1, 'The confirmation link is incomplete: open the link from the email again')
      .max(200, 'The confirmation link is not valid: open the link from the email again, or send a new one from your account')
      .regex(/^[A-Za-z0-9_-]+$/, 'The confirmation link is not valid: open the link from the email again, or send a new one from your account'),
  })
  .strict();
export type EmailVerificationConfirmRequest = z.infer<typeof EmailVerificationConfirmRequestSchema>;

export const EmailVerificationResponseSchema = z.object({
  /** The address now verified (confirm), or the one the link was sent to (resend). */
  email: z.string(),
  message: z.string(),
});
export type EmailVerificationResponse = z.infer<typeof EmailVerificationResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Passkeys. The browser's JSON (navigator.credentials.create/get through @simplewebauthn/browser)
// is checked for shape here, strictly enough that nothing odd reaches the verifier, and verified
// cryptographically by the server (@simplewebauthn/server).

const b64url = (what: string, max: number) =>
  z
    .string({ error: () => `${what} must be base64url text` })
    .max(max, `${what} is longer than any authenticator sends`)
    .regex(/^[A-Za-z0-9_-]*$/, `${what} must be base64url text (A–Z, a–z, 0–9, - and _)`);

export const PASSKEY_TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
const TransportSchema = z.enum(PASSKEY_TRANSPORTS);
// What a browser reports about extensions (e.g. credProps). Not stored or read, only bounded.
// Extension identifiers are ASCII names (WebAuthn: credProps, appid, largeBlob…).
const ExtensionResultsSchema = z.record(z.string().max(64).regex(/^[A-Za-z0-9_-]+$/, 'clientExtensionResults keys are extension names'), z.unknown()).refine((r) => JSON.stringify(r).length <= 2000, 'clientExtensionResults is too large');

/** What every WebAuthn answer carries around its `response` (a registration and an assertion alike). */
const credentialAnswer = <R extends z.ZodType>(response: R) =>
  z
    .object({
      id: b64url('id', 1400).min(1, 'id is missing'),
      rawId: b64url('rawId', 1400).min(1, 'rawId is missing'),
      type: z.literal('public-key', { error: () => "type must be 'public-key'" }),
      response,
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      clientExtensionResults: ExtensionResultsSchema,
    })
    .strict();

export const PasskeyRegistrationResponseSchema = credentialAnswer(
  z
    .object({
      clientDataJSON: b64url('response.clientDataJSON', 4000).min(1, 'response.clientDataJSON is missing'),
      attestationObject: b64url('response.attestationObject', 40000).min(1, 'response.attestationObject is missing'),
      authenticatorData: b64url('response.authenticatorData', 40000).optional(),
      transports: z.array(TransportSchema).max(10).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: b64url('response.publicKey', 4000).optional(),
    })
    .strict(),
);
export type PasskeyRegistrationResponse = z.infer<typeof PasskeyRegistrationResponseSchema>;

export const PasskeyAssertionSchema = credentialAnswer(
  z
    .object({
      clientDataJSON: b64url('response.clientDataJSON', 4000).min(1, 'response.clientDataJSON is missing'),
      authenticatorData: b64url('response.authenticatorData', 4000).min(1, 'response.authenticatorData is missing'),
      signature: b64url('response.signature', 2000).min(1, 'response.signature is missing'),
      userHandle: b64url('response.userHandle', 200).optional(),
    })
    .strict(),
);
export type PasskeyAssertion = z.infer<typeof PasskeyAssertionSchema>;

const PasskeyNameSchema = name({ what: 'name', max: 100, tooLong: 'Passkey names are at most 100 characters', required: 'Name the passkey, e.g. "Work laptop"' });

/**
 * Options for navigator.credentials.create / get, exactly as @simplewebauthn/server makes them
 * (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON); only the challenge is named here.
 */
export const PasskeyOptionsSchema = z.looseObject({ challenge: z.string() });
export type PasskeyOptions = z.infer<typeof PasskeyOptionsSchema> & Record<string, unknown>;

export const CreatePasskeyRequestSchema = z.object({ name: PasskeyNameSchema, response: PasskeyRegistrationResponseSchema }).strict();
export type CreatePasskeyRequest = z.infer<typeof CreatePasskeyRequestSchema>;

export const RenamePasskeyRequestSchema = z.object({ name: PasskeyNameSchema }).strict();
export type RenamePasskeyRequest = z.infer<typeof RenamePasskeyRequestSchema>;

/** Removing a passkey needs proof that its owner is here now: the password, or a passkey (this one or another). */
export const RemovePasskeyRequestSchema = z
  .object({
    password: secret({ min: 1, max: 256, tooShort: 'Enter your password', tooLong: 'Passwords are at most 256 characters', storable: false }).optional(),
    passkey: PasskeyAssertionSchema.optional(),
  })
  .strict()
  .refine((b) => (b.password === undefined) !== (b.passkey === undefined), {
    message: 'Send exactly one proof that it is you: {"password": "…"} or {"passkey": <assertion from assertion-options>}',
  });
export type RemovePasskeyRequest = z.infer<typeof RemovePasskeyRequestSchema>;

export const PasskeySchema = z.object({
  id: UuidSchema,
  name: z.string(),
  createdAt: IsoDateTimeSchema,
  lastUsedAt: IsoDateTimeSchema.nullable(),
  /** Synced by its provider to other devices (a backed-up, multi-device passkey). */
  backedUp: z.boolean(),
  transports: z.array(z.string()),
});
export type Passkey = z.infer<typeof PasskeySchema>;

export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) });
export type PasskeyList = z.infer<typeof PasskeyListSchema>;
