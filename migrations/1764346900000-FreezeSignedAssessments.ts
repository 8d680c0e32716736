import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose rows belong to one assessment and say what it claimed when it was signed. */
const CHILD_TABLES = ['answers', 'answer_evidence', 'target_overrides', 'assignments'] as const;

/**
 * A signed assessment is immutable in the database, not only in the application (docs/PRODUCT.md
 * §5.4): its row (status, signature, frozen scoring input, signed score and band) can
 * be neither updated nor deleted, and its answers, evidence links, targets and assignments can be
 * neither added, changed nor removed, by any role that does not first drop these triggers. Reports
 * already refuse changes to an issued manifest the same way (hoh_reports_freeze_issued).
 *
 * SQLSTATE HH409 is ours: the API's error filter maps it to 409 ASSESSMENT_LOCKED, so a write that
 * raced a sign-off past the application's own check still gets the answer the check would have given.
 */
export class FreezeSignedAssessments1764346900000 implements MigrationInterface {
  name = 'FreezeSignedAssessments1764346900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hoh_freeze_signed_assessment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'signed' THEN
          RAISE EXCEPTION 'assessment % is signed and immutable; start a new assessment from it instead', OLD.id USING ERRCODE = 'HH409';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER assessments_freeze_signed BEFORE UPDATE OR DELETE ON assessments FOR EACH ROW EXECUTE FUNCTION hoh_freeze_signed_assessment()`);

    // Row-level and BEFORE, so the refusal comes before any write (and its bump of the scoring input
    // version). The lookup runs as the caller, under the same tenant policy as the write itself; a
    // cascade from a deleted assessment never reaches here for a signed one, as the delete is refused.
    await q.query(`
      CREATE FUNCTION hoh_freeze_signed_assessment_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target record;
      BEGIN
        IF TG_OP = 'DELETE' THEN target := OLD; ELSE target := NEW; END IF;
        IF EXISTS (SELECT 1 FROM assessments a WHERE a.organisation_id = target.organisation_id AND a.id = target.assessment_id AND a.status = 'signed')
           OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM assessments a WHERE a.organisation_id = OLD.organisation_id AND a.id = OLD.assessment_id AND a.status = 'signed')) THEN
          RAISE EXCEPTION 'assessment % is signed and immutable; start a new assessment from it instead', target.assessment_id USING ERRCODE = 'HH409';
        END IF;
        RETURN target;
      END $$`);
    for (const table of CHILD_TABLES) {
      await q.query(`CREATE TRIGGER ${table}_freeze_signed BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION hoh_freeze_signed_assessment_rows()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of CHILD_TABLES) await q.query(`DROP TRIGGER IF EXISTS ${table}_freeze_signed ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_freeze_signed_assessment_rows()`);
    await q.query(`DROP TRIGGER IF EXISTS assessments_freeze_signed ON assessments`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_freeze_signed_assessment()`);
  }
}
