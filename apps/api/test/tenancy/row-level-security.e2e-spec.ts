import { ProfileFactory } from '../factories/profile.factory.js';
import { as } from '../support/requests.js';
import { signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Row-level security checked in SQL as hoh_app, the role the API serves with. Tenant tables are
 * found from the catalogue, so a new table without a forced policy fails here.
 */
describe('row-level security as the request-serving role', () => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    t = await startTestApp();
    // Both organisations get a row in every tenant table, so "only A's rows" is a real check.
    for (const user of [await signUp(t), await signUp(t)]) {
      await as(t, user).put(`/api/v1/orgs/${user.me.memberships[0]!.organisationId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    }
    const orgs = await t.ownerQuery<{ organisation_id: string }>('SELECT organisation_id FROM organisations ORDER BY created_at');
    orgA = orgs[0]!.organisation_id;
    orgB = orgs[1]!.organisation_id;
  });
  afterAll(async () => {
    await t.close();
  });

  const tenantTables = async () =>
    (
      await t.ownerQuery<{ table_name: string }>(
        `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
         WHERE c.table_schema = 'public' AND c.column_name = 'organisation_id' AND tb.table_type = 'BASE TABLE'
         ORDER BY 1`,
      )
    ).map((r) => r.table_name);

  it('finds the tenant tables from the catalogue', async () => {
    expect(await tenantTables()).toEqual(expect.arrayContaining(['memberships', 'organisations']));
  });

  it('has RLS enabled and forced with a tenant policy on every tenant table', async () => {
    for (const table of await tenantTables()) {
      const [row] = await t.ownerQuery<{ enabled: boolean; forced: boolean; policies: string }>(
        `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced,
                (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation') AS policies
         FROM pg_class c WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace`,
        [table],
      );
      expect({ table, ...row, policies: Number(row!.policies) }).toEqual({ table, enabled: true, forced: true, policies: 1 });
    }
  });

  it('shows no tenant rows when no organisation is set', async () => {
    for (const table of await tenantTables()) {
      const rows = await t.appQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: 0 });
    }
  });

  it('shows exactly organisation A rows when A is set, for every tenant table', async () => {
    for (const table of await tenantTables()) {
      const asA = await t.appQueryAs<{ organisation_id: string }>(orgA, `SELECT organisation_id FROM ${table}`);
      const [owner] = await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE organisation_id = $1`, [orgA]);
      expect({ table, foreign: asA.filter((r) => r.organisation_id !== orgA).length, seen: asA.length }).toEqual({ table, foreign: 0, seen: Number(owner!.n) });
    }
  });

  it('refuses to write a row for another organisation (WITH CHECK)', async () => {
    const updated = await t.appQueryAs(orgA, `UPDATE organisations SET name = 'x' WHERE organisation_id = $1 RETURNING 1`, [orgB]);
    expect(updated).toHaveLength(0);
    await expect(t.appQueryAs(orgA, `INSERT INTO memberships (organisation_id, user_id, role) SELECT $1, user_id, 'owner' FROM memberships`, [orgB])).rejects.toThrow(
      /row-level security/,
    );
    const [b] = await t.ownerQuery<{ name: string }>('SELECT name FROM organisations WHERE organisation_id = $1', [orgB]);
    expect(b!.name).not.toBe('x');
  });

  it('gives the serving role no superuser, no BYPASSRLS and no table ownership', async () => {
    const [facts] = await t.appQuery<{ rolsuper: boolean; rolbypassrls: boolean; owned: string }>(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid AND relnamespace = 'public'::regnamespace) AS owned
       FROM pg_roles r WHERE rolname = current_user`,
    );
    expect({ ...facts, owned: Number(facts!.owned) }).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });
});
