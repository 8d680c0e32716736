import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

const OLD_KINDS = `'evidence_30d', 'evidence_7d', 'evidence_expired', 'action_7d', 'action_overdue'`;
const REMINDER_KINDS = `${OLD_KINDS}, 'review_due_30d', 'review_due', 'review_waiting', 'assignment'`;

/** The scan as migration 1764347232000 wrote it (restored by down()). */
const EVIDENCE_AND_ACTIONS = `
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
            AND a.due_date >= t.d - p_lookback_days AND a.due_date <= t.d + 7`;

const scanFunction = (branches: string, distinct: boolean) => `
      CREATE OR REPLACE FUNCTION hoh_due_reminders(p_now timestamptz, p_lookback_days integer)
      RETURNS TABLE (organisation_id uuid, item_id uuid, threshold text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH today AS (SELECT (p_now AT TIME ZONE 'UTC')::date AS d),
        due AS (${branches}
        )
        SELECT ${distinct ? 'DISTINCT ' : ''}d.organisation_id, d.id, d.threshold FROM due d
        WHERE NOT EXISTS (
          SELECT 1 FROM reminders_sent s
          WHERE s.organisation_id = d.organisation_id AND s.item_id = d.id AND s.threshold = d.threshold AND s.due_at = d.due_at)
        ORDER BY d.organisation_id
      $$`;

/**
 * The remaining reminders, delivery preferences and the weekly digest (issue 28, docs/PRODUCT.md §14).
 *
 * - Three more branches of `hoh_due_reminders`, each an index range inside its window, so the scan
 *   stays O(items inside the windows):
 *   - `review_due_30d` / `review_due`: the organisation's last signed assessment, 12 calendar months
 *     after its sign-off (the same UTC month arithmetic as evidence, `hoh_evidence_expiry(signed_at,
 *     NULL)`, indexed); "last" is checked by a probe of the organisation's signed assessments.
 *   - `review_waiting`: an assessment in review, keyed by its submission instant (partial index).
 *   - `assignment`: questions assigned to a member by someone else, one reminder per assessment and
 *     assignment instant (one assignment write sets one instant), indexed by `assigned_at`. An upgrade
 *     keeps `assigned_at`, so moving an assessment to a new bank announces nothing again.
 *   The function returns the same three columns as before; an assessment can have several pending
 *   assignment instants, hence DISTINCT.
 * - `notifications.mail_held`: a notification whose mail waits for the weekly digest (the member
 *   chose it); `digested_at` is set by the digest that carried it. Partial index for the digest.
 * - `notification_preferences`: one row per member (deleted with the membership), the choices as a
 *   JSON object and a version for If-Match.
 * - `weekly_digests`: one row per organisation and week; its primary key is what makes two workers
 *   send a digest once (the reminders_sent pattern), and it keeps the score the next week compares
 *   with. `hoh_due_digests` (SECURITY DEFINER, hoh_lookup) answers the organisations without one.
 */
