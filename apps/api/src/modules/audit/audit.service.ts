import { createPublicKey, randomUUID, verify as verifySignature } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

import type { AuditEntry, AuditLogPage, AuditVerifyResponse } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { AppError } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { SigningKeyService } from '../reports/signing-key.service.js';
import { type AnchorKey, outsideAnchorKey } from './anchor-key.js';
import { entryHash, GENESIS_HASH } from './chain.js';
import { AUDITED_STATE, AUDITED_TABLES, auditedValues, capturedState, CAPTURED_STATE_SETTING, currentStateSql, rowKey, stateOf, type AuditedTableName } from './audited-state.js';

// Re-exported: tests and bench/bare-pg-server.mjs take the chain's hash from here.
export { entryHash, GENESIS_HASH } from './chain.js';

/**
 * How often a chain head is signed: when the newest anchor is this old (or there is none), the next
 * audited write anchors its own entry. A tail cut off or rewritten after an anchor is detected; one
 * younger than this is not (docs/SECURITY.md "Not yet covered").
 */
export const ANCHOR_INTERVAL_SECONDS = 60;

interface AnchorRow {
  seq: string;
  head_hash: string;
  anchored_at: Date;
  key_id: string;
  signature: string;
}

/** What an anchor signs: the organisation, the seq, that entry's hash and when (canonical JSON). */
export const anchorStatement = (organisationId: string, seq: number, hash: string, anchoredAt: string) => ({
  kind: 'hoh.audit-anchor.v1',
  organisationId,
  seq,
  hash,
  anchoredAt,
});

interface AuditRow {
  seq: string;
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq),
  id: r.id,
  occurredAt: r.occurred_at.toISOString(),
  actorId: r.actor_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  data: r.data,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
}

/**
 * The SQL expression that takes an organisation's chain lock (transaction-scoped), given the
 * placeholder of its id. A write may take it within its own statement and tell append so, sparing a
 * round trip: the chain head is still read by a later statement, whose snapshot then holds every
 * entry committed before the lock was granted.
 */
export const auditChainLock = (organisationIdParam: string) => `pg_advisory_xact_lock(hashtextextended('audit:' || ${organisationIdParam}, 0))`;

// The statements every audited write sends, prepared (planned once per connection).
const CHAIN_LOCK_SQL = prepared(`SELECT ${auditChainLock('$1')}`);
// The chain head and the rows this transaction wrote to audited tables (recorded by the capture
// trigger, migration 1764346800000), read in one statement: no round trip added to any write. One
// row even before the first entry (the LEFT JOIN), so the first entry keeps its state too. Only the
// current anchor key's anchors count as recent: after AUDIT_ANCHOR_KEY is set, each organisation's
// next write is anchored with it.
// bench/bare-pg-server.mjs recognises it by "FROM audit_log l WHERE l.organisation_id = $1 ORDER BY l.seq DESC".
const CHAIN_HEAD_SQL = prepared(`SELECT h.seq, h.hash,
    NOT EXISTS (SELECT 1 FROM audit_anchors a WHERE a.organisation_id = $1 AND a.anchored_at > now() - make_interval(secs => $2) AND a.key_id = $3) AS anchor_due,
    current_setting('${CAPTURED_STATE_SETTING}', true) AS captured_state
  FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT l.seq, l.hash FROM audit_log l WHERE l.organisation_id = $1 ORDER BY l.seq DESC LIMIT 1) h ON true`);
// Clears the captured rows with the insert that keeps them, so the next entry of this transaction starts afresh.
const APPEND_SQL = prepared(`INSERT INTO audit_log (organisation_id, seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING set_config('${CAPTURED_STATE_SETTING}', '', true) AS cleared`);

interface ChainHeadRow {
  seq: string | null;
  hash: string | null;
  anchor_due: boolean;
  captured_state: string | null;
}

/** What verify says about the key it trusted anchors from. */
type AnchorKeyInfo = NonNullable<AuditVerifyResponse['anchorKey']>;

@Injectable()
export class AuditService {
  private keys: SigningKeyService | null = null;
  /** The anchor-signing key held outside the database (AUDIT_ANCHOR_KEY), read once at boot. */
  private readonly outsideKey: AnchorKey | null;
  /** The report key in its anchor-signing role (the fallback, and what anchors were signed with before AUDIT_ANCHOR_KEY). */
  private reportAnchorKey: AnchorKey | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {
    this.outsideKey = outsideAnchorKey(config.env.AUDIT_ANCHOR_KEY);
  }

