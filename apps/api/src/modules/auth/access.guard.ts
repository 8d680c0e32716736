import { timingSafeEqual } from 'node:crypto';

import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';

import type { Role } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { ACCESS_KEY, type Access } from '../../common/auth/access.decorators.js';
import { roleAllows } from '../../common/auth/permissions.js';
import { readSessionCookie } from './session-cookie.js';
import { SessionService } from './session.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Deny by default. Order of checks per API.md: no credentials 401, then CSRF 403; membership and
 * permission checks follow in the organisation guard.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('access');

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!access) {
      this.logger.error({ msg: 'route declares no access rule; denied', route: request.routeOptions.url });
      throw new AppError('FORBIDDEN', 'This route is not open to anyone yet.');
    }
    if (access.kind === 'public') return true;

    const token = readSessionCookie(request);
    const session = token ? await this.sessions.lookup(token) : null;
    if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in to continue; your session is missing or has expired.');

    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw new AppError('CSRF_FAILED', 'Missing or stale X-CSRF-Token header. Read csrfToken from GET /api/v1/auth/me and send it back.');
      }
    }
    request.auth = { userId: session.userId, sessionTokenHash: session.tokenHash, csrfToken: session.csrfToken };
    if (access.kind === 'authenticated') return true;

    // Organisation routes: not a member (or not even a UUID) looks exactly like "no such organisation".
    const orgId = (request.params as Record<string, string | undefined>)['orgId'];
    const notFound = new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it. Check the organisation id in the address.');
    if (!orgId || !UUID.test(orgId)) throw notFound;
    const rows: { role: Role; accountable_individual: boolean }[] = await this.dataSource.query('SELECT * FROM hoh_membership_of($1, $2)', [
      orgId,
      session.userId,
    ]);
    const membership = rows[0];
    if (!membership) throw notFound;
    if (!roleAllows(membership.role, access.permission, membership.accountable_individual)) {
      throw new AppError(
        'FORBIDDEN',
        access.permission === 'sign'
          ? 'Only the designated accountable individual can sign off. Ask an owner to designate you.'
          : `Your role (${membership.role}) does not allow this. Ask an organisation owner if you need it.`,
      );
    }
    request.member = { organisationId: orgId.toLowerCase(), userId: session.userId, role: membership.role, accountableIndividual: membership.accountable_individual };
    return true;
  }
}
