import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations to join an organisation, and the outbox of messages the product would send.
 *
 * Both are tenant tables (RLS enabled and forced). Accepting an invitation starts from nothing but
 * the token, before any organisation is known, so that one lookup goes through a SECURITY DEFINER
 * function owned by hoh_lookup that returns the single row matching the token's SHA-256; the accept
 * itself then runs as hoh_app inside that organisation's tenant transaction.
 *
 * The outbox never holds an invitation's secret: with it, anyone able to read the table could join
 * as the invited role. The inviter receives the link once, in the API response.
 */
export class CreateInvitationsAndOutbox1764346110000 implements MigrationInterface {
  name = 'CreateInvitationsAndOutbox1764346110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invitations (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        id              uuid NOT NULL DEFAULT gen_random_uuid(),
        email           text NOT NULL,
        role            text NOT NULL CHECK (role IN ('owner', 'assessor', 'contributor', 'auditor')),
        token_hash      bytea NOT NULL,
        invited_by      uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        accepted_at     timestamptz,
        accepted_by     uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at      timestamptz,
        PRIMARY KEY (organisation_id, id)
      )`);
    // Not led by organisation_id: the token is all an invitee has, and its hash is globally unique.
    await q.query(`CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash)`);
    await q.query(
      `CREATE INDEX invitations_pending ON invitations (organisation_id, created_at, id) WHERE accepted_at IS NULL AND revoked_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE outbox (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        id              uuid NOT NULL DEFAULT gen_random_uuid(),
        kind            text NOT NULL,
        recipient       text NOT NULL,
        subject         text NOT NULL,
        body            text NOT NULL,
        data            jsonb NOT NULL DEFAULT '{}',
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz,
        PRIMARY KEY (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (organisation_id, created_at) WHERE sent_at IS NULL`);

    for (const table of ['invitations', 'outbox']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
          WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
      // Revocation and sending are updates; nothing is ever deleted through the API.
      await q.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO hoh_app`);
    }

    await q.query(`CREATE POLICY cross_tenant_lookup ON invitations FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT ON invitations TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_invitation_by_token(p_token_hash bytea)
      RETURNS TABLE (organisation_id uuid, invitation_id uuid, email text, role text, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT i.organisation_id, i.id, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
        FROM invitations i WHERE i.token_hash = p_token_hash
      $$`);
    await q.query(`ALTER FUNCTION hoh_invitation_by_token(bytea) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_invitation_by_token(bytea) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_invitation_by_token(bytea) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_invitation_by_token(bytea)`);
    await q.query(`DROP TABLE IF EXISTS outbox, invitations`);
  }
}
