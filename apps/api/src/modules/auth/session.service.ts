import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan, type Repository } from 'typeorm';

import type { AccountSession, AuthMethod, Role, SecondFactorPolicy } from '@hoh/contracts';

import { AppConfig } from '../../config/app-config.js';
import { prepared } from '../../database/prepared-statements.js';
import { describeDevice } from './device.js';
import { SessionEntity } from './entities/session.entity.js';

export interface Membership {
  role: Role;
  accountableIndividual: boolean;
  /** The organisation's second-factor policy, read in the same statement (docs/PRODUCT.md §2.7). */
  secondFactorPolicy: SecondFactorPolicy;
}

export interface ActiveSession {
  userId: string;
  tokenHash: Buffer;
  csrfToken: string;
  /** How the session was signed in (AUTH_METHODS, docs/PRODUCT.md accounts): the fact second-factor rules read. */
  authMethods: readonly AuthMethod[];
  /** Signed in through this organisation's single sign-on (its provider's sso-mfa counts only there); null otherwise. */
  ssoOrganisationId: string | null;
  /** Only when lookup() was asked about an organisation: the caller's membership of it, null for none. */
  membership?: Membership | null;
}

interface SessionRow {
  user_id: string;
  csrf_token: string;
  auth_methods: AuthMethod[];
  sso_organisation_id: string | null;
  expires_at: Date;
  last_seen_at: Date;
  role: Role | null;
  accountable_individual: boolean | null;
  second_factor_policy: SecondFactorPolicy | null;
}

// The session and, for an organisation route, the caller's membership in ONE round trip: the
// guard needs both on every organisation request, and each statement costs more than the check.
const SESSION_AND_MEMBERSHIP = `s.user_id, s.csrf_token, s.auth_methods, s.sso_organisation_id, s.expires_at, s.last_seen_at, m.role, m.accountable_individual, m.second_factor_policy
  FROM sessions s LEFT JOIN LATERAL hoh_membership_of($2::uuid, s.user_id) m ON true
  WHERE s.token_hash = $1`;
const LOOKUP_SQL = prepared(`SELECT ${SESSION_AND_MEMBERSHIP}`);

const hashToken = (token: string) => createHash('sha256').update(token).digest();
/** The hash a cookie token is stored under; null for a token of a length no session token has. */
const tokenHashOf = (token: string): Buffer | null => (token.length < 20 || token.length > 100 ? null : hashToken(token));
// Sliding expiry is written at most once a minute, so reads do not become writes.
const TOUCH_AFTER_MS = 60_000;

/** Opaque server-side sessions: the cookie holds 256 random bits, the table holds their hash. */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.env.SESSION_TTL_HOURS * 3600;
  }

  /**
   * `userAgent` (storableUserAgent of the sign-in request) names the device in the sessions list;
   * `authMethods` records how the person proved who they are (a password alone unless said otherwise).
   */
  async create(
    userId: string,
    userAgent: string | null = null,
    authMethods: readonly AuthMethod[] = ['password'],
    ssoOrganisationId: string | null = null,
  ): Promise<{ token: string; session: ActiveSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = this.sessions.create({
      tokenHash: hashToken(token),
      id: randomUUID(),
      userId,
      userAgent,
      authMethods: [...authMethods],
      ssoOrganisationId,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    await this.sessions.insert(session);
    return { token, session: { userId, tokenHash: session.tokenHash, csrfToken: session.csrfToken, authMethods: [...authMethods], ssoOrganisationId } };
  }

  /**
   * The live session behind a cookie token, or null. With `organisationId` (a UUID the caller has
   * checked), the same statement also answers whether the session's user is a member of it.
   * Refreshes a sliding expiry older than a minute.
   */
  async lookup(token: string, organisationId?: string): Promise<ActiveSession | null> {
    const tokenHash = tokenHashOf(token);
    if (!tokenHash) return null;
    const [row] = await this.dataSource.query<SessionRow[]>(LOOKUP_SQL, [tokenHash, organisationId ?? null]);
    const now = Date.now();
    if (!row || row.expires_at.getTime() <= now) return null;
    if (now - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
      await this.sessions.update({ tokenHash }, { lastSeenAt: new Date(now), expiresAt: new Date(now + this.ttlSeconds * 1000) });
    }
    const session: ActiveSession = { userId: row.user_id, tokenHash, csrfToken: row.csrf_token, authMethods: row.auth_methods, ssoOrganisationId: row.sso_organisation_id };
    if (organisationId !== undefined) {
      session.membership = row.role
        ? { role: row.role, accountableIndividual: row.accountable_individual === true, secondFactorPolicy: row.second_factor_policy ?? 'off' }
        : null;
    }
    return session;
  }

  async revoke(tokenHash: Buffer): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  /** The user's live sessions, most recently used first; `currentHash` marks the caller's own. */
  async listFor(userId: string, currentHash: Buffer | undefined): Promise<AccountSession[]> {
    const rows = await this.dataSource.query<{ id: string; user_agent: string | null; created_at: Date; last_seen_at: Date; expires_at: Date; current: boolean }[]>(
      `SELECT id, user_agent, created_at, last_seen_at, expires_at, token_hash = $2 AS current FROM sessions
       WHERE user_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC, created_at DESC, id`,
      [userId, currentHash ?? Buffer.alloc(0)],
    );
    return rows.map((r) => ({
      id: r.id,
      device: describeDevice(r.user_agent),
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      current: r.current === true,
    }));
  }

  /** Ends one of the user's sessions by its id; answers its token hash, or null when it is not theirs (or gone). */
  async endOne(userId: string, sessionId: string): Promise<Buffer | null> {
    const rows = await this.dataSource.query<{ token_hash: Buffer }[]>(
      `WITH ended AS (DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING token_hash) SELECT token_hash FROM ended`,
      [sessionId, userId],
    );
    return rows[0]?.token_hash ?? null;
  }

  /** Ends every session of the user but `keepHash` (all of them without one); answers how many. */
  async endOthers(userId: string, keepHash: Buffer | undefined, manager: Pick<EntityManager, 'query'> = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<{ n: number }[]>(
      `WITH ended AS (DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING 1) SELECT count(*)::int AS n FROM ended`,
      [userId, keepHash ?? Buffer.alloc(0)],
    );
    return rows[0]?.n ?? 0;
  }

  async purgeExpired(): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(new Date()) });
  }
}
