import type { MigrationInterface, QueryRunner } from 'typeorm';

import { JOB_SCHEMA } from './1764347230000-CreateJobQueue.js';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/** The job that moves `evidence_content` bytes into the object store and re-wraps storage keys (issue 29). */
export const STORAGE_QUEUE = {
  name: 'hoh-evidence-storage',
  // A run moves bounded batches and is safe to repeat (content-addressed objects, a row is only
  // deleted once its object reads back with the right SHA-256), so a failed run is simply retried.
  options: { policy: 'standard', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 },
} as const;

/**
 * Evidence in object storage, encrypted at rest (issue 29, docs/PRODUCT.md §6.6).
 *
 * - `storage_keys`: one row per organisation holding its object keys (a 32-byte AES-256-GCM data key
 *   and a 32-byte HMAC key for object names) sealed by the keyring; `key_id` is the keyring key that
 *   wrapped them, so rotation finds stale rows by index and re-wraps them without touching objects.
 *   hoh_app may read, add and re-wrap (UPDATE), never delete: losing the row loses the evidence.
 * - `evidence_objects`: where a file's bytes are (store and object key), one row per stored file; a
 *   file without one still has its bytes in `evidence_content` (written before this release, until
 *   the storage job has moved them). A table of its own, so recording a location fires none of the
 *   evidence row's scoring or audit triggers.
 * - `hoh_evidence_content_pending(limit)` lists unmoved rows across organisations, and
 *   `hoh_evidence_content_moved(...)` records the object and deletes the bytea row in one statement,
 *   only when the SHA-256 the job read back from the store equals both the evidence row's and the
 *   bytea's own: hoh_app has no DELETE on evidence_content, so nothing else can drop content.
 */
export class StoreEvidenceObjects1764347360000 implements MigrationInterface {
  name = 'StoreEvidenceObjects1764347360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE storage_keys (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        sealed_keys     text NOT NULL,
        key_id          text GENERATED ALWAYS AS (split_part(sealed_keys, '.', 2)) STORED,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id)
      )`);
    await q.query(`CREATE INDEX storage_keys_by_key_id ON storage_keys (key_id)`);
    await q.query(`ALTER TABLE storage_keys ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE storage_keys FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON storage_keys USING (${TENANT}) WITH CHECK (${TENANT})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE (sealed_keys) ON storage_keys TO hoh_app`);
    // Rotation lists stale rows across organisations (their ids only) through the function below.
    await q.query(`CREATE POLICY storage_rewrap_read ON storage_keys FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, key_id) ON storage_keys TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_storage_keys_to_rewrap(p_active text, p_limit integer) RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT s.organisation_id FROM storage_keys s WHERE s.key_id <> p_active ORDER BY s.organisation_id LIMIT least(greatest(p_limit, 0), 1000)
      $$`);

    await q.query(`
      CREATE TABLE evidence_objects (
        organisation_id uuid NOT NULL,
        evidence_id     uuid NOT NULL,
        object_store    text NOT NULL CHECK (object_store IN ('filesystem', 's3')),
        object_key      text NOT NULL,
        stored_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, evidence_id),
        FOREIGN KEY (organisation_id, evidence_id) REFERENCES evidence (organisation_id, id) ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE evidence_objects ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE evidence_objects FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON evidence_objects USING (${TENANT}) WITH CHECK (${TENANT})`);
    // Written once, like the bytes they locate.
    await q.query(`GRANT SELECT, INSERT ON evidence_objects TO hoh_app`);

    await q.query(`CREATE POLICY storage_move_read ON evidence_content FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY storage_move_delete ON evidence_content FOR DELETE TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT, DELETE ON evidence_content TO hoh_lookup`);
    await q.query(`CREATE POLICY storage_move_read ON evidence FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, id, sha256) ON evidence TO hoh_lookup`);
    await q.query(`CREATE POLICY storage_move_record ON evidence_objects FOR INSERT TO hoh_lookup WITH CHECK (true)`);
    await q.query(`CREATE POLICY storage_move_read ON evidence_objects FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT, INSERT ON evidence_objects TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_evidence_content_pending(p_limit integer) RETURNS TABLE (organisation_id uuid, evidence_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT c.organisation_id, c.evidence_id FROM evidence_content c ORDER BY c.organisation_id, c.evidence_id LIMIT least(greatest(p_limit, 0), 1000)
      $$`);
    // One statement: the object is recorded and the bytea deleted together, or neither (wrong hash, already moved).
    await q.query(`
      CREATE FUNCTION hoh_evidence_content_moved(p_org uuid, p_evidence uuid, p_object_sha256 text, p_object_key text, p_object_store text) RETURNS boolean
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH checked AS (
          SELECT c.organisation_id, c.evidence_id FROM evidence_content c JOIN evidence e ON e.organisation_id = c.organisation_id AND e.id = c.evidence_id
          WHERE c.organisation_id = p_org AND c.evidence_id = p_evidence AND e.sha256 = p_object_sha256
            -- Only inside the caller's own tenant transaction: no caller can move (and so delete) another organisation's row.
            AND p_org = NULLIF(current_setting('app.org_id', true), '')::uuid
            AND encode(sha256(c.bytes), 'hex') = p_object_sha256 AND p_object_key IS NOT NULL AND p_object_store IS NOT NULL),
        recorded AS (
          INSERT INTO evidence_objects (organisation_id, evidence_id, object_store, object_key)
          SELECT checked.organisation_id, checked.evidence_id, p_object_store, p_object_key FROM checked
          ON CONFLICT DO NOTHING RETURNING evidence_id AS id),
        deleted AS (
          DELETE FROM evidence_content c USING checked, recorded
          WHERE c.organisation_id = checked.organisation_id AND c.evidence_id = checked.evidence_id AND recorded.id = checked.evidence_id RETURNING 1)
        SELECT count(*) = 1 FROM deleted
      $$`);
    for (const signature of ['hoh_storage_keys_to_rewrap(text, integer)', 'hoh_evidence_content_pending(integer)', 'hoh_evidence_content_moved(uuid, uuid, text, text, text)']) {
      await q.query(`ALTER FUNCTION ${signature} OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${signature} TO hoh_app`);
    }

    await q.query(`SELECT ${JOB_SCHEMA}.create_queue($1, $2::json)`, [STORAGE_QUEUE.name, JSON.stringify(STORAGE_QUEUE.options)]);
    // pg-boss 10 gives each queue its own partition table: grant hoh_app on it as on the others.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO hoh_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON ${JOB_SCHEMA}.queue FROM hoh_app`);
    await q.query(`REVOKE INSERT, DELETE ON ${JOB_SCHEMA}.version FROM hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue($1)`, [STORAGE_QUEUE.name]);
    await q.query(`DROP FUNCTION IF EXISTS hoh_evidence_content_moved(uuid, uuid, text, text, text)`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_evidence_content_pending(integer)`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_storage_keys_to_rewrap(text, integer)`);
    await q.query(`REVOKE SELECT (organisation_id, id, sha256) ON evidence FROM hoh_lookup`);
    await q.query(`DROP POLICY IF EXISTS storage_move_read ON evidence`);
    await q.query(`DROP TABLE IF EXISTS evidence_objects`);
    await q.query(`REVOKE SELECT, DELETE ON evidence_content FROM hoh_lookup`);
    await q.query(`DROP POLICY IF EXISTS storage_move_delete ON evidence_content`);
    await q.query(`DROP POLICY IF EXISTS storage_move_read ON evidence_content`);
    await q.query(`DROP TABLE IF EXISTS storage_keys`);
  }
}
