import { AsyncLocalStorage } from 'node:async_hooks';

import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';

import type { MemberContext } from '../common/auth/access.decorators.js';
import { prepared } from './prepared-statements.js';

interface TenantScope {
  manager: EntityManager;
  member: MemberContext;
}

const storage = new AsyncLocalStorage<TenantScope>();

// set_config(..., true) = SET LOCAL, but with bound parameters (SET LOCAL takes none). The tenant
// drives every row-level-security policy; the acting user is for statements that ask "who is asking"
// (the dashboard's signer). Both end with the transaction, so a pooled connection never keeps them.
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true) AS tenant, set_config('app.user_id', $2, true) AS acting_user`);

/**
 * THE way into a tenant: runs `work` as `member` in one transaction with the row-level-security
 * tenant set for that transaction only, commits (or rolls back on a throw) and releases. Every
 * organisation route runs its handler through it (TenantTransactionInterceptor, after the access
 * guard admitted the member), and so does work that starts outside a request (the demo seed, report
 * jobs), so background work uses the same services, checks and audit trail.
 */
export async function runAsMember<T>(dataSource: DataSource, member: MemberContext, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query(SET_TENANT, [member.organisationId, member.userId]);
    const result = await storage.run({ manager: runner.manager, member }, work);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    try {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
    } catch {
      // A broken connection (the server went away, or the query deadline destroyed it): the error
      // above is the answer, and releasing it below lets the pool discard it.
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Attached to each organisation route by @OrgAccess (not global: other routes would pay for an rxjs
 * pipeline they do not use). Runs the handler with runAsMember as the member the guard admitted.
 * Services read the transaction from tenantManager(), so they stay singletons.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { member } = context.switchToHttp().getRequest<FastifyRequest>();
    // The guard runs first and admits only members; without one this route was declared wrongly.
    if (!member) throw new Error('An @OrgAccess route ran without an admitted member: check its access declaration');
    return from(runAsMember(this.dataSource, member, () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined })));
  }
}

function scope(): TenantScope {
  const current = storage.getStore();
  if (!current) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route or runAsMember()');
  return current;
}

/** The current tenant transaction's entity manager. */
export const tenantManager = (): EntityManager => scope().manager;

/** Who the current tenant transaction runs as. */
export const currentMember = (): MemberContext => scope().member;
