import { createHash } from 'node:crypto';

import type { AuditEntry } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

/** The chain's hashes, apart from AuditService so a migration can append an entry without Nest. */
export const GENESIS_HASH = '0'.repeat(64);

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
