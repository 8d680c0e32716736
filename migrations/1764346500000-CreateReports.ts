import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Issued reports (issue 6) and the tables around them.
 *
 * - `reports`: one row per report job; the table IS the job queue (pg-boss is not installed, so a
 *   PostgreSQL table claimed with FOR UPDATE SKIP LOCKED stands in for it). Workers in any API
 *   process claim jobs through `hoh_claim_report_job`, a SECURITY DEFINER function owned by
 *   hoh_lookup: it may only see queued/rendering rows and only move them to `rendering`. Everything
 *   else (reading the assessment, storing the result) happens as hoh_app inside a tenant transaction.
 *   Once `ready`, a trigger refuses any change, so the signed manifest can never be rewritten.
 * - `report_content`: the PDF bytes apart from the job row; hoh_app may INSERT and SELECT only.
 * - `report_registry`: the public-verification record (PDF hash → report id, issuer name, issue
 *   date). It carries the organisation id, so it follows the tenant-table rule (RLS forced); the
 *   public lookup crosses organisations only through `hoh_verify_report_hash`, which returns those
 *   three fields and nothing else.
 * - `report_signing_keys`: not per-organisation; holds the generated Ed25519 key when
 *   REPORT_SIGNING_KEY is unset, written once (INSERT only: no process can swap a key under another).
 */
export class CreateReports1764346500000 implements MigrationInterface {
  name = 'CreateReports1764346500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        id              uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'rendering', 'ready', 'failed')),
        draft           boolean NOT NULL,
        requested_by    uuid NOT NULL REFERENCES users (id),
        requested_at    timestamptz NOT NULL DEFAULT now(),
        attempts        integer NOT NULL DEFAULT 0,
        claimed_at      timestamptz,
        issued_at       timestamptz,
        pdf_sha256      text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        results_sha256  text CHECK (results_sha256 ~ '^[0-9a-f]{64}$'),
        size_bytes      integer,
        manifest        jsonb,
        signature       text,
        key_id          text,
        render_ms       integer,
        error           text,
        PRIMARY KEY (organisation_id, id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id),
        CHECK (status <> 'ready' OR (pdf_sha256 IS NOT NULL AND results_sha256 IS NOT NULL AND manifest IS NOT NULL AND signature IS NOT NULL AND issued_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX reports_by_requested ON reports (organisation_id, requested_at DESC, id DESC)`);
    await q.query(`CREATE INDEX reports_by_assessment ON reports (organisation_id, assessment_id, requested_at DESC)`);
    // The claim scans only the few unfinished jobs, whatever the history size.
    await q.query(`CREATE INDEX reports_pending ON reports (requested_at) WHERE status IN ('queued', 'rendering')`);

    await q.query(`
      CREATE TABLE report_content (
        organisation_id uuid NOT NULL,
        report_id       uuid NOT NULL,
        bytes           bytea NOT NULL,
        PRIMARY KEY (organisation_id, report_id),
        FOREIGN KEY (organisation_id, report_id) REFERENCES reports (organisation_id, id)
      )`);
    await q.query(`
      CREATE TABLE report_registry (
        pdf_sha256        text PRIMARY KEY CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        report_id         uuid NOT NULL,
        organisation_id   uuid NOT NULL,
        organisation_name text NOT NULL,
        issued_at         timestamptz NOT NULL,
        CONSTRAINT report_registry_report_key UNIQUE (organisation_id, report_id),
        FOREIGN KEY (organisation_id, report_id) REFERENCES reports (organisation_id, id)
      )`);

    for (const table of ['reports', 'report_content', 'report_registry']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT}) WITH CHECK (${TENANT})`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON reports TO hoh_app`);
    // No UPDATE or DELETE: issued bytes and registry entries are write-once.
    await q.query(`GRANT SELECT, INSERT ON report_content, report_registry TO hoh_app`);

    await q.query(`
      CREATE FUNCTION hoh_reports_freeze_issued() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'ready' THEN
          RAISE EXCEPTION 'report % is issued and immutable; issue a new report instead', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER reports_freeze_issued BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION hoh_reports_freeze_issued()`,
    );

    // The worker's claim: hoh_lookup sees only unfinished jobs and may only mark them rendering.
    await q.query(`CREATE POLICY report_worker_read ON reports FOR SELECT TO hoh_lookup USING (status IN ('queued', 'rendering'))`);
    await q.query(
      `CREATE POLICY report_worker_claim ON reports FOR UPDATE TO hoh_lookup USING (status IN ('queued', 'rendering')) WITH CHECK (status = 'rendering')`,
    );
    await q.query(`GRANT SELECT (organisation_id, id, status, requested_at, attempts, claimed_at) ON reports TO hoh_lookup`);
    await q.query(`GRANT UPDATE (status, attempts, claimed_at) ON reports TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_claim_report_job(p_stale_seconds integer)
      RETURNS TABLE (organisation_id uuid, report_id uuid, attempts integer)
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH next AS (
          SELECT r.organisation_id, r.id FROM reports r
          WHERE r.status = 'queued' OR (r.status = 'rendering' AND r.claimed_at < now() - make_interval(secs => p_stale_seconds))
          ORDER BY r.requested_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        )
        UPDATE reports r SET status = 'rendering', claimed_at = now(), attempts = r.attempts + 1
        FROM next WHERE r.organisation_id = next.organisation_id AND r.id = next.id
        RETURNING r.organisation_id, r.id, r.attempts
      $$`);
    await q.query(`ALTER FUNCTION hoh_claim_report_job(integer) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_claim_report_job(integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_claim_report_job(integer) TO hoh_app`);

    // Public verification: a PDF hash in, issuer name, report id and date out; nothing else.
    await q.query(`CREATE POLICY cross_tenant_lookup ON report_registry FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT ON report_registry TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_verify_report_hash(p_sha256 text)
      RETURNS TABLE (report_id uuid, organisation_name text, issued_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT g.report_id, g.organisation_name, g.issued_at FROM report_registry g WHERE g.pdf_sha256 = p_sha256
      $$`);
    await q.query(`ALTER FUNCTION hoh_verify_report_hash(text) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_verify_report_hash(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_verify_report_hash(text) TO hoh_app`);

    await q.query(`
      CREATE TABLE report_signing_keys (
        slot            smallint PRIMARY KEY CHECK (slot = 1),
        key_id          text NOT NULL,
        private_key_pem text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`GRANT SELECT, INSERT ON report_signing_keys TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_verify_report_hash(text)`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_claim_report_job(integer)`);
    await q.query(`DROP TABLE IF EXISTS report_signing_keys, report_registry, report_content, reports`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_reports_freeze_issued()`);
  }
}
