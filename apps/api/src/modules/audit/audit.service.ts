import { createHash, createPublicKey, type KeyObject, randomUUID, verify as verifySignature } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

import type { AuditEntry, AuditLogPage, AuditVerifyResponse } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { AppError } from '../../common/app-error.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { SigningKeyService } from '../reports/signing-key.service.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * How often a chain head is signed: when the newest anchor is this old (or there is none), the next
 * audited write anchors its own entry. A tail cut off or rewritten after an anchor is detected; one
 * younger than this is not (docs/SECURITY.md).
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

/** The hash covers every field of the entry and the previous hash, in canonical JSON. */
export function entryHash(organisationId: string, e: Omit<AuditEntry, 'hash'>): string {
  const material = canonicalJson({
    organisationId,
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurredAt,
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    data: e.data,
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(material).digest('hex');
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

interface AuditedAnswer {
  value: string;
  justification: string | null;
  comment: string | null;
  version: number;
}

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
// Same text as before anchoring from "FROM audit_log" on: bench/bare-pg-server.mjs recognises it.
const CHAIN_HEAD_SQL = prepared(`SELECT seq, hash,
    NOT EXISTS (SELECT 1 FROM audit_anchors a WHERE a.organisation_id = $1 AND a.anchored_at > now() - make_interval(secs => $2)) AS anchor_due
  FROM audit_log WHERE organisation_id = $1 ORDER BY seq DESC LIMIT 1`);
const APPEND_SQL = prepared(`INSERT INTO audit_log (organisation_id, seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`);

@Injectable()
export class AuditService {
  private keys: SigningKeyService | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

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
   * Appends to the organisation's chain inside the caller's transaction; appends are serialised per
   * organisation by a transaction-scoped advisory lock, so the chain never forks. `chainLocked`: the
   * caller already took that lock (auditChainLock) in an earlier statement of this transaction.
   */
  async append(record: AuditRecord, manager: EntityManager = tenantManager(), actor = currentMember(), { chainLocked = false } = {}): Promise<AuditEntry> {
    const organisationId = actor.organisationId;
    if (!chainLocked) await manager.query(CHAIN_LOCK_SQL, [organisationId]);
    const last: { seq: string; hash: string; anchor_due: boolean }[] = await manager.query(CHAIN_HEAD_SQL, [organisationId, ANCHOR_INTERVAL_SECONDS]);
    // jsonb keeps no key order and drops undefined; hashing the canonical round-trip keeps verify exact.
    const data = JSON.parse(JSON.stringify(record.data)) as Record<string, unknown>;
    const partial = {
      seq: last[0] ? Number(last[0].seq) + 1 : 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      actorId: actor.userId,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      data,
      prevHash: last[0]?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...partial, hash: entryHash(organisationId, partial) };
    await manager.query(
      APPEND_SQL,
      [organisationId, entry.seq, entry.id, entry.occurredAt, entry.actorId, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.data), entry.prevHash, entry.hash],
    );
    // The first entry, and the first after the interval, anchor themselves in the same transaction.
    if (!last[0] || last[0].anchor_due) await this.anchor(manager, organisationId, entry.seq, entry.hash);
    return entry;
  }

  /** Signs (organisation, seq, hash) with the report-signing key and stores it beside the chain. */
  private async anchor(manager: EntityManager, organisationId: string, seq: number, hash: string): Promise<void> {
    const anchoredAt = new Date().toISOString();
    const { signature, keyId } = this.signingKeys().sign(anchorStatement(organisationId, seq, hash, anchoredAt));
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

  async list(limit: number, cursor: string | undefined): Promise<AuditLogPage> {
    const after = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isSafeInteger(after) || after < 0) {
      throw new AppError('VALIDATION_FAILED', 'cursor is not one this API issued; start again without it.', { details: [{ path: 'cursor', message: 'Use the nextCursor of the previous page' }] });
    }
    const { organisationId } = currentMember();
    const rows: AuditRow[] = await tenantManager().query(
      'SELECT * FROM audit_log WHERE organisation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [organisationId, after, limit + 1],
    );
    const items = rows.slice(0, limit).map(toEntry);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
  }

  /**
   * Recomputes the whole chain (every hash, every link, no gaps in seq) and checks it against the
   * signed anchors: each anchor's signature, and that the entry it names still has the anchored
   * hash, so a tail cut off or rewritten with recomputed hashes after an anchor is reported.
   */
  async verify(): Promise<AuditVerifyResponse> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    const anchorRows: AnchorRow[] = await manager.query(
      'SELECT seq, head_hash, anchored_at, key_id, signature FROM audit_anchors WHERE organisation_id = $1 ORDER BY seq',
      [organisationId],
    );
    const publicKey = this.anchorKey();
    const anchors = new Map<number, string>();
    for (const a of anchorRows) {
      const seq = Number(a.seq);
      const statement = anchorStatement(organisationId, seq, a.head_hash, a.anchored_at.toISOString());
      const genuine =
        a.key_id === this.signingKeys().publicKey().keyId &&
        verifySignature(null, Buffer.from(canonicalJson(statement), 'utf8'), publicKey, Buffer.from(a.signature, 'base64url'));
      if (!genuine) return { intact: false, checked: 0, firstBreak: { seq, reason: `the anchor at entry ${seq} is not signed by this service's key` }, drift: [], anchoredUpTo: 0 };
      anchors.set(seq, a.head_hash);
    }
    let anchoredUpTo = 0;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows: AuditRow[] = await manager.query(
        'SELECT * FROM audit_log WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq LIMIT 1000',
        [organisationId, expectedSeq],
      );
      for (const row of rows) {
        const entry = toEntry(row);
        const broken = (reason: string): AuditVerifyResponse => ({ intact: false, checked, firstBreak: { seq: entry.seq, reason }, drift: [], anchoredUpTo });
        // A gap breaks the chain at the missing seq, not at the entry after it.
        if (entry.seq !== expectedSeq) return { intact: false, checked, firstBreak: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` }, drift: [], anchoredUpTo };
        if (entry.prevHash !== prevHash) return broken('does not link to the previous entry');
        const { hash, ...rest } = entry;
        if (entryHash(organisationId, rest) !== hash) return broken('content does not match its hash');
        const anchored = anchors.get(entry.seq);
        if (anchored !== undefined && anchored !== hash) return broken('differs from the hash anchored (signed) for it: the log was rewritten from here');
        if (anchored !== undefined) anchoredUpTo = entry.seq;
        prevHash = hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < 1000) break;
    }
    const lastAnchored = anchorRows.length > 0 ? Number(anchorRows[anchorRows.length - 1]!.seq) : 0;
    if (lastAnchored >= expectedSeq) {
      return {
        intact: false,
        checked,
        firstBreak: { seq: expectedSeq, reason: `entries ${expectedSeq} to ${lastAnchored} are missing: the log was anchored up to entry ${lastAnchored} and has been cut off` },
        drift: [],
        anchoredUpTo,
      };
    }
    const drift = await this.answerDrift(organisationId);
    return { intact: drift.length === 0, checked, drift, anchoredUpTo };
  }

  private anchorPublicKey: KeyObject | null = null;
  private anchorKey(): KeyObject {
    const key = this.anchorPublicKey ?? createPublicKey(this.signingKeys().publicKey().pem);
    this.anchorPublicKey = key;
    return key;
  }

  /**
   * Reconciles every current answer with the `after` state of its last audit entry, so an answer
   * changed directly in the database (bypassing the API and so the chain) is reported too.
   */
  private async answerDrift(organisationId: string): Promise<AuditVerifyResponse['drift']> {
    const rows: { assessment_id: string; question_id: string; value: string; justification: string | null; comment: string | null; version: number; audited: AuditedAnswer | null }[] =
      await tenantManager().query(
        `SELECT a.assessment_id, a.question_id, a.value, a.justification, a.comment, a.version,
                (SELECT l.data -> 'after' FROM audit_log l
                  WHERE l.organisation_id = a.organisation_id AND l.entity_type = 'answer'
                    AND l.entity_id = a.assessment_id::text || '/' || a.question_id AND l.data ? 'after'
                  ORDER BY l.seq DESC LIMIT 1) AS audited
         FROM answers a WHERE a.organisation_id = $1`,
        [organisationId],
      );
    const drift: AuditVerifyResponse['drift'] = [];
    for (const r of rows) {
      const id = `${r.assessment_id}/${r.question_id}`;
      if (!r.audited) {
        drift.push({ table: 'answers', id, reason: 'answer has no audit entry' });
        continue;
      }
      const same =
        r.audited.value === r.value && (r.audited.justification ?? null) === r.justification && (r.audited.comment ?? null) === r.comment && r.audited.version === r.version;
      if (!same) drift.push({ table: 'answers', id, reason: 'current answer differs from its last audited state' });
    }
    return drift;
  }
}
