import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';

import { hasSecondFactor, policyCovers, type Role, roleAllows, type SecondFactorPolicy } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { ACCESS_KEY, type Access } from '../../common/auth/access.decorators.js';
import { forbiddenMessage } from '../../common/auth/permissions.js';
import { refuseHeldBody } from '../../common/request-body.js';
import { prepared } from '../../database/prepared-statements.js';
import { CredentialsService, type Identified } from './credentials.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// An API token's membership (a cookie session's lookup answers it in its own statement).
const MEMBERSHIP_SQL = prepared(`SELECT m.role, m.accountable_individual, m.second_factor_policy FROM hoh_membership_of($1::uuid, $2) m`);
const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Sign in to continue; your session is missing or has expired.');
const secondFactorRequired = () =>
  new AppError(
    'SECOND_FACTOR_REQUIRED',
    'This organisation requires two-factor authentication. Set it up in Account → Two-factor authentication, then sign out and sign in again with it.',
  );
const notFound = () => new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it. Check the organisation id in the address.');

/**
 * The one access check of every route. Deny by default. Order of checks per docs/API.md §3.2: no
 * credentials 401 (bearer token first, then the session cookie), CSRF 403 (cookies only), not a
 * member 404, role 403, the organisation's second-factor policy 403 SECOND_FACTOR_REQUIRED (a session
 * signed in without a second factor, or a token made by one; docs/PRODUCT.md §2.7), read-only token 403, then the body the parsers held as refused: 415 for a
 * content type the route does not read, 400 for JSON that is not JSON or carries a forbidden key
 * (request-body.ts). Field checks (400) follow in the pipe.
 *
 * The guard only decides and names the caller (`request.member`); it holds no connection. An
 * organisation route's handler then runs in one tenant transaction that the @OrgAccess interceptor
 * opens with runAsMember (database/tenant-context.ts), the same helper background work uses.
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
    if (access.kind === 'public') {
      refuseHeldBody(request, this.reflector, context.getHandler());
      return true;
    }
    // Organisation routes: not a member (or not even a UUID) looks exactly like "no such organisation".
    const orgId = access.kind === 'organisation' ? (request.params as Record<string, string | undefined>)['orgId'] : undefined;
    const validOrgId = orgId !== undefined && UUID.test(orgId) ? orgId.toLowerCase() : undefined;
    const identified = await this.credentials.identify(request, validOrgId);
    if (!identified) throw unauthenticated();
    const { auth } = identified;
    this.credentials.checkCsrf(request, auth);
    request.auth = auth;
    if (access.kind === 'authenticated') {
      this.credentials.checkTokenScope(request, auth);
      refuseHeldBody(request, this.reflector, context.getHandler());
      return true;
    }
    if (!validOrgId) throw notFound();
    const membership = identified.membership !== undefined ? identified.membership : await this.membership(validOrgId, auth.userId);
    if (!membership) throw notFound();
    if (!roleAllows(membership.role, access.permission, membership.accountableIndividual)) {
      throw new AppError('FORBIDDEN', forbiddenMessage(access.permission, membership.role, membership.accountableIndividual));
    }
    // The one place the owner's policy is enforced: the lookup row already carries it, so no round trip.
    if (policyCovers(membership.secondFactorPolicy, membership.role, membership.accountableIndividual)) {
      const satisfied = auth.apiToken ? auth.apiToken.secondFactor : hasSecondFactor(auth.authMethods ?? [], auth.ssoOrganisationId === validOrgId);
      if (!satisfied) throw secondFactorRequired();
    }
    this.credentials.checkTokenScope(request, auth);
    refuseHeldBody(request, this.reflector, context.getHandler());
    request.member = { organisationId: validOrgId, userId: auth.userId, role: membership.role, accountableIndividual: membership.accountableIndividual };
    return true;
  }

  /** An API token's membership of the organisation; a cookie session's lookup brought its own. */
  private async membership(organisationId: string, userId: string): Promise<Identified['membership']> {
    const rows = await this.dataSource.query<{ role: Role; accountable_individual: boolean; second_factor_policy: SecondFactorPolicy }[]>(MEMBERSHIP_SQL, [organisationId, userId]);
    const row = rows[0];
    return row ? { role: row.role, accountableIndividual: row.accountable_individual, secondFactorPolicy: row.second_factor_policy } : null;
  }
}
