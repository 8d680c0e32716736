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
// set_config(..., true) = SET LOCAL, but with a bound parameter (SET LOCAL takes none).
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true)`);

/**
 * Organisation routes (@OrgAccess attaches this interceptor to each) run in ONE transaction with
 * the row-level-security tenant set for that transaction only (set_config(..., true) = SET LOCAL:
 * safe with pooling; a bound parameter, never interpolated). Services read the transaction from
 * here, so they stay singletons. Not global: other routes would pay for an rxjs pipeline they
 * do not use.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const member = context.switchToHttp().getRequest<FastifyRequest>().member;
    if (!member) return next.handle();
    return from(
      this.dataSource.transaction(async (manager) => {
        await manager.query(SET_TENANT, [member.organisationId]);
        return storage.run({ manager, member }, () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined }));
      }),
    );
  }
}

/**
 * Runs `work` as `member` in one tenant transaction, exactly as an organisation route would: for
 * work that starts outside a request (the demo seed, background jobs), so it reuses the same
 * services, checks and audit trail.
 */
export function runAsMember<T>(dataSource: DataSource, member: MemberContext, work: () => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(SET_TENANT, [member.organisationId]);
    return storage.run({ manager, member }, work);
  });
}

/** The current request's tenant transaction; throws outside an organisation route. */
export function tenantManager(): EntityManager {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  return scope.manager;
}

export function currentMember(): MemberContext {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  return scope.member;
}
