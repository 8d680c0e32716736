import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Private calendar feeds (issue 28, docs/PRODUCT.md §14): one per member per organisation, so a
 * member of two organisations subscribes to each on its own, and each can be revoked alone.
 *
 * - Only the SHA-256 of the 256-bit token is kept (as for API tokens and invitations): a leaked table
 *   cannot be turned into working feed addresses. Rotating replaces the hash; revoking deletes the row.
 * - The foreign key to memberships cascades: removing a member deletes their feed at once, so a
 *   person invited back later never finds an old address working again.
 * - Fetching a feed starts from nothing but the token, before any organisation is known, so that one
 *   lookup goes through `hoh_calendar_feed_by_token`, a SECURITY DEFINER function owned by
 *   hoh_lookup that returns the (organisation, member) of the single row matching the hash, by a
 *   unique index; the feed itself is then read as hoh_app inside that organisation's RLS transaction.
 */
export class CreateCalendarFeeds1764347280000 implements MigrationInterface {
  name = 'CreateCalendarFeeds1764347280000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        organisation_id uuid NOT NULL,
        user_id         uuid NOT NULL,
        token_hash      bytea NOT NULL CHECK (octet_length(token_hash) = 32),
        created_at      timestamptz NOT NULL,
        PRIMARY KEY (organisation_id, user_id),
        FOREIGN KEY (organisation_id, user_id) REFERENCES memberships (organisation_id, user_id) ON DELETE CASCADE
      )`);
    // Not led by organisation_id: the token is all a calendar app sends, and its hash is globally unique.
    await q.query(`CREATE UNIQUE INDEX calendar_feeds_token_hash_key ON calendar_feeds (token_hash)`);
    await q.query(`ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON calendar_feeds USING (${TENANT}) WITH CHECK (${TENANT})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feeds TO hoh_app`);

    await q.query(`CREATE POLICY cross_tenant_lookup ON calendar_feeds FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, user_id, token_hash) ON calendar_feeds TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_calendar_feed_by_token(p_token_hash bytea)
      RETURNS TABLE (organisation_id uuid, user_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT f.organisation_id, f.user_id FROM calendar_feeds f WHERE f.token_hash = p_token_hash
      $$`);
    await q.query(`ALTER FUNCTION hoh_calendar_feed_by_token(bytea) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_calendar_feed_by_token(bytea) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_calendar_feed_by_token(bytea) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_calendar_feed_by_token(bytea)`);
    await q.query(`DROP TABLE IF EXISTS calendar_feeds`);
  }
}
