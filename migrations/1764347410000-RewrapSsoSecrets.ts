import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27 (docs/SECURITY.md, rotation): the organisations whose single sign-on client secret a
 * retired master key sealed, across tenants, for the rotation job. SECURITY DEFINER owned by the
 * NOLOGIN role hoh_lookup (which already reads sso_configs across tenants for sign-in); it returns
 * organisation ids only, never a sealed value.
 */
export class RewrapSsoSecrets1764347410000 implements MigrationInterface {
  name = 'RewrapSsoSecrets1764347410000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT SELECT (organisation_id, client_secret_sealed) ON sso_configs TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_sso_secrets_to_rewrap(p_active_key text, p_limit integer)
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT c.organisation_id FROM sso_configs c
        WHERE split_part(c.client_secret_sealed, '.', 2) <> p_active_key
        ORDER BY c.organisation_id
        LIMIT least(greatest(p_limit, 0), 1000)
      $$`);
    await q.query(`ALTER FUNCTION hoh_sso_secrets_to_rewrap(text, integer) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_sso_secrets_to_rewrap(text, integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_sso_secrets_to_rewrap(text, integer) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_sso_secrets_to_rewrap(text, integer)`);
  }
}
