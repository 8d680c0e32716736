import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version of each assessment's scoring input (its answers, their evidence links, the linked
 * evidence's status and dates, its target overrides), changed by triggers on every write to those
 * rows, so the API can keep the aggregated input and skip re-reading it while the version stands
 * (issue 9: aggregating it was more than half of PostgreSQL's CPU for a dashboard or score read).
 *
 * - Versions come from one sequence, never `+ 1`: a sequence never hands out a value twice, even
 *   to a transaction that rolls back. A transaction that read its own uncommitted rows under a
 *   version can then never have that version mistaken for committed content afterwards.
 * - Triggers, not application code: any statement that changes an input row bumps the version,
 *   including ones written later by someone who has never heard of the cache.
 * - Lock order: the triggers take the organisation's audit-chain lock (the advisory lock every
 *   audited write takes right after its own rows, re-entrant within a transaction) before touching
 *   a version row. Writers of one organisation's inputs are so already queued on that lock, and no
 *   two can hold version rows in opposite orders. The version lives in its own row, not on
 *   `assessments`: the review path locks the assessment before its answers and the answer write
 *   the answer first, so locking the assessment row here would let the two deadlock.
 */
export class AddScoringInputVersions1764346700000 implements MigrationInterface {
  name = 'AddScoringInputVersions1764346700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE scoring_input_version_seq`);
    await q.query(`
      CREATE TABLE scoring_input_versions (
        organisation_id uuid NOT NULL,
        assessment_id   uuid NOT NULL,
        version         bigint NOT NULL,
        PRIMARY KEY (organisation_id, assessment_id),
        FOREIGN KEY (organisation_id, assessment_id) REFERENCES assessments (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE scoring_input_versions ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE scoring_input_versions FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON scoring_input_versions
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON scoring_input_versions TO hoh_app`);
    await q.query(`GRANT USAGE ON SEQUENCE scoring_input_version_seq TO hoh_app`);

    // One trigger function for all four tables, so the lock order lives in one place. Rows of
    // answers, answer_evidence and target_overrides name their assessment; evidence is the
    // organisation's, linked to answers, and a change to what scoring reads of it (status, kind,
    // dates) bumps every assessment that links it. Statement-level with transition tables: a bulk
    // copy of 50 answers bumps once, not 50 times. (PL/pgSQL plans each statement when it first
    // runs, so the evidence branch may name old_rows, which only evidence's trigger defines.)
    await q.query(`
      CREATE FUNCTION hoh_bump_scoring_input() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        orgs uuid[];
        ids uuid[];
      BEGIN
        IF TG_TABLE_NAME = 'evidence' THEN
          SELECT array_agg(p.organisation_id ORDER BY p.organisation_id, p.assessment_id), array_agg(p.assessment_id ORDER BY p.organisation_id, p.assessment_id)
            INTO orgs, ids
            FROM (SELECT DISTINCT l.organisation_id, l.assessment_id
                  FROM answer_evidence l
                  JOIN changed e ON e.organisation_id = l.organisation_id AND e.id = l.evidence_id
                  LEFT JOIN old_rows b ON b.organisation_id = e.organisation_id AND b.id = e.id
                  WHERE (b.status, b.kind, b.issued_at, b.expires_at) IS DISTINCT FROM (e.status, e.kind, e.issued_at, e.expires_at)) p;
        ELSE
          SELECT array_agg(p.organisation_id ORDER BY p.organisation_id, p.assessment_id), array_agg(p.assessment_id ORDER BY p.organisation_id, p.assessment_id)
            INTO orgs, ids
            FROM (SELECT DISTINCT organisation_id, assessment_id FROM changed) p;
        END IF;
        IF orgs IS NULL THEN
          RETURN NULL;
        END IF;
        -- The audit-chain lock first (same key as auditChainLock in audit.service.ts): see the lock order above.
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || o::text, 0)) FROM (SELECT DISTINCT o FROM unnest(orgs) o ORDER BY o) d;
        INSERT INTO scoring_input_versions (organisation_id, assessment_id, version)
          SELECT p.o, p.a, nextval('scoring_input_version_seq') FROM unnest(orgs, ids) WITH ORDINALITY p (o, a, n) ORDER BY p.n
        ON CONFLICT (organisation_id, assessment_id) DO UPDATE SET version = EXCLUDED.version;
        RETURN NULL;
      END $$`);
    for (const table of ['answers', 'answer_evidence', 'target_overrides']) {
      await q.query(`CREATE TRIGGER ${table}_inserted_bump_scoring_input AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_bump_scoring_input()`);
      await q.query(`CREATE TRIGGER ${table}_updated_bump_scoring_input AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_bump_scoring_input()`);
      await q.query(`CREATE TRIGGER ${table}_deleted_bump_scoring_input AFTER DELETE ON ${table} REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_bump_scoring_input()`);
    }
    await q.query(`
      CREATE TRIGGER evidence_updated_bump_scoring_input AFTER UPDATE ON evidence
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_bump_scoring_input()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS evidence_updated_bump_scoring_input ON evidence`);
    for (const table of ['answers', 'answer_evidence', 'target_overrides']) {
      for (const event of ['inserted', 'updated', 'deleted']) await q.query(`DROP TRIGGER IF EXISTS ${table}_${event}_bump_scoring_input ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS hoh_bump_scoring_input()`);
    await q.query(`DROP TABLE IF EXISTS scoring_input_versions`);
    await q.query(`DROP SEQUENCE IF EXISTS scoring_input_version_seq`);
  }
}
