import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;
const ACTING_USER = `(SELECT NULLIF(current_setting('app.user_id', true), '')::uuid)`;

/**
 * Full-read grants and the group board report (issue 31 items 1 and 3, docs/PRODUCT.md §16.5–16.6).
 *
 * - `group_read_grants`: a tenant table, written only by the organisation itself (its owner, in its
 *   own RLS transaction): "this group may read our answers, evidence list and latest report". A group
 *   reads through three SECURITY DEFINER functions owned by hoh_lookup, each of which answers only
 *   when the acting user holds a role in the group, the organisation is a current member, and the
 *   grant was made after it (last) joined: so revoking (DELETE), leaving or being removed ends the
 *   read at once, and a grant never survives a leave-and-rejoin. No FK to groups: the grant is the
 *   organisation's row (distributed by organisation_id); the service grants only to a group it is in.
 *   hoh_lookup's new policies on answers, evidence, assessments, reports and report_content see only
 *   organisations that hold a grant at all.
 * - `group_reports`: the group board report's job row, result, model and PDF, keyed by group_id like
 *   every group table; queued by the group's owner, claimed by the report workers through
 *   hoh_claim_group_report_job (the same NOTIFY channel wakes them), rendered as the person who asked,
 *   frozen once ready.
 * - `group_report_registry`: public verification of group reports, keyed by group_id. The brief
 *   proposed making report_registry.organisation_id nullable beside a group_id; that registry is
 *   distributed by organisation_id and its primary key leads with it (test/deploy/distributable-schema),
 *   which a nullable column cannot, so group reports get a registry of their own in the group
 *   co-location group and the public verification reads both.
 */
