import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25: boards and auditors name actions by short numbers ("A-014", docs/PRODUCT.md §7), not
 * UUIDs. Each organisation numbers its own actions 1, 2, 3… in the order they were created.
 *
 * - The next number comes from a per-organisation counter row (`action_counters`), never from
 *   max(number) + 1: the counter only ever grows, so a number is never handed out twice, even after
 *   the action holding it is gone (a gap, never a reuse). A transaction that rolls back takes its
 *   increment with it (a row, not a sequence), so a failed creation leaves no gap; an insert skipped
 *   by ON CONFLICT DO NOTHING (two suggestion runs racing) does spend one.
 * - A trigger, not application code, assigns it: every insert gets one, including ones written by
 *   tools and fixtures that have never heard of numbers (tools/seed-scale.mjs), and a number a
 *   caller supplies is ignored, so the counter stays the only source.
 * - Lock order (as 1764346700000): the trigger takes the organisation's audit-chain lock before the
 *   counter row. Every action insert is audited in the same transaction, so it would queue on that
 *   lock anyway; taking it first means no two transactions can hold the lock and the counter row in
 *   opposite orders. Concurrent inserts in one organisation then queue (briefly) and never collide.
 * - The counter is read under the tenant policy like every tenant table: the trigger runs as the
 *   caller, whose insert is already restricted to its own organisation.
 * - Numbers are stable: an UPDATE that changes one is refused.
 *
 * Existing rows are numbered in creation order (ties by id). Row-level security is forced, so the
 * owner lifts it on actions for the backfill only, inside this transaction (as 1764347100000).
 */
export class AddActionNumbers1764347200000 implements MigrationInterface {
  name = 'AddActionNumbers1764347200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE action_counters (
        organisation_id uuid PRIMARY KEY REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        last_number     integer NOT NULL CHECK (last_number > 0)
      )`);
    await q.query(`ALTER TABLE actions ADD COLUMN number integer`);
    await q.query(`ALTER TABLE actions NO FORCE ROW LEVEL SECURITY`);
    await q.query(`
      UPDATE actions a SET number = n.number
      FROM (SELECT organisation_id, id, row_number() OVER (PARTITION BY organisation_id ORDER BY created_at, id)::int AS number FROM actions) n
      WHERE a.organisation_id = n.organisation_id AND a.id = n.id`);
    await q.query(`INSERT INTO action_counters (organisation_id, last_number) SELECT organisation_id, max(number) FROM actions GROUP BY organisation_id`);
    await q.query(`ALTER TABLE actions FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE actions ALTER COLUMN number SET NOT NULL`);
    await q.query(`ALTER TABLE actions ADD CONSTRAINT actions_number UNIQUE (organisation_id, number)`);
    await q.query(`ALTER TABLE actions ADD CONSTRAINT actions_number_positive CHECK (number > 0)`);

    await q.query(`ALTER TABLE action_counters ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE action_counters FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON action_counters
        USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
        WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON action_counters TO hoh_app`);

    await q.query(`
      CREATE FUNCTION hoh_number_action() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The audit-chain lock first (same key as auditChainLock in audit.service.ts): see the lock order above.
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW.organisation_id::text, 0));
        INSERT INTO action_counters AS c (organisation_id, last_number) VALUES (NEW.organisation_id, 1)
          ON CONFLICT (organisation_id) DO UPDATE SET last_number = c.last_number + 1
          RETURNING c.last_number INTO NEW.number;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER actions_number BEFORE INSERT ON actions FOR EACH ROW EXECUTE FUNCTION hoh_number_action()`);
    await q.query(`
      CREATE FUNCTION hoh_keep_action_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'action % keeps its number % for life; numbers are never changed or reused', OLD.id, OLD.number;
      END $$`);
    // Only statements that name the column and change it pay for this trigger.
    await q.query(`CREATE TRIGGER actions_keep_number BEFORE UPDATE OF number ON actions FOR EACH ROW WHEN (NEW.number IS DISTINCT FROM OLD.number) EXECUTE FUNCTION hoh_keep_action_number()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS actions_keep_number ON actions`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_keep_action_number()`);
    await q.query(`DROP TRIGGER IF EXISTS actions_number ON actions`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_number_action()`);
    await q.query(`ALTER TABLE actions DROP CONSTRAINT IF EXISTS actions_number_positive`);
    await q.query(`ALTER TABLE actions DROP CONSTRAINT IF EXISTS actions_number`);
    await q.query(`ALTER TABLE actions DROP COLUMN IF EXISTS number`);
    await q.query(`DROP TABLE IF EXISTS action_counters`);
  }
}
