import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public verification of drill records (issue 30, docs/PRODUCT.md §15.6): anyone holding a drill
 * record PDF may ask whether this service issued it, as for board reports. The lookup crosses
 * organisations only through `hoh_verify_drill_record_hash` (SECURITY DEFINER, owned by hoh_lookup),
 * which answers the drill's id, its scenario, its finish and the organisation's name for one exact
 * PDF hash, nothing else. hoh_lookup reads only finished drills, only these columns.
 */
export class VerifyDrillRecords1764347370000 implements MigrationInterface {
  name = 'VerifyDrillRecords1764347370000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE POLICY drill_record_lookup ON drills FOR SELECT TO hoh_lookup USING (status = 'finished')`);
    await q.query(`GRANT SELECT (organisation_id, id, scenario_id, library_version, status, finished_at, pdf_sha256) ON drills TO hoh_lookup`);
    await q.query(`CREATE INDEX drills_by_record_hash ON drills (pdf_sha256) WHERE pdf_sha256 IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION hoh_verify_drill_record_hash(p_sha256 text)
      RETURNS TABLE (drill_id uuid, organisation_name text, scenario_id text, library_version text, finished_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT d.id, o.name, d.scenario_id, d.library_version, d.finished_at
        FROM drills d JOIN organisations o ON o.organisation_id = d.organisation_id
        WHERE d.pdf_sha256 = p_sha256 AND d.status = 'finished'
      $$`);
    await q.query(`ALTER FUNCTION hoh_verify_drill_record_hash(text) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_verify_drill_record_hash(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_verify_drill_record_hash(text) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_verify_drill_record_hash(text)`);
    await q.query(`DROP INDEX IF EXISTS drills_by_record_hash`);
    await q.query(`REVOKE SELECT ON drills FROM hoh_lookup`);
    await q.query(`DROP POLICY IF EXISTS drill_record_lookup ON drills`);
  }
}
