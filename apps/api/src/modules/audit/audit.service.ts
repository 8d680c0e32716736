import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { AuditEntry, AuditLogPage, AuditVerifyResponse } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { AppError } from '../../common/app-error.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';

export const GENESIS_HASH = '0'.repeat(64);

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

@Injectable()
export class AuditService {
  /**
   * Appends to the organisation's chain inside the caller's transaction; appends are serialised per
   * organisation by a transaction-scoped advisory lock, so the chain never forks.
   */
  async append(record: AuditRecord, manager: EntityManager = tenantManager(), actor = currentMember()): Promise<AuditEntry> {
    const organisationId = actor.organisationId;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit:' || $1, 0))`, [organisationId]);
    const last: { seq: string; hash: string }[] = await manager.query(
      'SELECT seq, hash FROM audit_log WHERE organisation_id = $1 ORDER BY seq DESC LIMIT 1',
      [organisationId],
    );
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
      `INSERT INTO audit_log (organisation_id, seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [organisationId, entry.seq, entry.id, entry.occurredAt, entry.actorId, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.data), entry.prevHash, entry.hash],
    );
    return entry;
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

  /** Recomputes the whole chain: every hash, every link, no gaps in seq. */
  async verify(): Promise<AuditVerifyResponse> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
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
        const broken = (reason: string): AuditVerifyResponse => ({ intact: false, checked, firstBreak: { seq: entry.seq, reason }, drift: [] });
        // A gap breaks the chain at the missing seq, not at the entry after it.
        if (entry.seq !== expectedSeq) return { intact: false, checked, firstBreak: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` }, drift: [] };
        if (entry.prevHash !== prevHash) return broken('does not link to the previous entry');
        const { hash, ...rest } = entry;
        if (entryHash(organisationId, rest) !== hash) return broken('content does not match its hash');
        prevHash = hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < 1000) break;
    }
    const drift = await this.answerDrift(organisationId);
    return { intact: drift.length === 0, checked, drift };
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
