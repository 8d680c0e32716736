import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows' state the audit chain holds (AUDITED_STATE in apps/api/src/modules/audit/audited-state.ts names their columns). */
const AUDITED_TABLES = ['assessments', 'answers', 'answer_evidence', 'evidence', 'target_overrides', 'organisation_profiles', 'assessment_verifications'];

/**
 * Issue 20: verify compared only an answer's value, justification, comment and version, so a
 * superuser who approved answers or accepted evidence directly in the database changed the score's
 * confidence unnoticed. Now every audited write chains the state of the rows it wrote (the columns
 * AUDITED_STATE lists) and verify compares each current row with it.
 *
 * A trigger captures the rows, not the application: every statement that writes an audited table
 * is captured, including ones written later by someone who has never heard of the audit (a column
 * forgotten in one write path would otherwise show up as false drift, or a field as unaudited). It
 * only records each written row as JSON in a transaction-local setting; AuditService.append reads
 * it in the statement that already reads the chain head and chains it in the entry's `data.state`
 * (the hash and canonical JSON are computed in Node, as for every entry), then clears it with the
 * entry's INSERT. So a write costs no extra round trip and no table write. A write outside the API
 * (a superuser's UPDATE) is captured into a setting no append ever reads: it vanishes with its
 * transaction, and verify reports the row as drift. Whole rows are recorded, so auditing another
 * column is one line in AUDITED_STATE and no migration.
 */
export class CaptureAuditedState1764346800000 implements MigrationInterface {
  name = 'CaptureAuditedState1764346800000';

  async up(q: QueryRunner): Promise<void> {
    // Statement-level, over the statement's transition table: one append to the setting per
    // statement, not per row (a per-row append copies the whole setting each time: quadratic for a
    // bulk write, 5+ minutes for the 1,000-organisation seed). PostgreSQL allows transition tables on
    // single-event triggers only, hence three per table, all named `changed` for the one function.
    await q.query(`
      CREATE FUNCTION hoh_audit_capture_state() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        lines text;
      BEGIN
        -- One JSON object a line (JSON text never holds a raw newline); set_config(..., true) lasts
        -- until the transaction (or the savepoint it was set in) ends, like the write itself.
        SELECT string_agg(json_build_object('t', TG_TABLE_NAME, 'd', TG_OP = 'DELETE', 'r', to_jsonb(c))::text || E'\\n', '') INTO lines FROM changed c;
        IF lines IS NOT NULL THEN
          PERFORM set_config('hoh.audit_state', coalesce(current_setting('hoh.audit_state', true), '') || lines, true);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of AUDITED_TABLES) {
      await q.query(`CREATE TRIGGER ${table}_inserted_audit_capture AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
      await q.query(`CREATE TRIGGER ${table}_updated_audit_capture AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
      await q.query(`CREATE TRIGGER ${table}_deleted_audit_capture AFTER DELETE ON ${table} REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_capture_state()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of AUDITED_TABLES) {
      for (const event of ['inserted', 'updated', 'deleted']) await q.query(`DROP TRIGGER IF EXISTS ${table}_${event}_audit_capture ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS hoh_audit_capture_state()`);
  }
}
