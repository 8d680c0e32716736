import { AsyncLocalStorage } from 'node:async_hooks';

import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import type { MemberContext } from '../common/auth/access.decorators.js';
import { prepared } from './prepared-statements.js';

interface TenantScope {
  manager: EntityManager;
  member: MemberContext;
}

const storage = new AsyncLocalStorage<TenantScope>();
// set_config(..., true) = SET LOCAL, but with a bound parameter (SET LOCAL takes none).
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true)`);

declare module 'fastify' {
  interface FastifyRequest {
    /** An organisation route's transaction, opened by the access guard (tenant already set), run and closed by the interceptor. */
    tenantTransaction?: QueryRunner;
  }
}

/**
 * Opens the transaction an organisation route will run in. The access guard opens it, so that the
 * caller's membership check can set the tenant in the same statement (one round trip fewer per
 * request); on a denial the guard abandons it.
 */
export async function beginTenantTransaction(dataSource: DataSource): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    return runner;
  } catch (error) {
    await runner.release();
    throw error;
  }
}

/** Rolls back and releases a transaction the request will not use (a denied or failed request). */
export async function abandonTenantTransaction(runner: QueryRunner): Promise<void> {
  try {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  } catch {
    // A broken connection: releasing it below is all that is left to do.
  } finally {
    await runner.release();
  }
}

/** Runs `work` in the open transaction as `member`, then commits (or rolls back on a throw) and releases. */
async function runInTransaction<T>(runner: QueryRunner, member: MemberContext, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await storage.run({ manager: runner.manager, member }, work);
    await runner.commitTransaction();
  } catch (error) {
    await abandonTenantTransaction(runner);
    throw error;
  }
  await runner.release();
  return result;
}

/**
 * Organisation routes (@OrgAccess attaches this interceptor to each) run in ONE transaction with
 * the row-level-security tenant set for that transaction only (set_config(..., true) = SET LOCAL:
 * safe with pooling; a bound parameter, never interpolated). The access guard opened it and set the
 * tenant in the statement that checked the membership; this runs the handler in it and ends it.
 * Services read the transaction from here, so they stay singletons. Not global: other routes would
 * pay for an rxjs pipeline they do not use.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { member, tenantTransaction } = request;
    if (!member) return next.handle();
    const handle = () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined });
    if (tenantTransaction) {
      request.tenantTransaction = undefined;
      return from(runInTransaction(tenantTransaction, member, handle));
    }
    // Not reached by requests (the guard always opens one); kept so the interceptor is correct on its own.
    return from(runAsMember(this.dataSource, member, handle));
  }
}

/**
 * Runs `work` as `member` in one tenant transaction, exactly as an organisation route would: for
 * work that starts outside a request (the demo seed, background jobs), so it reuses the same
 * services, checks and audit trail.
 */
export async function runAsMember<T>(dataSource: DataSource, member: MemberContext, work: () => Promise<T>): Promise<T> {
  const runner = await beginTenantTransaction(dataSource);
  try {
    await runner.query(SET_TENANT, [member.organisationId]);
  } catch (error) {
    await abandonTenantTransaction(runner);
    throw error;
  }
  return runInTransaction(runner, member, work);
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
