import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27 (docs/PRODUCT.md §2.7, two factors): TOTP, recovery codes, the second step of a sign-in
 * and the owner's policy.
 * - `totp_factors`: one authenticator app per person. The secret is sealed by the keyring
 *   (`secret_sealed`, the key id beside it so rotation finds what an old key sealed); the factor
 *   counts only once `confirmed_at` is set by a first valid code. `last_step` is the newest TOTP time
 *   step accepted, so a code is never accepted twice (replay).
 * - `recovery_codes`: ten one-time codes per person, stored as SHA-256 of 100 random bits each (not
 *   argon2: a slow hash protects low-entropy secrets people choose; these are random, so guessing a
 *   preimage is 2^100 work however fast the hash, and a fast hash lets one indexed lookup find the code).
 * - `sign_in_challenges`: a correct password of an account with a second factor opens one of these
 *   instead of a session: the SHA-256 of a 256-bit token, bound to the person, 5 minutes, taken by
 *   the one step that completes it, dead after 5 wrong answers.
 * - `organisations.second_factor_policy`: off | signers | everyone. The per-request membership lookup
 *   answers it in the same statement, so the guard's check costs no round trip.
 * - `api_tokens.second_factor`: whether the session that created the token had a second factor, so a
 *   token made before an owner required one does not walk around the policy.
 * Like sessions and passkeys these are a person's, not an organisation's: no organisation_id, no RLS.
 */
export class CreateSecondFactors1764347330000 implements MigrationInterface {
  name = 'CreateSecondFactors1764347330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE totp_factors (
        user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret_sealed text NOT NULL,
        key_id        text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        confirmed_at  timestamptz,
        last_step     bigint
      )`);
    await q.query(`COMMENT ON TABLE totp_factors IS 'A person''s authenticator app (sealed secret): not an organisation''s, no row-level security (like sessions)'`);
    await q.query(`
      CREATE TABLE recovery_codes (
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash  bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at    timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await q.query(`
      CREATE TABLE sign_in_challenges (
        token_hash bytea PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        user_agent text,
        failures   int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges (user_id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON totp_factors, recovery_codes, sign_in_challenges TO hoh_app`);

    await q.query(`
      ALTER TABLE organisations ADD COLUMN second_factor_policy text NOT NULL DEFAULT 'off'
        CONSTRAINT organisations_second_factor_policy_known CHECK (second_factor_policy IN ('off', 'signers', 'everyone'))`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN second_factor boolean NOT NULL DEFAULT false`);

    // The lookup answers the policy too (its return type changes, so it is made again with its grants).
    await q.query(`DROP FUNCTION hoh_membership_of(uuid, uuid)`);
    await q.query(`
      CREATE FUNCTION hoh_membership_of(p_organisation_id uuid, p_user_id uuid)
      RETURNS TABLE (role text, accountable_individual boolean, second_factor_policy text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT m.role, m.accountable_individual, o.second_factor_policy
        FROM memberships m JOIN organisations o ON o.organisation_id = m.organisation_id
        WHERE m.organisation_id = p_organisation_id AND m.user_id = p_user_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_membership_of(uuid, uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_membership_of(uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_membership_of(uuid, uuid) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION hoh_membership_of(uuid, uuid)`);
    await q.query(`
      CREATE FUNCTION hoh_membership_of(p_organisation_id uuid, p_user_id uuid)
      RETURNS TABLE (role text, accountable_individual boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT m.role, m.accountable_individual FROM memberships m
        WHERE m.organisation_id = p_organisation_id AND m.user_id = p_user_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_membership_of(uuid, uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_membership_of(uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_membership_of(uuid, uuid) TO hoh_app`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN second_factor`);
    await q.query(`ALTER TABLE organisations DROP COLUMN second_factor_policy`);
    await q.query(`DROP TABLE IF EXISTS sign_in_challenges, recovery_codes, totp_factors`);
  }
}
