import type { DataSource } from 'typeorm';

export interface DbRoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  ownsTables: boolean;
}

/** What the request-serving login can do; it must be none of superuser, BYPASSRLS or a table owner. */
export async function readDbRoleFacts(ds: DataSource): Promise<DbRoleFacts> {
  const rows: { role: string; superuser: boolean; bypass_rls: boolean; owns_tables: boolean }[] = await ds.query(`
    SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
           EXISTS (SELECT 1 FROM pg_class c
                   WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                     AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)) AS owns_tables
    FROM pg_roles r WHERE r.rolname = current_user`);
  const row = rows[0];
  if (!row) throw new Error('Could not read the database role of the current login');
  return { role: row.role, superuser: row.superuser, bypassRls: row.bypass_rls, ownsTables: row.owns_tables };
}

export function unsafeRoleReasons(facts: DbRoleFacts): string[] {
  const reasons: string[] = [];
  if (facts.superuser) reasons.push('is a superuser');
  if (facts.bypassRls) reasons.push('has BYPASSRLS');
  if (facts.ownsTables) reasons.push('owns tables');
  return reasons;
}
