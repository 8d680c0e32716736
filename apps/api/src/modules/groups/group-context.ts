import { DataSource, type EntityManager } from 'typeorm';

import { prepared } from '../../database/prepared-statements.js';

// A group route acts as a person, in no organisation: the tenant is cleared (so no tenant table's
// rows are visible) and the acting user is what every group table's policy and hoh_group_summaries
// check. Both are SET LOCAL, so they end with the transaction.
const SET_CALLER = prepared(`SELECT set_config('app.org_id', '', true) AS tenant, set_config('app.user_id', $1, true) AS acting_user`);

/**
 * Runs `work` in one transaction as `userId` acting for themself in groups (docs/PRODUCT.md §16).
 * The group counterpart of runAsMember: row-level security on the group tables decides what the
 * person sees, not the service.
 */
export async function runAsGroupCaller<T>(dataSource: DataSource, userId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(SET_CALLER, [userId]);
    return work(manager);
  });
}

/** A foreign key that names a row that does not exist (PostgreSQL SQLSTATE 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driver = (error as { driverError?: { code?: unknown } }).driverError;
  return driver?.code === '23503';
}
