import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Single sign-on through OpenID Connect (issue 27, docs/PRODUCT.md §2.6).
 *
 * - `sso_configs`: one provider per organisation. The client secret is kept only sealed by the
 *   keyring (`client_secret_sealed`, context `sso:<organisation>:client-secret`); the provider's
 *   metadata found by discovery when the owner saved is kept, so a sign-in fetches no discovery
 *   document. `allowed_domains` are the email domains whose people it signs in.
 * - A domain is claimed by one organisation. Not a unique index: past one PostgreSQL a tenant table
 *   cannot enforce a key without organisation_id (apps/api/test/deploy/distributable-schema), so the
 *   API claims domains under a per-domain advisory lock after reading the claims of every
 *   organisation through `hoh_sso_claims`. The GIN index serves that read and sign-in's lookup.
 * - `sso_logins`: a sign-in under way, single use and short-lived (state, nonce and PKCE verifier,
 *   bound to the browser that started it by the hash of a cookie). The callback carries only the
 *   state, so it finds the organisation through `hoh_sso_login_by_state` (the hash, by an index), then
 *   takes the row inside that organisation's tenant transaction. Removing the configuration ends
 *   pending sign-ins (cascade).
 * - Both are tenant tables: RLS enabled and forced, the tenant policy, hoh_app rights. hoh_lookup
 *   reads only the columns its functions need.
 */
export class CreateSingleSignOn1764347350000 implements MigrationInterface {
  name = 'CreateSingleSignOn1764347350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sso_configs (
        organisation_id      uuid PRIMARY KEY REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        issuer               text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
        client_id            text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
        client_secret_sealed text NOT NULL,
        provider_metadata    jsonb NOT NULL,
        allowed_domains      text[] NOT NULL CHECK (cardinality(allowed_domains) BETWEEN 1 AND 20),
        default_role         text NOT NULL CHECK (default_role IN ('assessor', 'contributor', 'auditor')),
        trust_provider_mfa   boolean NOT NULL DEFAULT false,
        enabled              boolean NOT NULL DEFAULT false,
        updated_at           timestamptz NOT NULL,
        updated_by           uuid REFERENCES users (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX sso_configs_domains ON sso_configs USING gin (allowed_domains)`);

    await q.query(`
      CREATE TABLE sso_logins (
        organisation_id uuid NOT NULL REFERENCES sso_configs (organisation_id) ON DELETE CASCADE,
        state_hash      bytea NOT NULL CHECK (octet_length(state_hash) = 32),
        browser_hash    bytea NOT NULL CHECK (octet_length(browser_hash) = 32),
        nonce           text NOT NULL,
        code_verifier   text NOT NULL,
        created_at      timestamptz NOT NULL,
        expires_at      timestamptz NOT NULL,
        PRIMARY KEY (organisation_id, state_hash)
      )`);
    // Not led by organisation_id: the callback knows only the state (a plain lookup index, as for calendar feeds).
    await q.query(`CREATE INDEX sso_logins_state ON sso_logins (state_hash)`);
    await q.query(`CREATE INDEX sso_logins_expiry ON sso_logins (organisation_id, expires_at)`);

    for (const table of ['sso_configs', 'sso_logins']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT}) WITH CHECK (${TENANT})`);
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO hoh_app`);
      await q.query(`CREATE POLICY cross_tenant_lookup ON ${table} FOR SELECT TO hoh_lookup USING (true)`);
    }
    await q.query(`GRANT SELECT (organisation_id, allowed_domains, enabled) ON sso_configs TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, state_hash) ON sso_logins TO hoh_lookup`);

    // Which organisation claims each of these domains (sign-in asks for one, saving for its list).
    await q.query(`
      CREATE FUNCTION hoh_sso_claims(p_domains text[])
      RETURNS TABLE (domain text, organisation_id uuid, enabled boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT d.domain, c.organisation_id, c.enabled
        FROM sso_configs c CROSS JOIN LATERAL unnest(c.allowed_domains) AS d(domain)
        WHERE c.allowed_domains && p_domains AND d.domain = ANY (p_domains)
      $$`);
    await q.query(`
      CREATE FUNCTION hoh_sso_login_by_state(p_state_hash bytea)
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT l.organisation_id FROM sso_logins l WHERE l.state_hash = p_state_hash
      $$`);
    for (const fn of ['hoh_sso_claims(text[])', 'hoh_sso_login_by_state(bytea)']) {
      await q.query(`ALTER FUNCTION ${fn} OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO hoh_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_sso_login_by_state(bytea)`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_sso_claims(text[])`);
    await q.query(`DROP TABLE IF EXISTS sso_logins`);
    await q.query(`DROP TABLE IF EXISTS sso_configs`);
  }
}
