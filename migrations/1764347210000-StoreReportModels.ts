import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Issue 25 (items 3 and 5).
 *
 * - `report_models`: the ReportModel each issued PDF was rendered from, written by the report worker
 *   in the same transaction as `report_content`. The editable board pack (DOCX) and the registers
 *   (XLSX) are derived from it, so their numbers cannot differ from the signed PDF's. A tenant table
 *   like `report_content`: RLS forced, hoh_app may INSERT and SELECT only (write-once, as the PDF).
 *   Reports issued before this migration have no row; their office copies answer 409
 *   REPORT_MODEL_MISSING (issue a new report).
 * - `report_registry.results_sha256`: the public verify page opens from a report's QR code with its
 *   id and results hash (`/verify?report=…&results=…`). `hoh_verify_report_id` answers only when
 *   BOTH match one issued report, so a guessed or enumerated id alone tells nobody anything; like
 *   `hoh_verify_report_hash` it returns the issuer's name, the issue date and the PDF hash, nothing
 *   else. Existing entries are backfilled from their reports (RLS is lifted for that, inside this
 *   transaction, as in 1764347100000).
 */
export class StoreReportModels1764347210000 implements MigrationInterface {
  name = 'StoreReportModels1764347210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_models (
        organisation_id uuid NOT NULL,
        report_id       uuid NOT NULL,
        model           jsonb NOT NULL,
        PRIMARY KEY (organisation_id, report_id),
        FOREIGN KEY (organisation_id, report_id) REFERENCES reports (organisation_id, id)
      )`);
    await q.query(`ALTER TABLE report_models ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE report_models FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON report_models USING (${TENANT}) WITH CHECK (${TENANT})`);
    // No UPDATE or DELETE: the model is as write-once as the PDF rendered from it.
    await q.query(`GRANT SELECT, INSERT ON report_models TO hoh_app`);

    await q.query(`ALTER TABLE report_registry ADD COLUMN results_sha256 text CHECK (results_sha256 ~ '^[0-9a-f]{64}$')`);
    await q.query(`ALTER TABLE report_registry NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE reports NO FORCE ROW LEVEL SECURITY`);
    await q.query(`
      UPDATE report_registry g SET results_sha256 = r.results_sha256
      FROM reports r WHERE r.organisation_id = g.organisation_id AND r.id = g.report_id`);
    await q.query(`ALTER TABLE reports FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE report_registry FORCE ROW LEVEL SECURITY`);
    // Every issued report has one (reports.results_sha256 is NOT NULL once ready).
    await q.query(`ALTER TABLE report_registry ALTER COLUMN results_sha256 SET NOT NULL`);
    // The public lookup by id crosses organisations: one index on the id alone.
    await q.query(`CREATE INDEX report_registry_by_report ON report_registry (report_id)`);

    await q.query(`
      CREATE FUNCTION hoh_verify_report_id(p_report_id uuid, p_results_sha256 text)
      RETURNS TABLE (report_id uuid, organisation_name text, issued_at timestamptz, pdf_sha256 text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT g.report_id, g.organisation_name, g.issued_at, g.pdf_sha256 FROM report_registry g
        WHERE g.report_id = p_report_id AND g.results_sha256 = p_results_sha256
      $$`);
    await q.query(`ALTER FUNCTION hoh_verify_report_id(uuid, text) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_verify_report_id(uuid, text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_verify_report_id(uuid, text) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_verify_report_id(uuid, text)`);
    await q.query(`DROP INDEX IF EXISTS report_registry_by_report`);
    await q.query(`ALTER TABLE report_registry DROP COLUMN IF EXISTS results_sha256`);
    await q.query(`DROP TABLE IF EXISTS report_models`);
  }
}
