import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';

import type { Role } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { ACCESS_KEY, type Access } from '../../common/auth/access.decorators.js';
import { roleAllows } from '../../common/auth/permissions.js';
import { CredentialsService } from './credentials.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it. Check the organisation id in the address.');

/**
 * Deny by default. Order of checks per API.md: no credentials 401 (bearer token first, then the
 * session cookie), CSRF 403 (cookies only), not a member 404, role or read-only token 403.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('access');

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
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

    // Organisation routes: not a member (or not even a UUID) looks exactly like "no such organisation".
    const orgId = access.kind === 'organisation' ? (request.params as Record<string, string | undefined>)['orgId'] : undefined;
    const validOrgId = orgId !== undefined && UUID.test(orgId) ? orgId : undefined;
    const identified = await this.credentials.identify(request, validOrgId);
    if (!identified) throw new AppError('UNAUTHENTICATED', 'Sign in to continue; your session is missing or has expired.');
    const { auth } = identified;
    this.credentials.checkCsrf(request, auth);
    request.auth = auth;
    if (access.kind === 'authenticated') {
      this.credentials.checkTokenScope(request, auth);
      return true;
    }

    if (!validOrgId) throw notFound();
    // A cookie session brought its membership along; an API token asks separately.
    let membership = identified.membership;
    if (membership === undefined) {
      const rows: { role: Role; accountable_individual: boolean }[] = await this.dataSource.query('SELECT * FROM hoh_membership_of($1, $2)', [
        validOrgId,
        auth.userId,
      ]);
      membership = rows[0] ? { role: rows[0].role, accountableIndividual: rows[0].accountable_individual } : null;
    }
    if (!membership) throw notFound();
    if (!roleAllows(membership.role, access.permission, membership.accountableIndividual)) {
      throw new AppError(
        'FORBIDDEN',
        access.permission === 'sign'
          ? 'Only the designated accountable individual can sign off. Ask an owner to designate you.'
          : `Your role (${membership.role}) does not allow this. Ask an organisation owner if you need it.`,
      );
    }
    this.credentials.checkTokenScope(request, auth);
    request.member = { organisationId: validOrgId.toLowerCase(), userId: auth.userId, role: membership.role, accountableIndividual: membership.accountableIndividual };
    return true;
  }
}
