import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27 (docs/PRODUCT.md §2.7): a session signed in through single sign-on names the organisation
 * whose provider signed it in. That provider's report of multi-factor sign-in (sso-mfa) vouches for
 * that organisation only, so it satisfies that organisation's second-factor policy and no other's.
 * No foreign key: sessions are per person (a global table), and an ended organisation's id left here
 * only means its sso-mfa counts nowhere.
 */
export class BindSsoSessionsToTheirOrganisation1764347400000 implements MigrationInterface {
  name = 'BindSsoSessionsToTheirOrganisation1764347400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions ADD COLUMN sso_organisation_id uuid`);
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_sso_mfa_names_its_organisation CHECK (NOT ('sso-mfa' = ANY (auth_methods)) OR sso_organisation_id IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_sso_mfa_names_its_organisation`);
    await q.query(`ALTER TABLE sessions DROP COLUMN sso_organisation_id`);
  }
}