export class AddGroupReadGrantsAndReports1764347380000 implements MigrationInterface {
  name = 'AddGroupReadGrantsAndReports1764347380000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE group_read_grants (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        group_id        uuid NOT NULL,
        granted_by      uuid NOT NULL REFERENCES users (id),
        granted_at      timestamptz NOT NULL,
        PRIMARY KEY (organisation_id, group_id)
      )`);
    await q.query(`ALTER TABLE group_read_grants ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE group_read_grants FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON group_read_grants USING (${TENANT}) WITH CHECK (${TENANT})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON group_read_grants TO hoh_app`);

    // hoh_lookup reads grants and, only for organisations holding one, what a grant opens.
    await q.query(`CREATE POLICY group_full_read ON group_read_grants FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT ON group_read_grants TO hoh_lookup`);
    const granted = (table: string) => `EXISTS (SELECT 1 FROM group_read_grants gr WHERE gr.organisation_id = ${table}.organisation_id)`;
    await q.query(`CREATE POLICY group_full_read ON assessments FOR SELECT TO hoh_lookup USING (${granted('assessments')})`);
    await q.query(`GRANT SELECT (organisation_id, id, title, status, created_at) ON assessments TO hoh_lookup`);
    await q.query(`CREATE POLICY group_full_read ON answers FOR SELECT TO hoh_lookup USING (${granted('answers')})`);
    await q.query(`GRANT SELECT (organisation_id, assessment_id, question_id, value, justification, comment, answered_at, review_status) ON answers TO hoh_lookup`);
    await q.query(`CREATE POLICY group_full_read ON evidence FOR SELECT TO hoh_lookup USING (${granted('evidence')})`);
    await q.query(
      `GRANT SELECT (organisation_id, id, title, kind, source, file_name, media_type, size_bytes, sha256, external_ref, issued_at, expires_at, status, created_at) ON evidence TO hoh_lookup`,
    );
    await q.query(`CREATE POLICY group_full_read ON reports FOR SELECT TO hoh_lookup USING (status = 'ready' AND ${granted('reports')})`);
    await q.query(`GRANT SELECT (draft, issued_at, assessment_id, pdf_sha256, results_sha256) ON reports TO hoh_lookup`);
    await q.query(`CREATE POLICY group_full_read ON report_content FOR SELECT TO hoh_lookup USING (${granted('report_content')})`);
    await q.query(`GRANT SELECT ON report_content TO hoh_lookup`);

    // Whether the acting user's group may read this organisation in full right now.
    await q.query(`
      CREATE FUNCTION hoh_group_full_read(p_group_id uuid, p_organisation_id uuid) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
          SELECT 1 FROM group_roles r
          JOIN group_memberships m ON m.group_id = r.group_id AND m.organisation_id = p_organisation_id AND m.status = 'member'
          JOIN group_read_grants g ON g.group_id = r.group_id AND g.organisation_id = p_organisation_id AND g.granted_at >= m.joined_at
          WHERE r.group_id = p_group_id AND r.user_id = ${ACTING_USER})
      $$`);
    const fullRead = `hoh_group_full_read(p_group_id, p_organisation_id)`;
    await q.query(`
      CREATE FUNCTION hoh_group_member_answers(p_group_id uuid, p_organisation_id uuid)
      RETURNS TABLE (assessment_id uuid, assessment_title text, assessment_status text, question_id text, value text, justification text, comment text, answered_at timestamptz, review_status text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH latest AS (
          SELECT a.id, a.title, a.status FROM assessments a
          WHERE a.organisation_id = p_organisation_id AND ${fullRead}
          ORDER BY a.created_at DESC, a.id DESC LIMIT 1)
        SELECT l.id, l.title, l.status, x.question_id, x.value, x.justification, x.comment, x.answered_at, x.review_status
        FROM latest l LEFT JOIN answers x ON x.organisation_id = p_organisation_id AND x.assessment_id = l.id
        ORDER BY x.question_id
      $$`);
    await q.query(`
      CREATE FUNCTION hoh_group_member_evidence(p_group_id uuid, p_organisation_id uuid)
      RETURNS TABLE (id uuid, title text, kind text, source text, file_name text, media_type text, size_bytes bigint, sha256 text, issued_at timestamptz, expires_at timestamptz, status text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT e.id, e.title, e.kind, e.source, e.file_name, e.media_type, e.size_bytes, e.sha256, e.issued_at, e.expires_at, e.status
        FROM evidence e WHERE e.organisation_id = p_organisation_id AND ${fullRead}
        ORDER BY e.created_at DESC, e.id DESC LIMIT 500
      $$`);
    await q.query(`
      CREATE FUNCTION hoh_group_member_report(p_group_id uuid, p_organisation_id uuid)
      RETURNS TABLE (report_id uuid, assessment_id uuid, issued_at timestamptz, pdf_sha256 text, results_sha256 text, bytes bytea)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT r.id, r.assessment_id, r.issued_at, r.pdf_sha256, r.results_sha256, c.bytes
        FROM reports r JOIN report_content c ON c.organisation_id = r.organisation_id AND c.report_id = r.id
        WHERE r.organisation_id = p_organisation_id AND r.status = 'ready' AND NOT r.draft AND ${fullRead}
        ORDER BY r.issued_at DESC, r.id DESC LIMIT 1
      $$`);
    for (const fn of ['hoh_group_full_read(uuid, uuid)', 'hoh_group_member_answers(uuid, uuid)', 'hoh_group_member_evidence(uuid, uuid)', 'hoh_group_member_report(uuid, uuid)']) {
      await q.query(`ALTER FUNCTION ${fn} OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO hoh_app`);
    }

    await q.query(`
      CREATE TABLE group_reports (
        group_id       uuid NOT NULL REFERENCES groups (group_id),
        id             uuid NOT NULL,
        status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'rendering', 'ready', 'failed')),
        requested_by   uuid NOT NULL REFERENCES users (id),
        requested_at   timestamptz NOT NULL,
        attempts       integer NOT NULL DEFAULT 0,
        claimed_at     timestamptz,
        issued_at      timestamptz,
        pdf_sha256     text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        results_sha256 text CHECK (results_sha256 ~ '^[0-9a-f]{64}$'),
        size_bytes     integer,
        manifest       jsonb,
        signature      text,
        key_id         text,
        render_ms      integer,
        model          jsonb,
        pdf            bytea,
        error          text,
        PRIMARY KEY (group_id, id),
        CHECK (status <> 'ready' OR (pdf_sha256 IS NOT NULL AND results_sha256 IS NOT NULL AND manifest IS NOT NULL AND signature IS NOT NULL AND issued_at IS NOT NULL AND pdf IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX group_reports_by_requested ON group_reports (group_id, requested_at DESC, id DESC)`);
    await q.query(`CREATE INDEX group_reports_pending ON group_reports (requested_at) WHERE status IN ('queued', 'rendering')`);
    await q.query(`
      CREATE TABLE group_report_registry (
        group_id       uuid NOT NULL,
        report_id      uuid NOT NULL,
        pdf_sha256     text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        results_sha256 text NOT NULL CHECK (results_sha256 ~ '^[0-9a-f]{64}$'),
        group_name     text NOT NULL,
        issued_at      timestamptz NOT NULL,
        PRIMARY KEY (group_id, report_id),
        FOREIGN KEY (group_id, report_id) REFERENCES group_reports (group_id, id)
      )`);
    await q.query(`CREATE INDEX group_report_registry_by_hash ON group_report_registry (pdf_sha256)`);
    await q.query(`CREATE INDEX group_report_registry_by_report ON group_report_registry (report_id)`);
    for (const table of ['group_reports', 'group_report_registry']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    // Read by the group's role holders; queued by its owner as themself; finished (or failed) by the
    // worker acting as the person who asked, while they still hold a role.
    await q.query(`CREATE POLICY group_report_read ON group_reports FOR SELECT TO hoh_app USING (hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(
      `CREATE POLICY group_report_queue ON group_reports FOR INSERT TO hoh_app WITH CHECK (hoh_group_role(group_id) = 'owner' AND requested_by = ${ACTING_USER} AND status = 'queued')`,
    );
    await q.query(`
      CREATE POLICY group_report_finish ON group_reports FOR UPDATE TO hoh_app
      USING (hoh_group_role(group_id) IS NOT NULL AND requested_by = ${ACTING_USER} AND status = 'rendering')
      WITH CHECK (status IN ('ready', 'failed'))`);
    await q.query(`GRANT SELECT, INSERT ON group_reports TO hoh_app`);
    await q.query(
      `GRANT UPDATE (status, issued_at, pdf_sha256, results_sha256, size_bytes, manifest, signature, key_id, render_ms, model, pdf, error) ON group_reports TO hoh_app`,
    );
    await q.query(`CREATE TRIGGER group_reports_freeze_issued BEFORE UPDATE ON group_reports FOR EACH ROW EXECUTE FUNCTION hoh_reports_freeze_issued()`);
    await q.query(`CREATE TRIGGER group_reports_notify_queued AFTER INSERT ON group_reports FOR EACH STATEMENT EXECUTE FUNCTION hoh_notify_report_jobs()`);

    await q.query(`CREATE POLICY group_registry_read ON group_report_registry FOR SELECT TO hoh_app USING (hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(`CREATE POLICY group_registry_add ON group_report_registry FOR INSERT TO hoh_app WITH CHECK (hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(`GRANT SELECT, INSERT ON group_report_registry TO hoh_app`);

    // The workers' claim, as for organisations' reports (hoh_claim_report_job).
    await q.query(`CREATE POLICY report_worker_read ON group_reports FOR SELECT TO hoh_lookup USING (status IN ('queued', 'rendering'))`);
    await q.query(`CREATE POLICY report_worker_claim ON group_reports FOR UPDATE TO hoh_lookup USING (status IN ('queued', 'rendering')) WITH CHECK (status = 'rendering')`);
    await q.query(`GRANT SELECT (group_id, id, status, requested_by, requested_at, attempts, claimed_at) ON group_reports TO hoh_lookup`);
    await q.query(`GRANT UPDATE (status, attempts, claimed_at) ON group_reports TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_claim_group_report_job(p_stale_seconds integer)
      RETURNS TABLE (group_id uuid, report_id uuid, requested_by uuid, attempts integer)
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH next AS (
          SELECT r.group_id, r.id FROM group_reports r
          WHERE r.status = 'queued' OR (r.status = 'rendering' AND r.claimed_at < now() - make_interval(secs => p_stale_seconds))
          ORDER BY r.requested_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        )
        UPDATE group_reports r SET status = 'rendering', claimed_at = now(), attempts = r.attempts + 1
        FROM next WHERE r.group_id = next.group_id AND r.id = next.id
        RETURNING r.group_id, r.id, r.requested_by, r.attempts
      $$`);

    // Public verification of a group report: what hoh_verify_report_hash/_id answer for organisations.
    await q.query(`CREATE POLICY cross_group_lookup ON group_report_registry FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT ON group_report_registry TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_verify_group_report_hash(p_sha256 text)
      RETURNS TABLE (report_id uuid, group_name text, issued_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT g.report_id, g.group_name, g.issued_at FROM group_report_registry g WHERE g.pdf_sha256 = p_sha256
      $$`);
    await q.query(`
      CREATE FUNCTION hoh_verify_group_report_id(p_report_id uuid, p_results_sha256 text)
      RETURNS TABLE (report_id uuid, group_name text, issued_at timestamptz, pdf_sha256 text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT g.report_id, g.group_name, g.issued_at, g.pdf_sha256 FROM group_report_registry g
        WHERE g.report_id = p_report_id AND g.results_sha256 = p_results_sha256
      $$`);
    for (const fn of ['hoh_claim_group_report_job(integer)', 'hoh_verify_group_report_hash(text)', 'hoh_verify_group_report_id(uuid, text)']) {
      await q.query(`ALTER FUNCTION ${fn} OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO hoh_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'hoh_verify_group_report_id(uuid, text)',
      'hoh_verify_group_report_hash(text)',
      'hoh_claim_group_report_job(integer)',
      'hoh_group_member_report(uuid, uuid)',
      'hoh_group_member_evidence(uuid, uuid)',
      'hoh_group_member_answers(uuid, uuid)',
      'hoh_group_full_read(uuid, uuid)',
    ])
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    await q.query(`DROP TABLE IF EXISTS group_report_registry, group_reports`);
    for (const table of ['assessments', 'answers', 'evidence', 'reports', 'report_content']) await q.query(`DROP POLICY IF EXISTS group_full_read ON ${table}`);
    await q.query(`DROP TABLE IF EXISTS group_read_grants`);
  }
}
