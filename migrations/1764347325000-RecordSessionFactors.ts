import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27 (docs/PRODUCT.md, accounts): the facts two factors, single sign-on and email verification
 * are built on.
 * - `sessions.auth_methods`: how the session was signed in (AUTH_METHODS in libs/contracts); sessions
 *   that exist today were signed in by password.
 * - `users.email_verified_at`: when the address was shown to belong to the account (a verification
 *   link or an accepted emailed invitation). NULL until then: an unverified account can use its own
 *   organisation but is never added to another by email match or SSO domain.
 */
export class RecordSessionFactors1764347325000 implements MigrationInterface {
  name = 'RecordSessionFactors1764347325000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sessions ADD COLUMN auth_methods text[] NOT NULL DEFAULT '{password}'
        CONSTRAINT sessions_auth_methods_known CHECK (
          cardinality(auth_methods) BETWEEN 1 AND 6
          AND auth_methods <@ ARRAY['password','totp','recovery-code','passkey','sso','sso-mfa']::text[])`);
    await q.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
    await q.query(`ALTER TABLE sessions DROP COLUMN auth_methods`);
  }
}
