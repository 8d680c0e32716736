import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed heads of each organisation's audit chain (docs/API.md §12, ASVS 16.4.2):
 * a row per anchored seq with the entry's hash and an Ed25519 signature by the report-signing key.
 * Verification then notices a tail that was cut off or rewritten with recomputed hashes after it
 * was anchored, which the chain alone cannot. Append-only like the log itself.
 */
export class CreateAuditAnchors1764346600000 implements MigrationInterface {
  name = 'CreateAuditAnchors1764346600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_anchors (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        seq             bigint NOT NULL,
        head_hash       text NOT NULL,
        anchored_at     timestamptz NOT NULL,
        key_id          text NOT NULL,
        signature       text NOT NULL,
        PRIMARY KEY (organisation_id, seq)
      )`);
    await q.query(`ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_anchors FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON audit_anchors
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT ON audit_anchors TO hoh_app`);
    await q.query(`
      CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
        FOR EACH ROW EXECUTE FUNCTION hoh_audit_log_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
        FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_log_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_anchors`);
  }
}
