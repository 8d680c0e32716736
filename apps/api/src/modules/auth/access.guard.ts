import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource, type QueryRunner } from 'typeorm';

import type { Role } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { ACCESS_KEY, type Access } from '../../common/auth/access.decorators.js';
import { forbiddenMessage, roleAllows } from '../../common/auth/permissions.js';
import { refuseHeldBody } from '../../common/request-body.js';
import { queryPooled } from '../../database/pool.js';
import { prepared } from '../../database/prepared-statements.js';
import { abandonTenantTransaction, beginTenantTransaction } from '../../database/tenant-context.js';
import { CredentialsService, type Identified } from './credentials.service.js';
import { readSessionCookie } from './session-cookie.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// An API token's membership, setting the tenant for the rest of the transaction when there is one.
const MEMBERSHIP_AND_TENANT_SQL = prepared(
  `SELECT m.role, m.accountable_individual, set_config('app.org_id', $1::uuid::text, true) AS tenant FROM hoh_membership_of($1::uuid, $2) m`,
);
// The same without a transaction (a route that reads per statement): each of its reads sets the tenant itself.
const MEMBERSHIP_SQL = prepared(`SELECT m.role, m.accountable_individual FROM hoh_membership_of($1::uuid, $2) m`);
const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Sign in to continue; your session is missing or has expired.');
const notFound = () => new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it. Check the organisation id in the address.');

/**
 * Deny by default. Order of checks per docs/API.md §3.2: no credentials 401 (bearer token first, then the
 * session cookie), CSRF 403 (cookies only), not a member 404, role or read-only token 403, then the
 * body the parsers held as refused: 415 for a content type the route does not read, 400 for JSON
 * that is not JSON or carries a forbidden key (request-body.ts). Field checks (400) follow in the pipe.
 *
 * For an organisation route the guard opens the route's transaction first, and the membership check
 * sets the tenant in the same statement (for a cookie session, the session lookup itself): one round
 * trip fewer than checking, then setting. The tenant interceptor runs the handler in it and ends it;
 * a denial here rolls it back. A route that reads per statement gets no transaction: for an API token
 * the guard checks the membership on its own; a cookie session's lookup is deferred to the batch of
 * the route's first read (tenantRead), and judged by check() below when its rows arrive (or, if the
 * handler never reads, before the response: runPerStatement). Each read sets the tenant itself.
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
    const validOrgId = orgId !== undefined && UUID.test(orgId) ? orgId : undefined;
    if (!validOrgId) return this.check(context, request, access, await this.credentials.identify(request));

    // A bearer token is looked up before the transaction opens: holding one pooled connection while
    // waiting for another could exhaust the pool under load. A cookie session is looked up inside it.
    const bearer = request.headers.authorization !== undefined;
    if (!bearer && readSessionCookie(request) === undefined) throw unauthenticated();
    if (access.kind === 'organisation' && access.perStatement) {
      request.perStatementReads = true;
      if (!bearer) {
        // No transaction to open, and no round trip here: the session lookup goes in the batch of the
        // route's first read, ahead of it, and sets the tenant only for a member (the read sees no row
        // otherwise); its rows then decide here, by the same checks, before the read's rows are used.
        const lookup = this.credentials.cookieLookup(request, validOrgId);
        if (!lookup) throw unauthenticated();
        request.deferredAccess = {
          organisationId: validOrgId.toLowerCase(),
          check: lookup.statement,
          admit: async (rows) => {
            await this.check(context, request, access, await lookup.identify(rows), validOrgId);
            return request.member!;
          },
        };
        return true;
      }
      // An API token: looked up, then its membership asked, here.
      await this.check(context, request, access, await this.credentials.identify(request, validOrgId), validOrgId);
      return true;
    }
    const early = bearer ? await this.credentials.identify(request) : undefined;
    const transaction = await beginTenantTransaction(this.dataSource);
    try {
      await this.check(context, request, access, early ?? (await this.credentials.identify(request, validOrgId, transaction)), validOrgId, transaction);
    } catch (error) {
      await abandonTenantTransaction(transaction);
      throw error;
    }
    request.tenantTransaction = transaction;
    return true;
  }

  private async check(
    context: ExecutionContext,
    request: FastifyRequest,
    access: Exclude<Access, { kind: 'public' }>,
    identified: Identified | null,
    validOrgId?: string,
    transaction?: QueryRunner,
  ): Promise<boolean> {
    if (!identified) throw unauthenticated();
    const { auth } = identified;
    this.credentials.checkCsrf(request, auth);
    request.auth = auth;
    if (access.kind === 'authenticated') {
      this.credentials.checkTokenScope(request, auth);
      refuseHeldBody(request, this.reflector, context.getHandler());
      return true;
    }
    if (!validOrgId || (!transaction && !access.perStatement)) throw notFound();
    // A cookie session brought its membership along (and set the tenant); an API token asks here.
    let membership = identified.membership;
    if (membership === undefined) {
      const rows = (
        transaction
          ? await transaction.query(MEMBERSHIP_AND_TENANT_SQL, [validOrgId, auth.userId])
          : await queryPooled(this.dataSource, MEMBERSHIP_SQL, [validOrgId, auth.userId])
      ) as { role: Role; accountable_individual: boolean }[];
      membership = rows[0] ? { role: rows[0].role, accountableIndividual: rows[0].accountable_individual } : null;
    }
    if (!membership) throw notFound();
    if (!roleAllows(membership.role, access.permission, membership.accountableIndividual)) {
      throw new AppError('FORBIDDEN', forbiddenMessage(access.permission, membership.role, membership.accountableIndividual));
    }
    this.credentials.checkTokenScope(request, auth);
    refuseHeldBody(request, this.reflector, context.getHandler());
    request.member = { organisationId: validOrgId.toLowerCase(), userId: auth.userId, role: membership.role, accountableIndividual: membership.accountableIndividual };
    return true;
  }
}
