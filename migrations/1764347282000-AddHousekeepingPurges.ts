import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What each purge deletes, and the column its retention counts from (docs/PRODUCT.md §14, housekeeping). */
const PURGES = [
  // Read notifications: an unread one is kept however old, it still has something to say.
  { fn: 'hoh_purge_read_notifications', table: 'notifications', key: ['organisation_id', 'id'], at: 'read_at', index: 'notifications_read_at' },
  // Delivered mail: the outbox row is only the record that it went; unsent and failing rows stay.
  { fn: 'hoh_purge_sent_outbox', table: 'outbox', key: ['organisation_id', 'id'], at: 'sent_at', index: 'outbox_sent_at' },
  // Reminder records whose due instant is past the scan's reach (it looks back 14 days), so they can no longer stop a repeat.
  {
    fn: 'hoh_purge_reminders_sent',
    table: 'reminders_sent',
    key: ['organisation_id', 'item_id', 'threshold', 'due_at'],
    at: 'due_at',
    index: 'reminders_sent_by_due',
  },
] as const;

/**
 * Housekeeping purges across organisations (issue 28): read notifications, delivered outbox rows and
 * spent reminder records past their retention. hoh_app has no DELETE on these tenant tables and sees
 * one organisation at a time, so each purge is a narrow SECURITY DEFINER function owned by the
 * NOLOGIN role hoh_lookup (the owner of every cross-tenant function), which may delete only the rows
 * its policies name (read / sent / any reminder record) and only older than the cutoff the caller
 * passes, in batches of at most 10,000 so no purge holds locks for long. Each reads a partial index
 * on its timestamp, so a purge costs O(rows deleted), not O(table).
 */
export class AddHousekeepingPurges1764347282000 implements MigrationInterface {
  name = 'AddHousekeepingPurges1764347282000';

  async up(q: QueryRunner): Promise<void> {
    for (const p of PURGES) {
      const partial = p.at === 'due_at' ? '' : ` WHERE ${p.at} IS NOT NULL`;
      await q.query(`CREATE INDEX ${p.index} ON ${p.table} (${p.at})${partial}`);
      const visible = p.at === 'due_at' ? 'true' : `${p.at} IS NOT NULL`;
      // reminders_sent already has a SELECT policy for hoh_lookup (the reminder scan, migration 1764347232000).
      if (p.table !== 'reminders_sent') {
        await q.query(`CREATE POLICY housekeeping_read ON ${p.table} FOR SELECT TO hoh_lookup USING (${visible})`);
        await q.query(`GRANT SELECT (${[...new Set([...p.key, p.at])].join(', ')}) ON ${p.table} TO hoh_lookup`);
      }
      await q.query(`CREATE POLICY housekeeping_purge ON ${p.table} FOR DELETE TO hoh_lookup USING (${visible})`);
      await q.query(`GRANT DELETE ON ${p.table} TO hoh_lookup`);
      const join = p.key.map((k) => `t.${k} = doomed.${k}`).join(' AND ');
      await q.query(`
        CREATE FUNCTION ${p.fn}(p_cutoff timestamptz, p_limit integer) RETURNS integer
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          WITH doomed AS (
            SELECT ${p.key.join(', ')} FROM ${p.table} WHERE ${p.at} < p_cutoff ORDER BY ${p.at} LIMIT least(greatest(p_limit, 0), 10000)),
          deleted AS (DELETE FROM ${p.table} t USING doomed WHERE ${join} RETURNING 1)
          SELECT count(*)::int FROM deleted
        $$`);
      await q.query(`ALTER FUNCTION ${p.fn}(timestamptz, integer) OWNER TO hoh_lookup`);
      await q.query(`REVOKE ALL ON FUNCTION ${p.fn}(timestamptz, integer) FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${p.fn}(timestamptz, integer) TO hoh_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const p of PURGES) {
      await q.query(`DROP FUNCTION IF EXISTS ${p.fn}(timestamptz, integer)`);
      await q.query(`REVOKE DELETE ON ${p.table} FROM hoh_lookup`);
      await q.query(`DROP POLICY IF EXISTS housekeeping_purge ON ${p.table}`);
      if (p.table !== 'reminders_sent') {
        await q.query(`REVOKE SELECT (${[...new Set([...p.key, p.at])].join(', ')}) ON ${p.table} FROM hoh_lookup`);
        await q.query(`DROP POLICY IF EXISTS housekeeping_read ON ${p.table}`);
      }
      await q.query(`DROP INDEX IF EXISTS ${p.index}`);
    }
  }
}
