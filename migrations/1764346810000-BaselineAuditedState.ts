import { randomUUID } from 'node:crypto';

import type { MigrationInterface, QueryRunner } from 'typeorm';

import { AUDITED_TABLES, auditedValues, currentStateSql, rowKey, type StateChange } from '../apps/api/src/modules/audit/audited-state.js';
import { entryHash, GENESIS_HASH } from '../apps/api/src/modules/audit/chain.js';

interface LegacyAnswerState {
  value: string;
  justification: string | null;
  comment: string | null;
  version: number;
}

/**
 * Chains the state of every audited row that exists when audited state is introduced (issue 20,
 * migration 1764346800000), one `audit.baseline` entry per organisation, so verify does not report
 * every row written before this release as unaudited drift. An answer is left out when it differs
 * from its last audited answer (value, justification, comment, version: what verify compared until
 * now), so drift found before this release is still reported after it. The entry is not anchored
 * here (the anchor key lives in the API process); the organisation's next audited write anchors it.
 *
 * Runs as the owner. Every table has row-level security forced, so organisations are listed with
 * the policy lifted inside this migration's own transaction, and each one's rows are then read and
 * its entry appended with the tenant set, as the API does.
 */
export class BaselineAuditedState1764346810000 implements MigrationInterface {
  name = 'BaselineAuditedState1764346810000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations NO FORCE ROW LEVEL SECURITY`);
    const organisations = (await q.query(`SELECT organisation_id FROM organisations ORDER BY organisation_id`)) as { organisation_id: string }[];
    await q.query(`ALTER TABLE organisations FORCE ROW LEVEL SECURITY`);
    for (const { organisation_id: organisationId } of organisations) {
      await q.query(`SELECT set_config('app.org_id', $1, true), pg_advisory_xact_lock(hashtextextended('audit:' || $1, 0))`, [organisationId]);
      const legacy = (await q.query(
        `SELECT DISTINCT ON (entity_id) entity_id, data -> 'after' AS after FROM audit_log
         WHERE organisation_id = $1 AND entity_type = 'answer' AND data ? 'after' ORDER BY entity_id, seq DESC`,
        [organisationId],
      )) as { entity_id: string; after: LegacyAnswerState }[];
      const audited = new Map(legacy.map((l) => [l.entity_id, l.after]));
      const state: StateChange[] = [];
      const leftOut: string[] = [];
      for (const table of AUDITED_TABLES) {
        // AUDITED_STATE grows with later releases; a table a later migration creates has no old rows to baseline.
        const [exists] = (await q.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table])) as { present: boolean }[];
        if (!exists?.present) continue;
        const rows = (await q.query(currentStateSql(table), [organisationId])) as { row: Record<string, unknown> }[];
        for (const { row } of rows) {
          const key = rowKey(table, row);
          if (table === 'answers') {
            const was = audited.get(key);
            const same = was && was.value === row['value'] && (was.justification ?? null) === row['justification'] && (was.comment ?? null) === row['comment'] && was.version === row['version'];
            if (!same) {
              leftOut.push(`answers/${key}`);
              continue;
            }
          }
          state.push({ table, key, values: auditedValues(table, row) });
        }
      }
      if (state.length === 0 && leftOut.length === 0) continue;
      const [head] = (await q.query(`SELECT seq, hash FROM audit_log WHERE organisation_id = $1 ORDER BY seq DESC LIMIT 1`, [organisationId])) as { seq: string; hash: string }[];
      const data = JSON.parse(JSON.stringify({ reason: 'state of the audited rows when their state was first chained (issue 20)', state, leftOut })) as Record<string, unknown>;
      const entry = {
        seq: head ? Number(head.seq) + 1 : 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        actorId: null,
        action: 'audit.baseline',
        entityType: 'organisation',
        entityId: organisationId,
        data,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      await q.query(
        `INSERT INTO audit_log (organisation_id, seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [organisationId, entry.seq, entry.id, entry.occurredAt, entry.actorId, entry.action, entry.entityType, entry.entityId, JSON.stringify(data), entry.prevHash, entryHash(organisationId, entry)],
      );
    }
    await q.query(`SELECT set_config('app.org_id', '', true)`);
  }

  async down(): Promise<void> {
    // The baseline entries stay: the audit log is append-only, and they only record state.
  }
}
