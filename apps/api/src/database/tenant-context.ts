import { AsyncLocalStorage } from 'node:async_hooks';

import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import type { MemberContext } from '../common/auth/access.decorators.js';
import { giveBack, poolOf } from './pool.js';
import { prepared } from './prepared-statements.js';
import { sendSynced } from './synced-batch.js';

interface TenantScope {
  /** The request's tenant transaction; undefined for a route that reads per statement. */
  manager?: EntityManager;
  member: MemberContext;
  /** The pool a per-statement route's reads take their connection from. */
  pool?: pg.Pool;
}

const storage = new AsyncLocalStorage<TenantScope>();
// set_config(..., true) = SET LOCAL, but with a bound parameter (SET LOCAL takes none).
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true)`);
// The same for a per-statement read, and only while the user is still a member: the database, not
// just the guard, decides that the read may enter the organisation.
const SET_TENANT_IF_MEMBER = prepared(`SELECT set_config('app.org_id', $1::uuid::text, true) AS tenant FROM hoh_membership_of($1::uuid, $2::uuid) m`);

declare module 'fastify' {
  interface FastifyRequest {
    /** An organisation route's transaction, opened by the access guard (tenant already set), run and closed by the interceptor. */
    tenantTransaction?: QueryRunner;
    /** Set by the access guard for a member on a route declared `{ perStatement: true }`: no transaction was opened. */
    perStatementReads?: boolean;
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
    if (request.perStatementReads) return from(runPerStatement(this.dataSource, member, handle));
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

/**
 * Runs `work` as `member` with no transaction held: each tenantRead() in it runs in a transaction
 * of its own (a route declared `@OrgAccess(..., { perStatement: true })`).
 */
export function runPerStatement<T>(dataSource: DataSource, member: MemberContext, work: () => Promise<T>): Promise<T> {
  return storage.run({ member, pool: poolOf(dataSource) }, work);
}

/** The current request's tenant transaction; throws outside an organisation route, and in one that reads per statement. */
export function tenantManager(): EntityManager {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  if (!scope.manager) throw new Error('This route reads per statement (@OrgAccess { perStatement: true }) and has no transaction: read with tenantRead(), or drop the option');
  return scope.manager;
}

/**
 * Runs one read-only statement as the current member's tenant and returns its rows. In a tenant
 * transaction it runs there. In a route that reads per statement it runs in a transaction of its
 * own, in one round trip where a transaction held for the request takes four (BEGIN, check, read,
 * COMMIT); each costs the API a system call each way and more CPU than a small read itself (issue 9,
 * docs/SCALING.md §5). The tenant setting checks the membership again, in the database. Once the
 * connection has parsed both statements, the setting and the read go as one batch with one Sync,
 * which PostgreSQL runs as one transaction (synced-batch.ts); before that, BEGIN, both and COMMIT
 * go pipelined in one write (pg's pipeline mode), which parses them.
 */
export async function tenantRead<T>(sql: string, params: unknown[]): Promise<T[]> {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  if (scope.manager) return scope.manager.query<T[]>(sql, params);
  return readInOneTrip<T>(scope.pool!, scope.member, sql, params);
}

interface Corkable {
  connection: { stream: { cork(): void; uncork(): void } };
}

async function readInOneTrip<T>(pool: pg.Pool, member: MemberContext, sql: string, params: unknown[]): Promise<T[]> {
  const client = await pool.connect();
  const tenant = [member.organisationId, member.userId];
  // Once this connection has parsed both statements: the two in one batch, one transaction to its Sync.
  const batch = sendSynced(client, [
    { text: SET_TENANT_IF_MEMBER, values: tenant },
    { text: sql, values: params },
  ]);
  if (batch) {
    let settled = false;
    try {
      const results = await batch;
      settled = true;
      return results[1]!.rows as T[];
    } catch (error) {
      // The server's own error (not a broken connection): it ended the batch's transaction itself.
      settled = (error as { severity?: unknown }).severity !== undefined;
      throw error;
    } finally {
      giveBack(client, settled);
    }
  }
  const { stream } = (client as unknown as Corkable).connection;
  let outcomes: PromiseSettledResult<pg.QueryResult>[] | undefined;
  try {
    let sent: Promise<pg.QueryResult>[];
    stream.cork();
    try {
      sent = [client.query('BEGIN'), client.query(SET_TENANT_IF_MEMBER, tenant), client.query(sql, params), client.query('COMMIT')];
    } finally {
      stream.uncork();
    }
    // Every reply is awaited before the connection goes back: a rejected one must not leave the others unread.
    outcomes = await Promise.allSettled(sent);
  } finally {
    // After a failed statement the pipelined COMMIT rolls back, so the connection is idle and reusable.
    giveBack(client, outcomes !== undefined);
  }
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  return (outcomes[2] as PromiseFulfilledResult<pg.QueryResult>).value.rows as T[];
}

export function currentMember(): MemberContext {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  return scope.member;
}
