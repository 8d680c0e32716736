import type { MigrationInterface, QueryRunner } from 'typeorm';

import { JOB_SCHEMA } from './1764347230000-CreateJobQueue.js';

/** The mail queue (created here: hoh_app cannot run pg-boss's DDL; see 1764347231000-GrantJobQueue). */
export const MAIL_QUEUE = {
  name: 'hoh-mail',
  // Each delivery run is short and idempotent (a message is sent once by its own row lock), so a
  // failed run is simply retried; per-message retries and parking live on the outbox rows themselves.
  options: { policy: 'standard', retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
} as const;

const DELIVERY_COLUMNS = `
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  parked_at       timestamptz`;

/**
 * Mail that is sent (issue 27): delivery state on the organisation outbox, an account outbox for
 * mail that belongs to a person rather than an organisation (password reset, address checks),
 * single-use password-reset tokens, and sessions a person can see and end.
 *
 * - outbox / account_outbox: `link_sealed` holds the message's link sealed by the keyring
 *   (modules/keyring; never the raw token), opened only by the sender at the moment of sending and
 *   cleared once sent. Retries move `next_attempt_at`; a message that keeps failing is parked with
 *   `last_error` kept. `sent_at` stays (housekeeping purges delivered rows past retention).
 * - The sender finds due organisation mail across tenants through hoh_outbox_due (SECURITY DEFINER,
 *   owned by hoh_lookup), which answers ids only; it then claims and sends each row inside that
 *   organisation's tenant transaction.
 * - account_outbox and password_resets have no organisation: they are reached by user and token
 *   like sessions, so they carry no row-level security (no tenant could own them) and only hoh_app
 *   may touch them.
 * - Invitations written before this migration kept only a `{{acceptLink}}` placeholder: no link can
 *   ever be rebuilt for them, so they are parked with the reason rather than sent broken.
 */
export class DeliverMailAndAccounts1764347290000 implements MigrationInterface {
  name = 'DeliverMailAndAccounts1764347290000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN attempts        integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_error      text,
        ADD COLUMN parked_at       timestamptz,
        ADD COLUMN link_sealed     text`);
    await q.query(`
      UPDATE outbox SET parked_at = now(), last_error = 'Written before mail was sent: the invitation link was withheld and cannot be rebuilt. Invite the person again.'
      WHERE sent_at IS NULL AND body LIKE '%{{acceptLink}}%'`);
    await q.query(`DROP INDEX IF EXISTS outbox_unsent`);
    // What the sender scans: unsent, not parked, by when each is next due. Not led by organisation_id
    // on purpose: the scan is across organisations (through hoh_outbox_due only).
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND parked_at IS NULL`);
    await q.query(`CREATE POLICY mail_due ON outbox FOR SELECT TO hoh_lookup USING (sent_at IS NULL AND parked_at IS NULL)`);
    await q.query(`GRANT SELECT (organisation_id, id, next_attempt_at, sent_at, parked_at) ON outbox TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_outbox_due(p_now timestamptz, p_limit integer)
      RETURNS TABLE (organisation_id uuid, id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.organisation_id, o.id FROM outbox o
        WHERE o.sent_at IS NULL AND o.parked_at IS NULL AND o.next_attempt_at <= p_now
        ORDER BY o.next_attempt_at LIMIT least(greatest(p_limit, 0), 1000)
      $$`);
    // Rotation: pending links sealed under any key but the active one (their key id is the envelope's
    // second field, modules/keyring/keyring.ts). Ids only; the sender re-wraps each in its tenant.
    await q.query(`GRANT SELECT (link_sealed) ON outbox TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_outbox_to_rewrap(p_active_key text, p_limit integer)
      RETURNS TABLE (organisation_id uuid, id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.organisation_id, o.id FROM outbox o
        WHERE o.sent_at IS NULL AND o.parked_at IS NULL AND o.link_sealed IS NOT NULL AND split_part(o.link_sealed, '.', 2) <> p_active_key
        LIMIT least(greatest(p_limit, 0), 1000)
      $$`);
    for (const fn of ['hoh_outbox_due(timestamptz, integer)', 'hoh_outbox_to_rewrap(text, integer)']) {
      await q.query(`ALTER FUNCTION ${fn} OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO hoh_app`);
    }

    await q.query(`
      CREATE TABLE account_outbox (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind            text NOT NULL,
        recipient       text NOT NULL,
        subject         text NOT NULL,
        body            text NOT NULL,
        link_sealed     text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz,${DELIVERY_COLUMNS}
      )`);
    await q.query(`CREATE INDEX account_outbox_due ON account_outbox (next_attempt_at) WHERE sent_at IS NULL AND parked_at IS NULL`);
    await q.query(`CREATE INDEX account_outbox_sent ON account_outbox (sent_at) WHERE sent_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE password_resets (
        token_hash bytea PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      )`);
    await q.query(`CREATE INDEX password_resets_by_user ON password_resets (user_id)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON account_outbox, password_resets TO hoh_app`);

    // A session a person can name in a list (the token hash is the key, and must never leave the server).
    await q.query(`ALTER TABLE sessions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN user_agent text`);
    await q.query(`CREATE UNIQUE INDEX sessions_id_key ON sessions (id)`);

    await q.query(`SELECT ${JOB_SCHEMA}.create_queue($1, $2::json)`, [MAIL_QUEUE.name, JSON.stringify(MAIL_QUEUE.options)]);
    // pg-boss 10 gives each queue its own partition table: grant hoh_app on it as on the others.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO hoh_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON ${JOB_SCHEMA}.queue FROM hoh_app`);
    await q.query(`REVOKE INSERT, DELETE ON ${JOB_SCHEMA}.version FROM hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue($1)`, [MAIL_QUEUE.name]);
    await q.query(`DROP INDEX IF EXISTS sessions_id_key`);
    await q.query(`ALTER TABLE sessions DROP COLUMN IF EXISTS id, DROP COLUMN IF EXISTS user_agent`);
    await q.query(`DROP TABLE IF EXISTS password_resets, account_outbox`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_outbox_to_rewrap(text, integer)`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_outbox_due(timestamptz, integer)`);
    // The column grants to hoh_lookup go with the dropped columns; organisation_id, id and sent_at are
    // also granted by the housekeeping migration, so they are left as they are.
    await q.query(`DROP POLICY IF EXISTS mail_due ON outbox`);
    await q.query(`DROP INDEX IF EXISTS outbox_due`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (organisation_id, created_at) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE outbox DROP COLUMN link_sealed, DROP COLUMN parked_at, DROP COLUMN last_error, DROP COLUMN next_attempt_at, DROP COLUMN attempts`);
  }
}
