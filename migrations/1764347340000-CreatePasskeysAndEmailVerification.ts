import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27 (docs/PRODUCT.md §2.5): email verification and passkeys.
 * - `email_verifications`: single-use links that prove an address, stored as the SHA-256 of a
 *   256-bit token with the address they were mailed to (a link proves that address only).
 * - `passkeys`: a person's WebAuthn credentials (public key, signature counter, transports, a name).
 *   Per user, not per tenant: a passkey signs its person in whatever organisations they belong to,
 *   so like sessions and password resets these tables carry no organisation_id and no row-level
 *   security; they are reached by user id and credential id, and only hoh_app may touch them.
 * - `webauthn_challenges`: the challenge of each registration or assertion ceremony, bound to the
 *   person and what it is for, held server-side, taken (deleted) by the one verification that uses
 *   it, and short-lived.
 * - Existing users are NOT backfilled as verified: before this migration no address was ever shown
 *   to belong to its account by sign-up (docs/PRODUCT.md §2.5 says why and what they see).
 */
export class CreatePasskeysAndEmailVerification1764347340000 implements MigrationInterface {
  name = 'CreatePasskeysAndEmailVerification1764347340000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_verifications (
        token_hash bytea PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      )`);
    await q.query(`CREATE INDEX email_verifications_by_user ON email_verifications (user_id)`);
    await q.query(`
      CREATE TABLE passkeys (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        credential_id   text NOT NULL,
        public_key      bytea NOT NULL,
        counter         bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
        transports      text[] NOT NULL DEFAULT '{}',
        backed_up       boolean NOT NULL DEFAULT false,
        name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        created_at      timestamptz NOT NULL DEFAULT now(),
        last_used_at    timestamptz
      )`);
    await q.query(`COMMENT ON TABLE passkeys IS 'WebAuthn credentials of a person, not of an organisation: no organisation_id, no row-level security (like sessions)'`);
    // A credential id names one authenticator key everywhere: it can belong to one account only.
    await q.query(`CREATE UNIQUE INDEX passkeys_credential_id_key ON passkeys (credential_id)`);
    await q.query(`CREATE INDEX passkeys_by_user ON passkeys (user_id, created_at)`);
    await q.query(`
      CREATE TABLE webauthn_challenges (
        challenge  text PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose    text NOT NULL CHECK (purpose IN ('register', 'sign-in', 'reauth')),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX webauthn_challenges_by_user ON webauthn_challenges (user_id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON email_verifications, passkeys, webauthn_challenges TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webauthn_challenges, passkeys, email_verifications`);
  }
}
