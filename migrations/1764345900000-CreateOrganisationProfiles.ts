import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One profile per organisation: the service facts applicability is computed from, each with its confirmation date. */
export class CreateOrganisationProfiles1764345900000 implements MigrationInterface {
  name = 'CreateOrganisationProfiles1764345900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation_profiles (
        organisation_id uuid PRIMARY KEY REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        profile         jsonb NOT NULL,
        version         integer NOT NULL DEFAULT 1,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      uuid REFERENCES users (id)
      )`);
    await q.query(`ALTER TABLE organisation_profiles ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE organisation_profiles FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON organisation_profiles
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON organisation_profiles TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS organisation_profiles`);
  }
}
