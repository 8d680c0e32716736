import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, type Repository } from 'typeorm';

import type { Role } from '@hoh/contracts';

import { AppConfig } from '../../config/app-config.js';
import { prepared } from '../../database/prepared-statements.js';
import { SessionEntity } from './entities/session.entity.js';

export interface Membership {
  role: Role;
  accountableIndividual: boolean;
}

export interface ActiveSession {
  userId: string;
  tokenHash: Buffer;
  csrfToken: string;
  /** Only when lookup() was asked about an organisation: the caller's membership of it, null for none. */
  membership?: Membership | null;
}

interface SessionRow {
  user_id: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  role: Role | null;
  accountable_individual: boolean | null;
}

// The session and, for an organisation route, the caller's membership in ONE round trip: the
// guard needs both on every organisation request, and each statement costs more than the check.
const SESSION_AND_MEMBERSHIP = `s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, m.role, m.accountable_individual
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

  async create(userId: string): Promise<{ token: string; session: ActiveSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = this.sessions.create({
      tokenHash: hashToken(token),
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    await this.sessions.insert(session);
    return { token, session: { userId, tokenHash: session.tokenHash, csrfToken: session.csrfToken } };
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
    const session: ActiveSession = { userId: row.user_id, tokenHash, csrfToken: row.csrf_token };
    if (organisationId !== undefined) {
      session.membership = row.role ? { role: row.role, accountableIndividual: row.accountable_individual === true } : null;
    }
    return session;
  }

  async revoke(tokenHash: Buffer): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  async purgeExpired(): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(new Date()) });
  }
}
