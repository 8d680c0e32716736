import { timingSafeEqual } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AppError } from '../../common/app-error.js';
import type { AuthContext } from '../../common/auth/access.decorators.js';
import { ApiTokenService } from './api-token.service.js';
import { readSessionCookie } from './session-cookie.js';
import { type ActiveSession, type Membership, SessionService } from './session.service.js';

/** Who is calling, and — when identify() was asked about an organisation and could tell — their membership of it. */
export interface Identified {
  auth: AuthContext;
  membership?: Membership | null;
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A cookie session's caller, with its membership when the lookup was asked about an organisation. */
function identifiedBy(session: ActiveSession): Identified {
  const auth: AuthContext = { userId: session.userId, sessionTokenHash: session.tokenHash, csrfToken: session.csrfToken, authMethods: session.authMethods, ssoOrganisationId: session.ssoOrganisationId };
  return session.membership === undefined ? { auth } : { auth, membership: session.membership };
}

/**
 * Who is calling: a bearer API token first, else the session cookie. Shared by the access guard and
 * by the one public route that behaves differently when its caller is signed in (accepting an
 * invitation), so both apply the same rules.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
  ) {}

  /**
   * Null when the request carries no credentials. An Authorization header that is present but wrong
   * is a 401 even if a cookie is also sent: a script that believes it uses a token must learn it does not.
   * `organisationId` (a checked UUID) lets a cookie session answer membership in the same statement.
   */
  async identify(request: FastifyRequest, organisationId?: string): Promise<Identified | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const token = match ? await this.tokens.lookup(match[1]!) : null;
      if (!token) {
        throw new AppError(
          'UNAUTHENTICATED',
          'The API token is unknown, revoked or expired. Send Authorization: Bearer hoh_pat_… with a token from POST /api/v1/auth/tokens.',
        );
      }
      return { auth: { userId: token.userId, apiToken: { id: token.id, scope: token.scope, secondFactor: token.secondFactor } } };
    }
    const cookie = readSessionCookie(request);
    const session = cookie ? await this.sessions.lookup(cookie, organisationId) : null;
    return session && identifiedBy(session);
  }

  /** Cookie writes need the session's CSRF token; bearer tokens are not sent by browsers unasked, so need none. */
  checkCsrf(request: FastifyRequest, auth: AuthContext): void {
    if (auth.apiToken || SAFE_METHODS.has(request.method)) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !auth.csrfToken || !sameSecret(sent, auth.csrfToken)) {
      throw new AppError('CSRF_FAILED', 'Missing or stale X-CSRF-Token header. Read csrfToken from GET /api/v1/auth/me and send it back.');
    }
  }

  /** A read-only token may not change anything; call after the membership check so existence does not leak. */
  checkTokenScope(request: FastifyRequest, auth: AuthContext): void {
    if (auth.apiToken?.scope === 'read' && !SAFE_METHODS.has(request.method)) {
      throw new AppError('FORBIDDEN', 'This API token is read-only. Create a read_write token (POST /api/v1/auth/tokens) for changes.');
    }
  }
}
