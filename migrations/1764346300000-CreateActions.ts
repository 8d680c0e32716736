import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Remediation actions belong to the organisation (not one assessment), so they carry into next year's review. */
export class CreateActions1764346300000 implements MigrationInterface {
  name = 'CreateActions1764346300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE actions (
        organisation_id          uuid NOT NULL REFERENCES organisations (organisation_id),
        id                       uuid NOT NULL,
        title                    text NOT NULL,
        description              text NOT NULL DEFAULT '',
        owner_id                 uuid REFERENCES users (id),
        due_date                 date,
        status                   text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'risk_accepted')),
        status_reason            text,
        closing_note             text,
        closing_evidence_id      uuid,
        priority_override        text CHECK (priority_override IN ('p1', 'p2', 'p3', 'p4')),
        priority_override_reason text,
        question_ids             text[] NOT NULL DEFAULT '{}',
        -- Set on suggested actions: the question they were suggested for, so regenerating is idempotent.
        suggestion_key           text,
        version                  integer NOT NULL DEFAULT 1,
        created_by               uuid NOT NULL REFERENCES users (id),
        created_at               timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, id),
        CONSTRAINT actions_suggestion_key UNIQUE (organisation_id, suggestion_key),
        FOREIGN KEY (organisation_id, closing_evidence_id) REFERENCES evidence (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX actions_by_status ON actions (organisation_id, status, due_date)`);
    await q.query(`ALTER TABLE actions ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE actions FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON actions
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON actions TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS actions`);
  }
}
