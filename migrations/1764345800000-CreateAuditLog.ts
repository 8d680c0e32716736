import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only, hash-chained audit log per organisation (docs/API.md §12): written in the
 * same transaction as the change it records; UPDATE/DELETE/TRUNCATE revoked and refused by trigger.
 */
export class CreateAuditLog1764345800000 implements MigrationInterface {
  name = 'CreateAuditLog1764345800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        seq             bigint NOT NULL,
        id              uuid NOT NULL,
        occurred_at     timestamptz NOT NULL,
        actor_id        uuid,
        action          text NOT NULL,
        entity_type     text NOT NULL,
        entity_id       text NOT NULL,
        data            jsonb NOT NULL,
        prev_hash       text NOT NULL,
        hash            text NOT NULL,
        PRIMARY KEY (organisation_id, seq),
        CONSTRAINT audit_log_id_key UNIQUE (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX audit_log_by_entity ON audit_log (organisation_id, entity_type, entity_id, seq)`);
    await q.query(`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_log FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON audit_log
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT ON audit_log TO hoh_app`);
    await q.query(`
      CREATE FUNCTION hoh_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION hoh_audit_log_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION hoh_audit_log_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_audit_log_is_append_only()`);
  }
}
