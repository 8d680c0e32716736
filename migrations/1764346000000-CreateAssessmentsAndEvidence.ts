import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['assessments', 'answers', 'assignments', 'target_overrides', 'assessment_verifications', 'evidence', 'evidence_content', 'answer_evidence'];

/**
 * Assessments, answers and evidence. Keys lead with organisation_id (Citus-ready, docs/SCALING.md
 * §4) and every foreign key carries it, so a row can only ever point inside its organisation.
 */
export class CreateAssessmentsAndEvidence1764346000000 implements MigrationInterface {
  name = 'CreateAssessmentsAndEvidence1764346000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assessments (
        organisation_id    uuid NOT NULL REFERENCES organisations (organisation_id),
        id                 uuid NOT NULL,
        title              text NOT NULL,
        framework_id       text NOT NULL,
        framework_version  text NOT NULL,
        status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'signed')),
        from_assessment_id uuid,
        profile_snapshot   jsonb,
        version            integer NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL DEFAULT now(),
        created_by         uuid NOT NULL REFERENCES users (id),
        submitted_at       timestamptz,
        signed_at          timestamptz,
        signature          jsonb,
        -- Frozen at sign-off: the exact engine input, so the signed score is reproducible forever.
        signed_scoring_input jsonb,
        PRIMARY KEY (organisation_id, id),
        FOREIGN KEY (organisation_id, from_assessment_id) REFERENCES assessments (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX assessments_by_created ON assessments (organisation_id, created_at DESC) INCLUDE (status)`);
    await q.query(`
      CREATE TABLE answers (
        organisation_id uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        question_id     text NOT NULL,
        value           text NOT NULL CHECK (value IN ('0', '1', '2', '3', '4', 'unknown', 'not_applicable')),
        justification   text,
        comment         text,
        version         integer NOT NULL DEFAULT 1,
        author_id       uuid NOT NULL REFERENCES users (id),
        answered_at     timestamptz NOT NULL DEFAULT now(),
        review_status   text NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'approved', 'returned')),
        reviewer_id     uuid REFERENCES users (id),
        reviewed_at     timestamptz,
        review_comment  text,
        na_approved     boolean NOT NULL DEFAULT false,
        PRIMARY KEY (organisation_id, assessment_id, question_id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE assignments (
        organisation_id uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        question_id     text NOT NULL,
        assignee_id     uuid NOT NULL REFERENCES users (id),
        assigned_by     uuid NOT NULL REFERENCES users (id),
        assigned_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, assessment_id, question_id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX assignments_by_assignee ON assignments (organisation_id, assignee_id)`);
    await q.query(`
      CREATE TABLE target_overrides (
        organisation_id uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        question_id     text NOT NULL,
        target          smallint NOT NULL CHECK (target BETWEEN 0 AND 4),
        reason          text NOT NULL,
        set_by          uuid NOT NULL REFERENCES users (id),
        set_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, assessment_id, question_id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE assessment_verifications (
        organisation_id uuid NOT NULL,
        id              uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        auditor_id      uuid NOT NULL REFERENCES users (id),
        verified_at     timestamptz NOT NULL DEFAULT now(),
        note            text,
        PRIMARY KEY (organisation_id, id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id)
      )`);
    await q.query(`
      CREATE TABLE evidence (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        id              uuid NOT NULL,
        title           text NOT NULL,
        kind            text NOT NULL,
        source          text NOT NULL CHECK (source IN ('file', 'external')),
        file_name       text,
        media_type      text,
        size_bytes      bigint,
        sha256          text,
        external_ref    text,
        issued_at       timestamptz NOT NULL,
        expires_at      timestamptz,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
        review_reason   text,
        reviewer_id     uuid REFERENCES users (id),
        reviewed_at     timestamptz,
        uploaded_by     uuid NOT NULL REFERENCES users (id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1,
        PRIMARY KEY (organisation_id, id),
        CHECK ((source = 'file' AND sha256 IS NOT NULL AND size_bytes IS NOT NULL) OR (source = 'external' AND external_ref IS NOT NULL))
      )`);
    // Bytes apart from metadata, so listing and scoring never drag file contents along.
    await q.query(`
      CREATE TABLE evidence_content (
        organisation_id uuid NOT NULL,
        evidence_id     uuid NOT NULL,
        bytes           bytea NOT NULL,
        PRIMARY KEY (organisation_id, evidence_id),
        FOREIGN KEY (organisation_id, evidence_id) REFERENCES evidence (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE answer_evidence (
        organisation_id uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        question_id     text NOT NULL,
        evidence_id     uuid NOT NULL,
        linked_by       uuid NOT NULL REFERENCES users (id),
        linked_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, assessment_id, question_id, evidence_id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id) ON DELETE CASCADE,
        FOREIGN KEY (organisation_id, evidence_id) REFERENCES evidence (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX answer_evidence_by_evidence ON answer_evidence (organisation_id, evidence_id)`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
          WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON assessments, answers, target_overrides, evidence TO hoh_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON assignments, answer_evidence TO hoh_app`);
    // Verifications and file bytes are written once and never changed.
    await q.query(`GRANT SELECT, INSERT ON assessment_verifications, evidence_content TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS answer_evidence, evidence_content, evidence, assessment_verifications, target_overrides, assignments, answers, assessments`);
  }
}
