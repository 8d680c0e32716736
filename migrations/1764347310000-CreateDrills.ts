import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Incident drills (issue 30, docs/PRODUCT.md §15): a drill run from the scenario library, its
 * participants, and its timeline of events (starts, reveals, decisions, notes, pauses, the finish),
 * each with who and when and the drill time at that moment. Every step is also an audit entry; the
 * timeline is what the drill record is rendered from. Drills hold words only: no column takes bytes
 * (the record PDF is stored as evidence, through the evidence rules).
 */
export class CreateDrills1764347310000 implements MigrationInterface {
  name = 'CreateDrills1764347310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drills (
        organisation_id     uuid NOT NULL REFERENCES organisations (organisation_id),
        id                  uuid NOT NULL,
        scenario_id         text NOT NULL,
        library_version     text NOT NULL,
        status              text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'finished')),
        facilitator_id      uuid NOT NULL REFERENCES users (id),
        started_at          timestamptz NOT NULL,
        paused_at           timestamptz,
        -- Paused time before the current pause, so drill time = now - started_at - paused_ms (- the current pause).
        paused_ms           bigint NOT NULL DEFAULT 0 CHECK (paused_ms >= 0),
        revealed            integer NOT NULL DEFAULT 1 CHECK (revealed >= 1),
        finished_at         timestamptz,
        lessons             jsonb NOT NULL DEFAULT '[]',
        follow_ups          jsonb NOT NULL DEFAULT '[]',
        evidence_id         uuid,
        assessment_id       uuid,
        linked_question_ids text[] NOT NULL DEFAULT '{}',
        pdf_sha256          text,
        manifest            jsonb,
        signature           text,
        key_id              text,
        version             integer NOT NULL DEFAULT 1,
        PRIMARY KEY (organisation_id, id),
        FOREIGN KEY (organisation_id, evidence_id) REFERENCES evidence (organisation_id, id),
        CHECK ((status = 'paused') = (paused_at IS NOT NULL)),
        CHECK ((status = 'finished') = (finished_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX drills_by_start ON drills (organisation_id, started_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE drill_participants (
        organisation_id uuid NOT NULL,
        drill_id        uuid NOT NULL,
        user_id         uuid NOT NULL REFERENCES users (id),
        role_id         text NOT NULL,
        PRIMARY KEY (organisation_id, drill_id, user_id, role_id),
        FOREIGN KEY (organisation_id, drill_id) REFERENCES drills (organisation_id, id)
      )`);
    await q.query(`
      CREATE TABLE drill_events (
        organisation_id uuid NOT NULL,
        drill_id        uuid NOT NULL,
        seq             integer NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('started', 'revealed', 'decision', 'note', 'paused', 'resumed', 'finished')),
        at              timestamptz NOT NULL,
        elapsed_ms      bigint NOT NULL CHECK (elapsed_ms >= 0),
        actor_id        uuid NOT NULL REFERENCES users (id),
        inject_id       text,
        decision_id     text,
        decided_by      uuid REFERENCES users (id),
        text            text,
        rating          text CHECK (rating IN ('as_expected', 'partly', 'missed')),
        mistakes        text[] NOT NULL DEFAULT '{}',
        milestone       text CHECK (milestone IN ('escalation', 'isolation', 'report_decision')),
        PRIMARY KEY (organisation_id, drill_id, seq),
        FOREIGN KEY (organisation_id, drill_id) REFERENCES drills (organisation_id, id)
      )`);
    for (const table of ['drills', 'drill_participants', 'drill_events']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT}) WITH CHECK (${TENANT})`);
    }
    // A drill's row moves (status, reveals, the record); participants and events are only ever added.
    await q.query(`GRANT SELECT, INSERT, UPDATE ON drills TO hoh_app`);
    await q.query(`GRANT SELECT, INSERT ON drill_participants, drill_events TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS drill_events`);
    await q.query(`DROP TABLE IF EXISTS drill_participants`);
    await q.query(`DROP TABLE IF EXISTS drills`);
  }
}
