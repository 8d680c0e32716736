import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Issue 24: accepting evidence requires that the reviewer opened it (docs/PRODUCT.md §evidence).
 * `evidence_opens` is the server's own record of that: one row per evidence item and person, holding
 * when they last opened it and how ('content' download, 'link' followed through the redirect,
 * 'declared' look-up of a document id in their own system). Every open is also an `evidence.opened`
 * audit entry, so the history lives in the chain; this row is what the accept check reads.
 *
 * The row is an input to accepting evidence, so it is audited state (AUDITED_STATE in
 * apps/api/src/modules/audit/audited-state.ts): the same capture triggers as the other audited
 * tables, so an open inserted behind the API's back (to make a blind acceptance look opened) shows
 * as drift on verify. The table is new and empty, so no baseline entry is needed.
 */
export class CreateEvidenceOpens1764347000000 implements MigrationInterface {
  name = 'CreateEvidenceOpens1764347000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_opens (
        organisation_id uuid NOT NULL,
        evidence_id     uuid NOT NULL,
        user_id         uuid NOT NULL REFERENCES users (id),
        opened_at       timestamptz NOT NULL,
        how             text NOT NULL CHECK (how IN ('content', 'link', 'declared')),
        PRIMARY KEY (organisation_id, evidence_id, user_id),
        FOREIGN KEY (organisation_id, evidence_id) REFERENCES evidence (organisation_id, id)
      )`);
    await q.query(`ALTER TABLE evidence_opens ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE evidence_opens FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON evidence_opens USING (${TENANT}) WITH CHECK (${TENANT})`);
    // No DELETE: an open, once recorded, stays (a later open only moves opened_at forward).
    await q.query(`GRANT SELECT, INSERT, UPDATE ON evidence_opens TO hoh_app`);

    // Capture the written rows for the audit chain, as migration 1764346800000 does for the other audited tables.
    await q.query(`CREATE TRIGGER evidence_opens_inserted_audit_capture AFTER INSERT ON evidence_opens REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
    await q.query(`CREATE TRIGGER evidence_opens_updated_audit_capture AFTER UPDATE ON evidence_opens REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
    await q.query(`CREATE TRIGGER evidence_opens_deleted_audit_capture AFTER DELETE ON evidence_opens REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS evidence_opens`);
  }
}
