import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity-wide tables with no tenant content (so no organisation_id and no RLS):
 *
 * - `auth_throttle`: sign-in and sign-up attempt counters per account and per IP, in the database so
 *   every API process shares them. A bucket is a fixed window that restarts when it has elapsed.
 *   Account buckets are keyed by a SHA-256 of the address, so the table holds no email addresses.
 * - `api_tokens`: personal API tokens. Only the SHA-256 of the secret is kept; a leaked table cannot
 *   be replayed. Revocation is a timestamp so the list of what existed stays explainable.
 */
export class CreateThrottleAndTokens1764346100000 implements MigrationInterface {
  name = 'CreateThrottleAndTokens1764346100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_throttle (
        bucket            text PRIMARY KEY,
        attempts          integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        window_seconds    integer NOT NULL CHECK (window_seconds > 0)
      )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO hoh_app`);

    await q.query(`
      CREATE TABLE api_tokens (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name         text NOT NULL,
        scope        text NOT NULL CHECK (scope IN ('read', 'read_write')),
        token_hash   bytea NOT NULL,
        prefix       text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz,
        last_used_at timestamptz,
        revoked_at   timestamptz,
        CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at, id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON api_tokens TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_tokens, auth_throttle`);
  }
}
