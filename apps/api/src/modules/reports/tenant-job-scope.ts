import { Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { from, lastValueFrom } from 'rxjs';

import type { MemberContext } from '../../common/auth/access.decorators.js';
import { TenantTransactionInterceptor } from '../../database/tenant-context.js';

/**
 * Runs background work (the report worker) in a tenant transaction as hoh_app, exactly like an
 * organisation request: it goes through the request path's own interceptor, so the worker gets the
 * same transaction, the same `app.org_id` setting and the same `tenantManager()`/`currentMember()`
 * that services already rely on — no second way of entering a tenant to keep in step.
 */
@Injectable()
export class TenantJobScope {
  constructor(private readonly interceptor: TenantTransactionInterceptor) {}

  run<T>(member: MemberContext, work: () => Promise<T>): Promise<T> {
    const context = new ExecutionContextHost([{ member }]);
    return lastValueFrom(this.interceptor.intercept(context, { handle: () => from(work()) })) as Promise<T>;
  }
}
