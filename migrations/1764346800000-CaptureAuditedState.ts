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
    await q.query(`
      CREATE FUNCTION hoh_audit_capture_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- One JSON object a line (JSON text never holds a raw newline); set_config(..., true) lasts
        -- until the transaction (or the savepoint it was set in) ends, like the write itself.
        PERFORM set_config('hoh.audit_state',
          coalesce(current_setting('hoh.audit_state', true), '')
            || json_build_object('t', TG_TABLE_NAME, 'd', TG_OP = 'DELETE', 'r', CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END)::text
            || E'\\n',
          true);
        RETURN NULL;
      END $$`);
    for (const table of AUDITED_TABLES) {
      await q.query(`CREATE TRIGGER ${table}_audit_capture_state AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION hoh_audit_capture_state()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of AUDITED_TABLES) await q.query(`DROP TRIGGER IF EXISTS ${table}_audit_capture_state ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_audit_capture_state()`);
  }
}
