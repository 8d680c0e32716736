import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

/**
 * Reminders and the in-app notification list (issue 28, docs/PRODUCT.md §14).
 *
 * - `reminders_sent`: one row per (item, threshold, due instant) ever announced. Its primary key is
 *   what makes a reminder go out once, whichever worker gets there first and however often the scan
 *   repeats: the row is inserted in the same tenant transaction as the notifications, with ON
 *   CONFLICT DO NOTHING, and a worker that inserted nothing sends nothing. The due instant is part
 *   of the key so that evidence renewed with a new expiry, or an action given a new due date, is
 *   reminded again.
 * - `notifications`: one row per recipient, read by that member only (the service filters on the
 *   signed-in user inside the tenant transaction).
 * - `hoh_evidence_expiry`: the effective expiry of docs/PRODUCT.md §4.2 (explicit, or issue + 12
 *   calendar months in UTC, 29 February → 1 March) as an IMMUTABLE function, so an index can hold it.
 *   Its body uses only immutable operators and sets no search_path, so PostgreSQL inlines it into
 *   the scan instead of calling it per row (a SET clause or a stable function such as to_char
 *   inside would prevent that).
 * - `hoh_due_reminders`: the one way across tenants: a SECURITY DEFINER function owned by
 *   hoh_lookup that returns (organisation, item, threshold) for reminders not yet sent, and nothing
 *   else; the reminder itself is built as hoh_app inside that organisation's RLS transaction. It
 *   reads two index ranges (evidence expiring within 30 days or expired within the lookback, open
 *   actions due within 7 days or overdue within it), so it costs O(items inside the windows), not
 *   O(all evidence and actions).
 */
export class CreateNotificationsAndReminders1764347232000 implements MigrationInterface {
  name = 'CreateNotificationsAndReminders1764347232000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminders_sent (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        item_id         uuid NOT NULL,
        threshold       text NOT NULL CHECK (threshold IN ('evidence_30d', 'evidence_7d', 'evidence_expired', 'action_7d', 'action_overdue')),
        due_at          timestamptz NOT NULL,
        sent_at         timestamptz NOT NULL,
        recipients      integer NOT NULL,
        PRIMARY KEY (organisation_id, item_id, threshold, due_at)
      )`);
    await q.query(`
      CREATE TABLE notifications (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        id              uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind            text NOT NULL CHECK (kind IN ('evidence_30d', 'evidence_7d', 'evidence_expired', 'action_7d', 'action_overdue')),
        entity_type     text NOT NULL CHECK (entity_type IN ('evidence', 'action')),
        entity_id       uuid NOT NULL,
        title           text NOT NULL,
        body            text NOT NULL,
        link            text NOT NULL CHECK (link LIKE '/%'),
        created_at      timestamptz NOT NULL,
        read_at         timestamptz,
        PRIMARY KEY (organisation_id, id)
      )`);
    await q.query(`CREATE INDEX notifications_by_member ON notifications (organisation_id, user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_unread ON notifications (organisation_id, user_id) WHERE read_at IS NULL`);

    for (const table of ['reminders_sent', 'notifications']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT}) WITH CHECK (${TENANT})`);
    }
    await q.query(`GRANT SELECT, INSERT ON reminders_sent TO hoh_app`);
    await q.query(`GRANT SELECT, INSERT ON notifications TO hoh_app`);
    // Marking read is the only change a member makes to a notification.
    await q.query(`GRANT UPDATE (read_at) ON notifications TO hoh_app`);

    await q.query(`
      CREATE FUNCTION hoh_evidence_expiry(p_issued_at timestamptz, p_expires_at timestamptz) RETURNS timestamptz
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(p_expires_at,
          ((p_issued_at AT TIME ZONE 'UTC') + interval '12 months'
            + CASE WHEN extract(month FROM p_issued_at AT TIME ZONE 'UTC') = 2 AND extract(day FROM p_issued_at AT TIME ZONE 'UTC') = 29
                   THEN interval '1 day' ELSE interval '0' END) AT TIME ZONE 'UTC')
      $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_evidence_expiry(timestamptz, timestamptz) TO hoh_app, hoh_lookup`);
    await q.query(`CREATE INDEX evidence_by_expiry ON evidence (hoh_evidence_expiry(issued_at, expires_at)) WHERE status <> 'rejected'`);
    await q.query(`CREATE INDEX actions_open_by_due ON actions (due_date) WHERE status IN ('open', 'in_progress', 'blocked') AND due_date IS NOT NULL`);
    // Housekeeping deletes by expiry; without these each purge would read every session / throttle row.
    await q.query(`CREATE INDEX sessions_by_expiry ON sessions (expires_at)`);
    await q.query(`CREATE INDEX auth_throttle_by_window ON auth_throttle (window_started_at)`);

    // hoh_lookup sees only the columns the scan reads, and only through the function below.
    await q.query(`CREATE POLICY reminder_scan_read ON evidence FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY reminder_scan_read ON actions FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY reminder_scan_read ON reminders_sent FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, id, issued_at, expires_at, status) ON evidence TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, id, due_date, status) ON actions TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, item_id, threshold, due_at) ON reminders_sent TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_due_reminders(p_now timestamptz, p_lookback_days integer)
      RETURNS TABLE (organisation_id uuid, item_id uuid, threshold text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH today AS (SELECT (p_now AT TIME ZONE 'UTC')::date AS d),
        due AS (
          SELECT e.organisation_id, e.id, hoh_evidence_expiry(e.issued_at, e.expires_at) AS due_at,
            CASE WHEN hoh_evidence_expiry(e.issued_at, e.expires_at) <= p_now THEN 'evidence_expired'
                 WHEN hoh_evidence_expiry(e.issued_at, e.expires_at) <= p_now + interval '7 days' THEN 'evidence_7d'
                 ELSE 'evidence_30d' END AS threshold
          FROM evidence e
          WHERE e.status <> 'rejected'
            AND hoh_evidence_expiry(e.issued_at, e.expires_at) > p_now - make_interval(days => p_lookback_days)
            AND hoh_evidence_expiry(e.issued_at, e.expires_at) <= p_now + interval '30 days'
          UNION ALL
          SELECT a.organisation_id, a.id, (a.due_date::timestamp AT TIME ZONE 'UTC'),
            CASE WHEN a.due_date < t.d THEN 'action_overdue' ELSE 'action_7d' END
          FROM actions a, today t
          WHERE a.status IN ('open', 'in_progress', 'blocked') AND a.due_date IS NOT NULL
            AND a.due_date >= t.d - p_lookback_days AND a.due_date <= t.d + 7
        )
        SELECT d.organisation_id, d.id, d.threshold FROM due d
        WHERE NOT EXISTS (
          SELECT 1 FROM reminders_sent s
          WHERE s.organisation_id = d.organisation_id AND s.item_id = d.id AND s.threshold = d.threshold AND s.due_at = d.due_at)
        ORDER BY d.organisation_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_due_reminders(timestamptz, integer) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_due_reminders(timestamptz, integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_due_reminders(timestamptz, integer) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_due_reminders(timestamptz, integer)`);
    for (const table of ['evidence', 'actions']) await q.query(`DROP POLICY IF EXISTS reminder_scan_read ON ${table}`);
    await q.query(`DROP INDEX IF EXISTS evidence_by_expiry, actions_open_by_due, sessions_by_expiry, auth_throttle_by_window`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_evidence_expiry(timestamptz, timestamptz)`);
    await q.query(`DROP TABLE IF EXISTS notifications, reminders_sent`);
  }
}
