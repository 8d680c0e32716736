import { z } from 'zod';

import { RoleSchema } from './auth.js';
import { InviteeEmailSchema } from './identity-fields.js';
import { line, secret } from './text.js';

/**
 * Single sign-on through OpenID Connect (docs/PRODUCT.md §2.6, docs/API.md §2.8): one provider per
 * organisation, found at sign-in by the email's domain.
 */

/** Roles a just-in-time member may get: never owner (ownership is handed over by an owner, in Members). */
export const SSO_DEFAULT_ROLES = ['assessor', 'contributor', 'auditor'] as const;
export const SsoDefaultRoleSchema = RoleSchema.extract(SSO_DEFAULT_ROLES, { message: 'Choose assessor, contributor or auditor: a member who joins through single sign-on is never made an owner' });

/** At most this many email domains per organisation. */
export const SSO_MAX_DOMAINS = 20;

// A DNS name of at least two labels (RFC 1035 letters, digits, hyphens; already lower-cased).
const DOMAIN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const SsoDomainSchema = line({ what: 'domain', max: 253, tooLong: 'Domains are at most 253 characters' })
  .transform((d) => d.normalize('NFKC').toLowerCase())
  .pipe(z.string().regex(DOMAIN, 'Enter a domain such as example.org, without @ or https://'));

/**
 * Saving the configuration. `clientSecret` is required the first time and may be left out afterwards
 * to keep the one stored (it is never sent back). The issuer is discovered when saving.
 */
export const SsoConfigRequestSchema = z
  .object({
    issuer: line({ what: 'issuer', max: 500, tooLong: 'Issuer URLs are at most 500 characters' }).pipe(
      z.url({ protocol: /^https?$/, message: 'Enter the issuer URL your identity provider gives, e.g. https://login.example.org/realms/acme' }),
    ),
    clientId: line({ what: 'client id', max: 255, tooLong: 'Client ids are at most 255 characters' }).pipe(z.string().min(1, 'Enter the client id your identity provider gave this application')),
    clientSecret: secret({ min: 1, max: 1000, tooShort: 'Enter the client secret, or leave it out to keep the stored one', tooLong: 'Client secrets are at most 1000 characters', storable: true }).optional(),
    allowedDomains: z
      .array(SsoDomainSchema)
      .min(1, 'Name at least one email domain whose people sign in through this provider')
      .max(SSO_MAX_DOMAINS, `At most ${SSO_MAX_DOMAINS} domains`)
      .refine((ds) => new Set(ds).size === ds.length, 'Each domain once'),
    defaultRole: SsoDefaultRoleSchema,
    /** Count the provider's report of multi-factor authentication (`amr`) as a second factor. */
    trustProviderMfa: z.boolean(),
    enabled: z.boolean(),
  })
  .strict();
export type SsoConfigRequest = z.infer<typeof SsoConfigRequestSchema>;

export const SsoConfigSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  /** Always true once saved: the secret itself is never returned. */
  hasSecret: z.boolean(),
  allowedDomains: z.array(z.string()),
  defaultRole: SsoDefaultRoleSchema,
  trustProviderMfa: z.boolean(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type SsoConfig = z.infer<typeof SsoConfigSchema>;

export const SsoSettingsResponseSchema = z.object({
  /** The redirect URI to register with the identity provider for this application. */
  redirectUri: z.url(),
  /** null until an owner saves a configuration. */
  config: SsoConfigSchema.nullable(),
});
export type SsoSettingsResponse = z.infer<typeof SsoSettingsResponseSchema>;

export const SsoStartRequestSchema = z.object({ email: InviteeEmailSchema }).strict();
export type SsoStartRequest = z.infer<typeof SsoStartRequestSchema>;

/**
 * `sso: false`: no organisation signs this domain in through single sign-on (or its SSO is turned
 * off): sign in with the password. Whether an account exists is never said.
 */
export const SsoStartResponseSchema = z.object({
  sso: z.boolean(),
  /** With `sso: true`: the provider's authorisation page, to open in this browser; null otherwise. */
  authorizationUrl: z.url().nullable(),
});
export type SsoStartResponse = z.infer<typeof SsoStartResponseSchema>;

/**
 * Why a single sign-on came back to the sign-in page (`/sign-in?sso_error=…`); nothing was changed.
 * - expired: the sign-in link is unknown, used or older than 10 minutes, or was started in another browser;
 * - provider: the provider answered with an error (e.g. the person cancelled);
 * - invalid: the provider's answer failed a check (state, nonce, issuer, audience, signature, expiry, PKCE);
 * - unavailable: the provider could not be reached, or SSO was turned off meanwhile;
 * - email_unverified: the provider did not say the address is verified;
 * - domain: the address's domain is not one the organisation allows;
 * - account_exists: the address has an account that is not a member of this organisation (sign in
 *   with the password; an owner can invite it).
 */
export const SSO_ERROR_CODES = ['expired', 'provider', 'invalid', 'unavailable', 'email_unverified', 'domain', 'account_exists'] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

/** RFC 8176 `amr` values that mean more than one factor, or a factor beyond a password. */
export const MFA_AMR_VALUES = ['mfa', 'mca', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'iris', 'retina', 'face', 'vbm', 'sc', 'pop', 'tel'] as const;

/** Whether a provider's `amr` claim reports multi-factor authentication (docs/PRODUCT.md §2.6). */
export function amrReportsMfa(amr: unknown): boolean {
  if (!Array.isArray(amr)) return false;
  return amr.some((v) => typeof v === 'string' && (MFA_AMR_VALUES as readonly string[]).includes(v));
}
