import { createHash, randomBytes } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { type AuthMethod, amrReportsMfa, InviteeEmailSchema, type Role, type SsoErrorCode, type SsoStartResponse } from '@hoh/contracts';

import type { MemberContext } from '../../common/auth/access.decorators.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { SessionService } from '../auth/session.service.js';
import { ThrottleService } from '../auth/throttle.service.js';
import { Keyring } from '../keyring/keyring.js';
import { lockMembership } from '../members/members.service.js';
import { authorizationRequest, clientFor, exchangeCode, type VerifiedClaims } from './oidc.js';
import { CALLBACK_PATH, secretContext } from './sso-settings.service.js';
import { SsoRepository } from './sso.repository.js';

/** How long a started sign-in may take at the provider. */
export const SSO_LOGIN_TTL_SECONDS = 600;
/**
 * Marks an account made by single sign-on: not a password hash, so no password opens it (argon2
 * refuses to verify against it); a password reset to the verified address can set one later.
 */
const NO_PASSWORD = '!sso';
/**
 * Starts counted per client IP: every start is counted (not only failures, as sign-in does), so the
 * limit is the sign-in one times ten, leaving an office behind one address room for a morning.
 */
const STARTS_PER_SIGN_IN_LIMIT = 10;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

export type CallbackOutcome = { ok: true; token: string } | { ok: false; error: SsoErrorCode };

interface Subject {
  email: string;
  name: string;
}

