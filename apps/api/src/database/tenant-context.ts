import { AsyncLocalStorage } from 'node:async_hooks';

import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import type { MemberContext } from '../common/auth/access.decorators.js';
import { giveBack, poolOf, queryPooled } from './pool.js';
import { prepared } from './prepared-statements.js';
import { sendSynced } from './synced-batch.js';

interface TenantScope {
  /** The request's tenant transaction; undefined for a route that reads per statement. */
  manager?: EntityManager;
  /** Undefined only while a deferred access check has not run yet. */
  member?: MemberContext;
  /** A cookie session's check, to send ahead of a per-statement route's first read. */
  deferred?: DeferredAccess;
  /** What that check's admit() threw, once it has: the request's answer. */
  denied?: Error;
  organisationId: string;
  /** The pool a per-statement route's reads take their connection from. */
  pool?: pg.Pool;
}

/**
 * A per-statement route's access check, not yet run (a cookie session: the access guard). It goes in
 * the batch of the route's first read, ahead of it, so the request takes one round trip, not two.
 */
export interface DeferredAccess {
  /** The organisation the request names (a checked UUID, lower case). */
  organisationId: string;
  /** Sets the tenant, in its batch's transaction, only for a caller it admits: the read sees no row otherwise. */
  check: { text: string; values: unknown[] };
  /** The caller from the check's rows; throws the denial (401, 404, 403) otherwise. */
  admit(rows: unknown[]): Promise<MemberContext>;
}

const storage = new AsyncLocalStorage<TenantScope>();
// set_config(..., true) = SET LOCAL, but with a bound parameter (SET LOCAL takes none).
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true)`);
// The same for a per-statement read, and only while the user is still a member: the database, not
// just the guard, decides that the read may enter the organisation. It also names the acting user
// (app.user_id), as a cookie session's deferred check does, for a read that asks "who is asking".
const SET_TENANT_IF_MEMBER = prepared(
  `SELECT set_config('app.org_id', $1::uuid::text, true) AS tenant, set_config('app.user_id', $2::uuid::text, true) AS acting_user FROM hoh_membership_of($1::uuid, $2::uuid) m`,
);

declare module 'fastify' {
  interface FastifyRequest {
    /** An organisation route's transaction, opened by the access guard (tenant already set), run and closed by the interceptor. */
    tenantTransaction?: QueryRunner;
    /** Set by the access guard on a route declared `{ perStatement: true }`: no transaction was opened. */
    perStatementReads?: boolean;
    /** Set by the access guard for a cookie session on such a route: its check runs with the first read. */
    deferredAccess?: DeferredAccess;
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
    result = await storage.run({ manager: runner.manager, member, organisationId: member.organisationId }, work);
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
    const handle = () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined });
    const perStatement = request.perStatementReads ? (member ?? request.deferredAccess) : undefined;
    if (perStatement) return from(runPerStatement(this.dataSource, perStatement, handle));
    if (!member) return next.handle();
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
 * Runs `work` with no transaction held: each tenantRead() in it runs in a transaction of its own (a
 * route declared `@OrgAccess(..., { perStatement: true })`), as `access`: the member, or a deferred
 * check that the first read sends ahead of itself. A check no read took runs on its own once `work`
 * has ended, before anything is answered; its denial wins over `work`'s own error, so a caller who is
 * not signed in learns 401, never what a pipe or the handler would have said.
 */
export async function runPerStatement<T>(dataSource: DataSource, access: MemberContext | DeferredAccess, work: () => Promise<T>): Promise<T> {
  const pool = poolOf(dataSource);
  const scope: TenantScope = 'admit' in access ? { deferred: access, organisationId: access.organisationId, pool } : { member: access, organisationId: access.organisationId, pool };
  const settle = async () => {
    if (scope.member) return;
    if (scope.denied !== undefined) throw scope.denied;
    await admit(scope, await queryPooled(dataSource, scope.deferred!.check.text, scope.deferred!.check.values));
  };
  let result: T;
  try {
    result = await storage.run(scope, work);
  } catch (error) {
    await settle();
    throw error;
  }
  await settle();
  return result;
}

/** Judges a deferred check's rows: the member, or the denial, kept for the whole request. */
async function admit(scope: TenantScope, rows: unknown[]): Promise<void> {
  try {
    scope.member = await scope.deferred!.admit(rows);
  } catch (error) {
    scope.denied = error instanceof Error ? error : new Error(String(error));
    throw scope.denied;
  }
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
  if (scope.denied !== undefined) throw scope.denied;
  const member = scope.member;
  const check = member ? { text: SET_TENANT_IF_MEMBER, values: [member.organisationId, member.userId] } : scope.deferred!.check;
  const [checked, rows] = await readInOneTrip<T>(scope.pool!, check, sql, params);
  // A deferred check's rows decide now: a denial throws, and the read's rows (none, for a caller
  // the check did not admit: it set no tenant) are never used.
  if (!member && !scope.member) await admit(scope, checked);
  return rows;
}

interface Corkable {
  connection: { stream: { cork(): void; uncork(): void } };
}

/** The check's rows and the read's, in one round trip (see tenantRead). */
async function readInOneTrip<T>(pool: pg.Pool, check: { text: string; values: unknown[] }, sql: string, params: unknown[]): Promise<[unknown[], T[]]> {
  const client = await pool.connect();
  // Once this connection has parsed both statements: the two in one batch, one transaction to its Sync.
  const batch = sendSynced(client, [check, { text: sql, values: params }]);
  if (batch) {
    let settled = false;
    try {
      const results = await batch;
      settled = true;
      return [results[0]!.rows, results[1]!.rows as T[]];
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
      sent = [client.query('BEGIN'), client.query(check.text, check.values), client.query(sql, params), client.query('COMMIT')];
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
  const [, checked, read] = outcomes as PromiseFulfilledResult<pg.QueryResult>[];
  return [checked!.value.rows, read!.value.rows as T[]];
}

export function currentMember(): MemberContext {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  if (!scope.member) {
    throw new Error('The caller of this per-statement route is checked with its first tenantRead(): read first, or use currentOrganisationId()');
  }
  return scope.member;
}

/** The organisation the current request is for: known before a per-statement route's deferred check has run. */
export function currentOrganisationId(): string {
  const scope = storage.getStore();
  if (!scope) throw new Error('No tenant transaction: this code must run inside an @OrgAccess route');
  return scope.organisationId;
}