  /**
   * The report-signing key signs anchors too. Looked up lazily and across modules: AuditModule is
   * global and ReportsModule depends on it, so a constructor dependency would be circular.
   */
  private signingKeys(): SigningKeyService {
    const keys = this.keys ?? this.moduleRef.get(SigningKeyService, { strict: false });
    if (!keys) throw new Error('AuditService needs SigningKeyService: import ReportsModule wherever AuditModule is used');
    this.keys = keys;
    return keys;
  }

  /**
   * Takes this organisation's audit chain lock now, for a write that must hold it before the row
   * locks it takes (so it waits in the same order as a bank upgrade, which holds the chain while it
   * locks actions). append() then finds it held; the lock is re-entrant within the transaction.
   */
  async lockChain(manager: EntityManager = tenantManager(), organisationId = currentMember().organisationId): Promise<void> {
    await manager.query(CHAIN_LOCK_SQL, [organisationId]);
  }

  /**
   * Appends to the organisation's chain inside the caller's transaction; appends are serialised per
   * organisation by a transaction-scoped advisory lock, so the chain never forks. `chainLocked`: the
   * caller already took that lock (auditChainLock) in an earlier statement of this transaction.
   */
  async append(record: AuditRecord, manager: EntityManager = tenantManager(), actor = currentMember(), { chainLocked = false } = {}): Promise<AuditEntry> {
    const organisationId = actor.organisationId;
    if (!chainLocked) await manager.query(CHAIN_LOCK_SQL, [organisationId]);
    const [head]: ChainHeadRow[] = await manager.query(CHAIN_HEAD_SQL, [organisationId, ANCHOR_INTERVAL_SECONDS, this.anchorKey().keyId]);
    const last = head?.seq === null || head?.seq === undefined ? undefined : { seq: head.seq, hash: head.hash! };
    // The audited rows this transaction wrote before this entry, as they now are (audited-state.ts):
    // chained with the entry, so verify can tell any later change made outside the API.
    const state = capturedState(organisationId, head?.captured_state);
    // jsonb keeps no key order and drops undefined; hashing the canonical round-trip keeps verify exact.
    const data = JSON.parse(JSON.stringify(state.length > 0 ? { ...record.data, state } : record.data)) as Record<string, unknown>;
    const partial = {
      seq: last ? Number(last.seq) + 1 : 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      actorId: actor.userId,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      data,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...partial, hash: entryHash(organisationId, partial) };
    await manager.query(
      APPEND_SQL,
      [organisationId, entry.seq, entry.id, entry.occurredAt, entry.actorId, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.data), entry.prevHash, entry.hash],
    );
    // The first entry, and the first after the interval, anchor themselves in the same transaction.
    if (!last || head!.anchor_due) await this.anchor(manager, organisationId, entry.seq, entry.hash);
    return entry;
  }

  /**
   * The key that signs anchors: AUDIT_ANCHOR_KEY when set (held outside the database), otherwise the
   * report-signing key (from REPORT_SIGNING_KEY, or kept in the database when that is unset).
   */
  private anchorKey(): AnchorKey {
    return this.outsideKey ?? this.reportKey();
  }

  private reportKey(): AnchorKey {
    if (this.reportAnchorKey) return this.reportAnchorKey;
    const keys = this.signingKeys();
    const published = keys.publicKey();
    const publicKey = createPublicKey(published.pem);
    this.reportAnchorKey = {
      source: this.config.env.REPORT_SIGNING_KEY ? 'environment' : 'database',
      keyId: published.keyId,
      sign: (statement) => keys.sign(statement).signature,
      verify: (statement, signature) => verifySignature(null, Buffer.from(canonicalJson(statement), 'utf8'), publicKey, Buffer.from(signature, 'base64url')),
    };
    return this.reportAnchorKey;
  }

  /** Signs (organisation, seq, hash) with the anchor key and stores it beside the chain. */
  private async anchor(manager: EntityManager, organisationId: string, seq: number, hash: string): Promise<void> {
    const anchoredAt = new Date().toISOString();
    const key = this.anchorKey();
    const signature = key.sign(anchorStatement(organisationId, seq, hash, anchoredAt));
    const keyId = key.keyId;
    await manager.query(
      // ON CONFLICT: an anchor for this seq already says the same; and bench/bare-pg-server.mjs replays
      // the API's statements verbatim, so a captured anchor must not fail on its second replay.
      `INSERT INTO audit_anchors (organisation_id, seq, head_hash, anchored_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [organisationId, seq, hash, anchoredAt, keyId, signature],
    );
  }

  /** Anchors the current head now, whatever the interval (for tests and operators). */
  async anchorNow(): Promise<number> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    await manager.query(`SELECT ${auditChainLock('$1')}`, [organisationId]);
    const head: { seq: string; hash: string }[] = await manager.query('SELECT seq, hash FROM audit_log WHERE organisation_id = $1 ORDER BY seq DESC LIMIT 1', [organisationId]);
    if (!head[0]) return 0;
    const exists: unknown[] = await manager.query('SELECT 1 FROM audit_anchors WHERE organisation_id = $1 AND seq = $2', [organisationId, head[0].seq]);
    if (exists.length === 0) await this.anchor(manager, organisationId, Number(head[0].seq), head[0].hash);
    return Number(head[0].seq);
  }

  /** Oldest first. A filter reads through the audit_log_by_entity index (organisation, type, id, seq). */
  async list(limit: number, cursor: string | undefined, filter: { entityType?: string | undefined; entityId?: string | undefined } = {}): Promise<AuditLogPage> {
    const after = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isSafeInteger(after) || after < 0) {
      throw new AppError('VALIDATION_FAILED', 'cursor is not one this API issued; start again without it.', { details: [{ path: 'cursor', message: 'Use the nextCursor of the previous page' }] });
    }
    const { organisationId } = currentMember();
    // One constant text per shape (not `$4 IS NULL OR …`), so each is planned on its own index use.
    const rows: AuditRow[] =
      filter.entityType === undefined
        ? await tenantManager().query('SELECT * FROM audit_log WHERE organisation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [organisationId, after, limit + 1])
        : filter.entityId === undefined
          ? await tenantManager().query('SELECT * FROM audit_log WHERE organisation_id = $1 AND entity_type = $4 AND seq > $2 ORDER BY seq LIMIT $3', [organisationId, after, limit + 1, filter.entityType])
          : await tenantManager().query('SELECT * FROM audit_log WHERE organisation_id = $1 AND entity_type = $4 AND entity_id = $5 AND seq > $2 ORDER BY seq LIMIT $3', [
              organisationId,
              after,
              limit + 1,
              filter.entityType,
              filter.entityId,
            ]);
    const items = rows.slice(0, limit).map(toEntry);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
  }

  /**
   * Recomputes the whole chain (every hash, every link, no gaps in seq) and checks it against the
   * signed anchors: each anchor's signature, and that the entry it names still has the anchored
   * hash, so a tail cut off or rewritten with recomputed hashes after an anchor is reported. Then
   * compares every audited row (audited-state.ts) with the last state the chain holds for it, so a
   * row changed directly in the database (bypassing the API and so the chain) is reported as drift
   * naming its table, row and field.
   *
   * With AUDIT_ANCHOR_KEY set, only anchors by that key are trusted. An anchor signed with the
   * report key (which the database may hold, so a superuser could sign with it) before the first
   * anchor by the outside key was made before that key was configured: it is skipped, neither
   * counted in `anchoredUpTo` nor a break. One after it can only be forged, and is a break; so is an
   * anchor by any other key.
   */
  async verify(): Promise<AuditVerifyResponse> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    const anchorRows: AnchorRow[] = await manager.query(
      'SELECT seq, head_hash, anchored_at, key_id, signature FROM audit_anchors WHERE organisation_id = $1 ORDER BY seq',
      [organisationId],
    );
    const trusted = this.anchorKey();
    const anchorKey: AnchorKeyInfo = { source: trusted.source, keyId: trusted.keyId };
    const skipped = this.outsideKey && this.reportKey().keyId !== trusted.keyId ? this.reportKey().keyId : null;
    const firstTrusted = Number(anchorRows.find((a) => a.key_id === trusted.keyId)?.seq ?? Infinity);
    const anchors = new Map<number, string>();
    let lastAnchored = 0;
    for (const a of anchorRows) {
      const seq = Number(a.seq);
      if (a.key_id === skipped && seq < firstTrusted) continue;
      if (a.key_id === skipped) {
        const reason = `the anchor at entry ${seq} is signed with the report key (${a.key_id}), which the database may hold, although anchors are signed with the anchor key ${trusted.keyId} from entry ${firstTrusted} on: it was forged`;
        return { intact: false, checked: 0, firstBreak: { seq, reason }, drift: [], anchoredUpTo: 0, anchorKey };
      }
      const statement = anchorStatement(organisationId, seq, a.head_hash, a.anchored_at.toISOString());
      const genuine = a.key_id === trusted.keyId && trusted.verify(statement, a.signature);
      if (!genuine) {
        return { intact: false, checked: 0, firstBreak: { seq, reason: `the anchor at entry ${seq} is not signed by this service's anchor key (${trusted.keyId})` }, drift: [], anchoredUpTo: 0, anchorKey };
      }
      anchors.set(seq, a.head_hash);
      lastAnchored = seq;
    }
    let anchoredUpTo = 0;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    // The last state the chain holds for each audited row, by table and row id (null: deleted).
    const audited = new Map<AuditedTableName, Map<string, Record<string, unknown> | null>>(AUDITED_TABLES.map((t) => [t, new Map()]));
    for (;;) {
      const rows: AuditRow[] = await manager.query(
        'SELECT * FROM audit_log WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq LIMIT 1000',
        [organisationId, expectedSeq],
      );
      for (const row of rows) {
        const entry = toEntry(row);
        const broken = (reason: string): AuditVerifyResponse => ({ intact: false, checked, firstBreak: { seq: entry.seq, reason }, drift: [], anchoredUpTo, anchorKey });
        // A gap breaks the chain at the missing seq, not at the entry after it.
        if (entry.seq !== expectedSeq) return { intact: false, checked, firstBreak: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` }, drift: [], anchoredUpTo, anchorKey };
        if (entry.prevHash !== prevHash) return broken('does not link to the previous entry');
        const { hash, ...rest } = entry;
        if (entryHash(organisationId, rest) !== hash) return broken('content does not match its hash');
        const anchored = anchors.get(entry.seq);
        if (anchored !== undefined && anchored !== hash) return broken('differs from the hash anchored (signed) for it: the log was rewritten from here');
        if (anchored !== undefined) anchoredUpTo = entry.seq;
        for (const change of stateOf(entry.data)) audited.get(change.table)?.set(change.key, change.values);
        prevHash = hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < 1000) break;
    }
    if (lastAnchored >= expectedSeq) {
      return {
        intact: false,
        checked,
        firstBreak: { seq: expectedSeq, reason: `entries ${expectedSeq} to ${lastAnchored} are missing: the log was anchored up to entry ${lastAnchored} and has been cut off` },
        drift: [],
        anchoredUpTo,
        anchorKey,
      };
    }
    const drift = await this.stateDrift(organisationId, audited);
    return { intact: drift.length === 0, checked, drift, anchoredUpTo, anchorKey };
  }

  /**
   * Reconciles every current row of every audited table with the last state the chain holds for it:
   * a field that differs, a row the chain never saw, and a row the chain says exists but is gone.
   * A column absent from a row's last audited state was not audited when that row was last written
   * (it was added to AUDITED_STATE since), so it is compared from the row's next audited write on.
   */
  private async stateDrift(organisationId: string, audited: Map<AuditedTableName, Map<string, Record<string, unknown> | null>>): Promise<AuditVerifyResponse['drift']> {
    const manager = tenantManager();
    const drift: AuditVerifyResponse['drift'] = [];
    for (const table of AUDITED_TABLES) {
      const chain = audited.get(table)!;
      const rows: { row: Record<string, unknown> }[] = await manager.query(currentStateSql(table), [organisationId]);
      const seen = new Set<string>();
      for (const { row } of rows) {
        const id = rowKey(table, row);
        seen.add(id);
        const last = chain.get(id);
        if (last === undefined) {
          drift.push({ table, id, reason: 'no audit entry records this row: it was written outside the API' });
          continue;
        }
        if (last === null) {
          drift.push({ table, id, reason: 'the audit trail records this row as deleted, yet it exists: it was written outside the API' });
          continue;
        }
        const current = auditedValues(table, row);
        for (const field of Object.keys(AUDITED_STATE[table].columns)) {
          if (!Object.hasOwn(last, field)) continue;
          if (canonicalJson(current[field] ?? null) !== canonicalJson(last[field] ?? null)) {
            drift.push({ table, id, field, reason: `${field} differs from its last audited value: it was changed outside the API` });
          }
        }
      }
      for (const [id, last] of chain) {
        if (last !== null && !seen.has(id)) drift.push({ table, id, reason: 'the audit trail records this row, but it is gone: it was deleted outside the API' });
      }
    }
    return drift;
  }
}
