import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 29 item 6: every key of a tenant table holds organisation_id, so each tenant table can be
 * distributed by organisation (docs/SCALING.md §4: a distributed PostgreSQL such as Citus enforces a
 * primary or unique key only when it includes the distribution column). Three keys did not:
 *
 * - `invitations.token_hash` and `calendar_feeds.token_hash` were unique on the hash alone. They
 *   become unique per organisation, and a plain index on the hash keeps the cross-tenant lookups
 *   (hoh_invitation_by_token, hoh_calendar_feed_by_token) one index probe. A token is 32 random
 *   bytes, so two equal SHA-256 hashes never occur by chance.
 * - `report_registry`'s primary key was the PDF hash. It becomes (organisation_id, report_id), which
 *   was already unique and not null; the public verification (hoh_verify_report_hash) finds the hash
 *   through a plain index. Each issued PDF prints its own report id, so no two reports share a hash.
 *
 * No statement names the old keys (no ON CONFLICT on them) and nothing refers to report_registry.
 */
export class ScopeUniqueKeysToOrganisation1764347300000 implements MigrationInterface {
  name = 'ScopeUniqueKeysToOrganisation1764347300000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['invitations', 'calendar_feeds']) {
      await q.query(`CREATE UNIQUE INDEX ${table}_organisation_token_hash_key ON ${table} (organisation_id, token_hash)`);
      await q.query(`CREATE INDEX ${table}_token_hash_idx ON ${table} (token_hash)`);
      await q.query(`DROP INDEX ${table}_token_hash_key`);
    }
    await q.query(`ALTER TABLE report_registry DROP CONSTRAINT report_registry_pkey`);
    await q.query(`ALTER TABLE report_registry DROP CONSTRAINT report_registry_report_key`);
    await q.query(`ALTER TABLE report_registry ADD CONSTRAINT report_registry_pkey PRIMARY KEY (organisation_id, report_id)`);
    await q.query(`CREATE INDEX report_registry_by_hash ON report_registry (pdf_sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX report_registry_by_hash`);
    await q.query(`ALTER TABLE report_registry DROP CONSTRAINT report_registry_pkey`);
    await q.query(`ALTER TABLE report_registry ADD CONSTRAINT report_registry_report_key UNIQUE (organisation_id, report_id)`);
    await q.query(`ALTER TABLE report_registry ADD CONSTRAINT report_registry_pkey PRIMARY KEY (pdf_sha256)`);
    for (const table of ['invitations', 'calendar_feeds']) {
      await q.query(`CREATE UNIQUE INDEX ${table}_token_hash_key ON ${table} (token_hash)`);
      await q.query(`DROP INDEX ${table}_token_hash_idx`);
      await q.query(`DROP INDEX ${table}_organisation_token_hash_key`);
    }
  }
}