/**
 * Sign-in through an organisation's OpenID provider (docs/PRODUCT.md §2.6): start by the email's
 * domain, then the callback. Before any organisation is known, two narrow cross-tenant lookups
 * (hoh_sso_claims by domain, hoh_sso_login_by_state by the state's hash); everything else runs in the
 * organisation's tenant transaction through runAsMember, like other work outside a member's request.
 */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger('sso');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly keyring: Keyring,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly rows: SsoRepository,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}${CALLBACK_PATH}`;
  }

  /**
   * The provider's authorisation URL for the address's domain, or `{sso: false}` when no
   * organisation signs that domain in (or its SSO is off). `browserSecret` is what the caller puts
   * in the browser's cookie: the callback must come back to the same browser (no login CSRF).
   */
  async start(email: string, ip: string): Promise<{ response: SsoStartResponse; browserSecret?: string }> {
    await this.throttle.consume([{ bucket: `sso-start:ip:${ip}`, limit: this.config.env.THROTTLE_SIGN_IN_PER_IP * STARTS_PER_SIGN_IN_LIMIT }]);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const [claim] = await this.rows.claims([domain]);
    if (!claim?.enabled) return { response: { sso: false, authorizationUrl: null } };
    const organisationId = claim.organisation_id;
    const browserSecret = randomBytes(32).toString('base64url');
    const url = await this.asOrganisation(organisationId, async () => {
      const m = tenantManager();
      const row = await this.rows.find(m, organisationId);
      if (!row?.enabled) return null;
      const client = clientFor({
        metadata: row.provider_metadata,
        clientId: row.client_id,
        clientSecret: await this.keyring.openText(row.client_secret_sealed, secretContext(organisationId)),
        allowHttpLoopback: this.config.env.SSO_ALLOW_HTTP_LOOPBACK_ISSUERS,
      });
      const request = await authorizationRequest(client, this.redirectUri, email);
      const now = this.clock.now();
      await this.rows.addLogin(m, organisationId, {
        stateHash: sha256(request.state),
        browserHash: sha256(browserSecret),
        nonce: request.nonce,
        codeVerifier: request.codeVerifier,
        now,
        expiresAt: new Date(now.getTime() + SSO_LOGIN_TTL_SECONDS * 1000),
      });
      return request.url;
    });
    return url ? { response: { sso: true, authorizationUrl: url }, browserSecret } : { response: { sso: false, authorizationUrl: null } };
  }

  /**
   * The provider's answer. Every refusal changes nothing but using up the sign-in under way: no
   * account, membership or session is made. `query` is the callback's raw query string.
   */
  async callback(query: string, browserSecret: string | undefined, userAgent: string | null): Promise<CallbackOutcome> {
    const params = new URLSearchParams(query);
    const state = params.get('state');
    if (!state || !browserSecret || state.length > 512) return { ok: false, error: 'expired' };
    const stateHash = sha256(state);
    const organisationId = await this.rows.loginOrganisation(stateHash);
    if (!organisationId) return { ok: false, error: 'expired' };

    // 1. Use up the sign-in under way and read the configuration, in one short transaction.
    const taken = await this.asOrganisation(organisationId, async () => {
      const m = tenantManager();
      const login = await this.rows.takeLogin(m, organisationId, stateHash, sha256(browserSecret));
      if (!login || login.expires_at.getTime() <= this.clock.now().getTime()) return 'expired' as const;
      const row = await this.rows.find(m, organisationId);
      if (!row?.enabled) return 'unavailable' as const;
      return { login, row, clientSecret: await this.keyring.openText(row.client_secret_sealed, secretContext(organisationId)) };
    });
    if (typeof taken === 'string') return { ok: false, error: taken };
    if (params.has('error')) return { ok: false, error: 'provider' };

    // 2. The provider, outside any transaction: no connection is held while it answers.
    const { login, row } = taken;
    const client = clientFor({ metadata: row.provider_metadata, clientId: row.client_id, clientSecret: taken.clientSecret, allowHttpLoopback: this.config.env.SSO_ALLOW_HTTP_LOOPBACK_ISSUERS });
    const grant = await exchangeCode(client, new URL(`${this.redirectUri}?${query}`), { state, nonce: login.nonce, codeVerifier: login.code_verifier });
    if (!grant.ok) {
      // The reason stays in the log for the operator; the person sees one plain code.
      this.logger.warn({ msg: 'single sign-on refused', organisationId, reason: grant.detail });
      return { ok: false, error: grant.why };
    }
    const subject = this.subjectOf(grant.claims);
    if ('error' in subject) return { ok: false, error: subject.error };
    const domain = subject.email.slice(subject.email.lastIndexOf('@') + 1);
    if (!row.allowed_domains.includes(domain)) return { ok: false, error: 'domain' };

    // 3. Who it is (and a just-in-time member), then the session.
    const userId = await this.asOrganisation(organisationId, () => this.admit(organisationId, subject, row.default_role));
    if (typeof userId !== 'string') return { ok: false, error: userId.error };
    const methods: AuthMethod[] = row.trust_provider_mfa && amrReportsMfa(grant.claims.amr) ? ['sso', 'sso-mfa'] : ['sso'];
    const { token } = await this.sessions.create(userId, userAgent, methods, organisationId);
    return { ok: true, token };
  }

  /** The address the provider vouches for: present, well formed and verified (`email_verified: true`). */
  private subjectOf(claims: VerifiedClaims): Subject | { error: SsoErrorCode } {
    const email = InviteeEmailSchema.safeParse(claims.email);
    if (!email.success) return { error: 'invalid' };
    // Only the boolean true: an absent, false or string claim is not the provider vouching for the address.
    if (claims.emailVerified !== true) return { error: 'email_unverified' };
    const name = typeof claims.name === 'string' ? claims.name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 120) : '';
    return { email: email.data, name: name || email.data.slice(0, email.data.lastIndexOf('@')) };
  }

  /**
   * Who signs in, inside the organisation's tenant transaction:
   * - an account that is a member: itself;
   * - no account: a new one, its address verified by the provider, and a just-in-time membership
   *   with the organisation's default role (audited);
   * - an account that is not a member: refused. Domains are claimed without proof of owning them,
   *   so a provider must never open an account that did not join its organisation (docs/PRODUCT.md §2.6).
   */
  private async admit(organisationId: string, subject: Subject, role: Role): Promise<string | { error: SsoErrorCode }> {
    const m = tenantManager();
    await lockMembership(m, organisationId);
    const [user] = await m.query<{ id: string }[]>('SELECT id FROM users WHERE email = $1', [subject.email]);
    if (user) {
      const [member] = await m.query<{ role: Role }[]>('SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2', [organisationId, user.id]);
      return member ? user.id : { error: 'account_exists' };
    }
    const [created] = await m.query<{ id: string }[]>(
      'INSERT INTO users (email, name, password_hash, email_verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
      [subject.email, subject.name, NO_PASSWORD, this.clock.now()],
    );
    // Another request made the account between the read and the insert (a sign-up, or this person twice).
    if (!created) return { error: 'account_exists' };
    await m.query('INSERT INTO memberships (organisation_id, user_id, role, accountable_individual) VALUES ($1, $2, $3, false)', [organisationId, created.id, role]);
    const actor: MemberContext = { organisationId, userId: created.id, role, accountableIndividual: false };
    await this.audit.append({ action: 'sso.member_joined', entityType: 'membership', entityId: created.id, data: { role, accountCreated: true } }, m, actor);
    return created.id;
  }

  /** Work in the organisation's tenant transaction before anyone is known; the placeholder member decides nothing. */
  private asOrganisation<T>(organisationId: string, work: () => Promise<T>): Promise<T> {
    const nobody: MemberContext = { organisationId, userId: '00000000-0000-0000-0000-000000000000', role: 'auditor', accountableIndividual: false };
    return runAsMember(this.dataSource, nobody, work);
  }
}