export class AddReviewRemindersPreferencesAndDigest1764347270000 implements MigrationInterface {
  name = 'AddReviewRemindersPreferencesAndDigest1764347270000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminders_sent DROP CONSTRAINT reminders_sent_threshold_check`);
    await q.query(`ALTER TABLE reminders_sent ADD CONSTRAINT reminders_sent_threshold_check CHECK (threshold IN (${REMINDER_KINDS}))`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${REMINDER_KINDS}, 'weekly_digest'))`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_entity_type_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_entity_type_check CHECK (entity_type IN ('evidence', 'action', 'assessment', 'organisation'))`);
    await q.query(`ALTER TABLE notifications ADD COLUMN mail_held boolean NOT NULL DEFAULT false, ADD COLUMN digested_at timestamptz`);
    await q.query(`CREATE INDEX notifications_mail_held ON notifications (organisation_id, user_id, created_at) WHERE mail_held AND digested_at IS NULL`);
    await q.query(`GRANT UPDATE (digested_at) ON notifications TO hoh_app`);

    await q.query(`
      CREATE TABLE notification_preferences (
        organisation_id uuid NOT NULL,
        user_id         uuid NOT NULL,
        deliveries      jsonb NOT NULL CHECK (jsonb_typeof(deliveries) = 'object'),
        version         integer NOT NULL,
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (organisation_id, user_id),
        FOREIGN KEY (organisation_id, user_id) REFERENCES memberships (organisation_id, user_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE weekly_digests (
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        week_start      timestamptz NOT NULL,
        sent_at         timestamptz NOT NULL,
        assessment_id   uuid,
        score           double precision,
        band            text,
        recipients      integer NOT NULL,
        PRIMARY KEY (organisation_id, week_start)
      )`);
    for (const table of ['notification_preferences', 'weekly_digests']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT}) WITH CHECK (${TENANT})`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON notification_preferences TO hoh_app`);
    await q.query(`GRANT SELECT, INSERT ON weekly_digests TO hoh_app`);

    // The scan's new ranges.
    await q.query(`CREATE INDEX assessments_review_due ON assessments (hoh_evidence_expiry(signed_at, NULL::timestamptz)) WHERE status = 'signed'`);
    await q.query(`CREATE INDEX assessments_signed_by_org ON assessments (organisation_id, signed_at) WHERE status = 'signed'`);
    await q.query(`CREATE INDEX assessments_in_review_by_submitted ON assessments (submitted_at) WHERE status = 'in_review'`);
    await q.query(`CREATE INDEX assignments_by_assigned_at ON assignments (assigned_at)`);

    await q.query(`CREATE POLICY reminder_scan_read ON assessments FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY reminder_scan_read ON assignments FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY reminder_scan_read ON weekly_digests FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, id, status, signed_at, submitted_at) ON assessments TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, assessment_id, assignee_id, assigned_by, assigned_at) ON assignments TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, week_start) ON weekly_digests TO hoh_lookup`);

    await q.query(
      scanFunction(
        `${EVIDENCE_AND_ACTIONS}
          UNION ALL
          SELECT s.organisation_id, s.id, hoh_evidence_expiry(s.signed_at, NULL::timestamptz),
            CASE WHEN hoh_evidence_expiry(s.signed_at, NULL::timestamptz) <= p_now THEN 'review_due' ELSE 'review_due_30d' END
          FROM assessments s
          WHERE s.status = 'signed'
            AND hoh_evidence_expiry(s.signed_at, NULL::timestamptz) > p_now - make_interval(days => p_lookback_days)
            AND hoh_evidence_expiry(s.signed_at, NULL::timestamptz) <= p_now + interval '30 days'
            AND NOT EXISTS (SELECT 1 FROM assessments l WHERE l.organisation_id = s.organisation_id AND l.status = 'signed' AND l.signed_at > s.signed_at)
          UNION ALL
          SELECT r.organisation_id, r.id, r.submitted_at, 'review_waiting'
          FROM assessments r
          WHERE r.status = 'in_review' AND r.submitted_at > p_now - make_interval(days => p_lookback_days)
          UNION ALL
          SELECT g.organisation_id, g.assessment_id, g.assigned_at, 'assignment'
          FROM assignments g
          WHERE g.assigned_at > p_now - make_interval(days => p_lookback_days) AND g.assignee_id <> g.assigned_by`,
        true,
      ),
    );

    await q.query(`
      CREATE FUNCTION hoh_due_digests(p_week_start timestamptz)
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.organisation_id FROM organisations o
        WHERE NOT EXISTS (SELECT 1 FROM weekly_digests d WHERE d.organisation_id = o.organisation_id AND d.week_start = p_week_start)
        ORDER BY o.organisation_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_due_digests(timestamptz) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_due_digests(timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_due_digests(timestamptz) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_due_digests(timestamptz)`);
    await q.query(scanFunction(EVIDENCE_AND_ACTIONS, false));
    for (const table of ['assessments', 'assignments']) await q.query(`DROP POLICY IF EXISTS reminder_scan_read ON ${table}`);
    await q.query(`REVOKE SELECT ON assessments, assignments FROM hoh_lookup`);
    await q.query(`DROP INDEX IF EXISTS assessments_review_due, assessments_signed_by_org, assessments_in_review_by_submitted, assignments_by_assigned_at`);
    await q.query(`DROP TABLE IF EXISTS weekly_digests, notification_preferences`);
    await q.query(`DELETE FROM notifications WHERE kind NOT IN (${OLD_KINDS})`);
    await q.query(`DELETE FROM reminders_sent WHERE threshold NOT IN (${OLD_KINDS})`);
    await q.query(`DROP INDEX IF EXISTS notifications_mail_held`);
    await q.query(`ALTER TABLE notifications DROP COLUMN digested_at, DROP COLUMN mail_held`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_entity_type_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_entity_type_check CHECK (entity_type IN ('evidence', 'action'))`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${OLD_KINDS}))`);
    await q.query(`ALTER TABLE reminders_sent DROP CONSTRAINT reminders_sent_threshold_check`);
    await q.query(`ALTER TABLE reminders_sent ADD CONSTRAINT reminders_sent_threshold_check CHECK (threshold IN (${OLD_KINDS}))`);
  }
}
