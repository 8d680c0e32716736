import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-request membership check runs before the tenant is set (a non-member must get 404 without
 * the request ever entering that organisation), so it is a narrow SECURITY DEFINER lookup: one
 * organisation, one user, role and accountable flag only.
 */
export class AddMembershipLookup1764345700000 implements MigrationInterface {
  name = 'AddMembershipLookup1764345700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hoh_membership_of(p_organisation_id uuid, p_user_id uuid)
      RETURNS TABLE (role text, accountable_individual boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT m.role, m.accountable_individual FROM memberships m
        WHERE m.organisation_id = p_organisation_id AND m.user_id = p_user_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_membership_of(uuid, uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_membership_of(uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_membership_of(uuid, uuid) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_membership_of(uuid, uuid)`);
  }
}
