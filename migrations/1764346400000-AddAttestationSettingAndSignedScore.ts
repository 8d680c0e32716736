import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner's "require an empty hand-on-heart check before signing" setting, and the signed
 * score and band kept beside each signed assessment so trends read one row per assessment.
 */
export class AddAttestationSettingAndSignedScore1764346400000 implements MigrationInterface {
  name = 'AddAttestationSettingAndSignedScore1764346400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations ADD COLUMN require_empty_attestation_check boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE assessments ADD COLUMN signed_score double precision, ADD COLUMN signed_band text CHECK (signed_band IN ('green', 'amber', 'red'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessments DROP COLUMN signed_score, DROP COLUMN signed_band`);
    await q.query(`ALTER TABLE organisations DROP COLUMN require_empty_attestation_check`);
  }
}
