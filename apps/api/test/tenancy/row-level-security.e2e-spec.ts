import { randomUUID } from 'node:crypto';

import { as } from '../support/requests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildTenantWorld, tenantTables, type TenantWorld } from '../trust/tenant-world.js';

/**
 * Row-level security checked in SQL as hoh_app, the role the API serves with. Tenant tables are
 * found from the catalogue, so a new table without a forced policy fails here; and both
 * organisations hold at least one row in EVERY tenant table, so "only A's rows" is never vacuous.
 */
describe('row-level security as the request-serving role', () => {
  let t: TestApp;
  let a: TenantWorld;
  let b: TenantWorld;
  let cases = 0;

  /** Rows the API cannot write yet (signed-assessment verification, the in-progress reports module), inserted as the owner. */
  async function insertRowsTheApiCannotWriteHere(world: TenantWorld): Promise<void> {
    const reportId = randomUUID();
    const digest = randomUUID().replace(/-/g, '').padEnd(64, '0');
    await t.ownerQuery(`INSERT INTO assessment_verifications (organisation_id, id, assessment_id, auditor_id, note) VALUES ($1, $2, $3, $4, 'seeded for RLS')`, [
      world.orgId,
      randomUUID(),
      world.assessmentId,
      world.owner.me.user.id,
    ]);
    // Failed, so no report worker claims it (they wake at once on a queued one) and writes its own content beside this row's.
    await t.ownerQuery(`INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by, status, error) VALUES ($1, $2, $3, true, $4, 'failed', 'seeded for RLS')`, [
      world.orgId,
      reportId,
      world.assessmentId,
      world.owner.me.user.id,
    ]);
    await t.ownerQuery(`INSERT INTO report_content (organisation_id, report_id, bytes) VALUES ($1, $2, '\\x25504446'::bytea)`, [world.orgId, reportId]);
    await t.ownerQuery(`INSERT INTO report_models (organisation_id, report_id, model) VALUES ($1, $2, '{}'::jsonb)`, [world.orgId, reportId]);
    await t.ownerQuery(`INSERT INTO report_registry (pdf_sha256, report_id, organisation_id, organisation_name, issued_at, results_sha256) VALUES ($1, $2, $3, 'seeded', now(), $1)`, [
      digest,
      reportId,
      world.orgId,
    ]);
    // Files uploaded before the object store (issue 29) keep their bytes in evidence_content until the storage job moves them.
    const legacyEvidenceId = randomUUID();
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, file_name, media_type, size_bytes, sha256, issued_at, uploaded_by)
       VALUES ($1, $2, 'Legacy file', 'policy', 'file', 'legacy.txt', 'text/plain', 4, encode(sha256('\\x25504446'::bytea), 'hex'), now(), $3)`,
      [world.orgId, legacyEvidenceId, world.owner.me.user.id],
    );
    await t.ownerQuery(`INSERT INTO evidence_content (organisation_id, evidence_id, bytes) VALUES ($1, $2, '\\x25504446'::bytea)`, [world.orgId, legacyEvidenceId]);
    // Reminders are written by the scheduled scan, not by a route.
    await t.ownerQuery(`INSERT INTO reminders_sent (organisation_id, item_id, threshold, due_at, sent_at, recipients) VALUES ($1, gen_random_uuid(), 'action_7d', now(), now(), 1)`, [world.orgId]);
    await t.ownerQuery(
      `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at) VALUES ($1, $2, 'action_7d', 'action', gen_random_uuid(), 'Due', 'Due soon.', '/remediation', now())`,
      [world.orgId, world.owner.me.user.id],
    );
    // Single sign-on needs a live OpenID provider to save through its route (test/identity/sso.e2e-spec.ts does).
    await t.ownerQuery(
      `INSERT INTO sso_configs (organisation_id, issuer, client_id, client_secret_sealed, provider_metadata, allowed_domains, default_role, updated_at)
       VALUES ($1, 'https://idp.example', 'client', 'hk1.seeded', '{}'::jsonb, ARRAY[$2], 'contributor', now())`,
      [world.orgId, `${world.orgId}.example`],
    );
    await t.ownerQuery(
      `INSERT INTO sso_logins (organisation_id, state_hash, browser_hash, nonce, code_verifier, created_at, expires_at) VALUES ($1, sha256($2::bytea), sha256($2::bytea), 'n', 'v', now(), now())`,
      [world.orgId, Buffer.from(world.orgId)],
    );
    // The weekly digest's record is written by the scan; preferences through their route.
    await t.ownerQuery(`INSERT INTO weekly_digests (organisation_id, week_start, sent_at, recipients) VALUES ($1, '2026-12-07T00:00:00Z', now(), 1)`, [world.orgId]);
    await as(t, world.owner).put(`/api/v1/orgs/${world.orgId}/notification-preferences`).set('If-Match', '"0"').send({ deliveries: { assignment: 'weekly_digest' } }).expect(200);
  }

  beforeAll(async () => {
    t = await startTestApp();
    a = await buildTenantWorld(t, 'Alpha');
    b = await buildTenantWorld(t, 'Bravo');
    for (const world of [a, b]) {
      await insertRowsTheApiCannotWriteHere(world);
      // An audited write after everything else, so the audit log certainly has rows for both.
      await as(t, world.owner).patch(`/api/v1/orgs/${world.orgId}`).send({ name: `Renamed ${world.orgId.slice(0, 8)}` }).expect(200);
    }
  });
  afterAll(async () => {
    console.log(`row-level security: ${cases} table × setting cases`);
    await t.close();
  });

  const ownerCount = async (table: string, orgId: string) =>
    Number((await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE organisation_id = $1`, [orgId]))[0]!.n);

  it('finds the tenant tables from the catalogue', async () => {
    expect(await tenantTables(t)).toEqual(expect.arrayContaining(['memberships', 'organisations', 'answers', 'evidence', 'actions', 'invitations', 'outbox', 'audit_log']));
  });

  it('has data for both organisations in every tenant table, so isolation is tested on real rows', async () => {
    const empty: string[] = [];
    for (const table of await tenantTables(t)) {
      for (const world of [a, b]) if ((await ownerCount(table, world.orgId)) === 0) empty.push(`${table} (${world === a ? 'A' : 'B'})`);
    }
    // A new tenant table lands here first: teach buildTenantWorld (or the owner inserts above) to fill it.
    expect(empty).toEqual([]);
  });

  it('has RLS enabled and forced with a tenant policy on every tenant table', async () => {
    for (const table of await tenantTables(t)) {
      const [row] = await t.ownerQuery<{ enabled: boolean; forced: boolean; policies: string; guarded: string }>(
        `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced,
                (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.policyname = 'tenant_isolation') AS policies,
                (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.policyname = 'tenant_isolation'
                   AND p.cmd = 'ALL' AND p.qual IS NOT NULL AND p.with_check IS NOT NULL) AS guarded
         FROM pg_class c WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace`,
        [table],
      );
      cases += 1;
      expect({ table, ...row, policies: Number(row!.policies), guarded: Number(row!.guarded) }).toEqual({ table, enabled: true, forced: true, policies: 1, guarded: 1 });
    }
  });

  it('gives hoh_app no policy that is permissive for every row', async () => {
    // A USING (true) policy for hoh_app or PUBLIC would OR with tenant_isolation and open the table.
    const open = await t.ownerQuery<{ tablename: string; policyname: string }>(
      `SELECT tablename, policyname FROM pg_policies
       WHERE schemaname = 'public' AND permissive = 'PERMISSIVE' AND (qual = 'true' OR with_check = 'true')
         AND (roles && ARRAY['hoh_app', 'public']::name[])`,
    );
    expect(open).toEqual([]);
  });

  it('shows no tenant rows when no organisation is set', async () => {
    for (const table of await tenantTables(t)) {
      const rows = await t.appQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      cases += 1;
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: 0 });
    }
  });

  it('shows no tenant rows when the setting is reset to an empty string, and raises no error', async () => {
    for (const table of await tenantTables(t)) {
      const rows = await t.appQueryAs<{ n: string }>('', `SELECT count(*) AS n FROM ${table}`);
      cases += 1;
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: 0 });
    }
  });

  it('shows exactly organisation A rows when A is set, for every tenant table, and the same for B', async () => {
    for (const table of await tenantTables(t)) {
      for (const [self, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const seen = await t.appQueryAs<{ organisation_id: string }>(self.orgId, `SELECT organisation_id FROM ${table}`);
        const expected = await ownerCount(table, self.orgId);
        const otherVisible = await t.appQueryAs<{ n: string }>(self.orgId, `SELECT count(*) AS n FROM ${table} WHERE organisation_id = $1`, [other.orgId]);
        cases += 1;
        expect({ table, foreign: seen.filter((r) => r.organisation_id !== self.orgId).length, seen: seen.length, otherVisible: Number(otherVisible[0]!.n) }).toEqual({
          table,
          foreign: 0,
          seen: expected,
          otherVisible: 0,
        });
        expect(expected).toBeGreaterThan(0);
      }
    }
  });

  it('refuses to write a row for another organisation (WITH CHECK), and cannot move a row across', async () => {
    const updated = await t.appQueryAs(a.orgId, `UPDATE organisations SET name = 'x' WHERE organisation_id = $1 RETURNING 1`, [b.orgId]);
    expect(updated).toHaveLength(0);
    await expect(t.appQueryAs(a.orgId, `INSERT INTO memberships (organisation_id, user_id, role) SELECT $1, user_id, 'owner' FROM memberships`, [b.orgId])).rejects.toThrow(
      /row-level security/,
    );
    await expect(t.appQueryAs(a.orgId, `UPDATE actions SET organisation_id = $1 WHERE organisation_id = $2`, [b.orgId, a.orgId])).rejects.toThrow(/row-level security|violates/);
    const [row] = await t.ownerQuery<{ name: string }>('SELECT name FROM organisations WHERE organisation_id = $1', [b.orgId]);
    expect(row!.name).not.toBe('x');
  });

  it('gives the serving role no superuser, no BYPASSRLS, no table ownership and no TRUNCATE', async () => {
    const [facts] = await t.appQuery<{ rolsuper: boolean; rolbypassrls: boolean; owned: string; truncatable: string }>(
      `SELECT rolsuper, rolbypassrls,
              (SELECT count(*) FROM pg_class WHERE relowner = r.oid AND relnamespace = 'public'::regnamespace) AS owned,
              (SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND has_table_privilege(r.oid, c.oid, 'TRUNCATE')) AS truncatable
       FROM pg_roles r WHERE rolname = current_user`,
    );
    expect({ ...facts, owned: Number(facts!.owned), truncatable: Number(facts!.truncatable) }).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0, truncatable: 0 });
  });
});
