import { randomBytes } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { MemberContext } from '../../common/auth/access.decorators.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { Keyring } from '../keyring/keyring.js';

/** An organisation's storage keys, unwrapped: the data key objects are encrypted with, and the key object names are derived with. */
export interface OrganisationStorageKeys {
  dataKey: Buffer;
  nameKey: Buffer;
}

const KEY_BYTES = 32;
/** Organisations whose unwrapped keys a process keeps; past it the cache starts again (an unwrap is one small AES call). */
const CACHE_LIMIT = 10_000;
const REWRAP_BATCH = 200;

/** The keyring context of an organisation's storage keys: a sealed row copied to another organisation does not open. */
export const storageKeysContext = (organisationId: string): string => `storage_keys:${organisationId}`;

/** The named system actor the storage job runs as inside an organisation (no person; it only moves bytes). */
export const STORAGE_ACTOR = { id: '00000000-0000-0000-0000-0000000057a6', name: 'system:storage' } as const;
export const storageMember = (organisationId: string): MemberContext => ({ organisationId, userId: STORAGE_ACTOR.id, role: 'auditor', accountableIndividual: false });

/**
 * Per-organisation storage keys (docs/PRODUCT.md §6.6), made on first use and kept in
 * `storage_keys` sealed by the keyring: 64 random bytes, the AES-256-GCM data key and the HMAC name
 * key. The sealed text names the keyring key that wrapped it, so master-key rotation re-wraps the row
 * (rewrapPending) and every object stays readable without being rewritten.
 */
@Injectable()
export class StorageKeys {
  private readonly logger = new Logger('storage');
  private readonly opened = new Map<string, { sealed: string; keys: OrganisationStorageKeys }>();

  constructor(
    private readonly keyring: Keyring,
    private readonly dataSource: DataSource,
  ) {}

  /** The caller's organisation's keys, in its tenant transaction; made (and sealed) the first time. */
  async current(): Promise<OrganisationStorageKeys> {
    const org = currentMember().organisationId;
    const m = tenantManager();
    const read = async () => (await m.query<{ sealed_keys: string }[]>('SELECT sealed_keys FROM storage_keys WHERE organisation_id = $1', [org]))[0]?.sealed_keys;
    let sealed = await read();
    if (!sealed) {
      const fresh = randomBytes(2 * KEY_BYTES);
      try {
        // Two first uploads at once: the second INSERT waits for the first and then does nothing; both read the winner.
        await m.query('INSERT INTO storage_keys (organisation_id, sealed_keys) VALUES ($1, $2) ON CONFLICT (organisation_id) DO NOTHING', [
          org,
          await this.keyring.seal(fresh, storageKeysContext(org)),
        ]);
      } finally {
        fresh.fill(0);
      }
      sealed = await read();
      if (!sealed) throw new Error(`The storage keys of organisation ${org} could not be made`);
    }
    const cached = this.opened.get(org);
    if (cached?.sealed === sealed) return cached.keys;
    const raw = await this.keyring.open(sealed, storageKeysContext(org));
    const keys = { dataKey: Buffer.from(raw.subarray(0, KEY_BYTES)), nameKey: Buffer.from(raw.subarray(KEY_BYTES, 2 * KEY_BYTES)) };
    raw.fill(0);
    if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
    this.opened.set(org, { sealed, keys });
    return keys;
  }

  /**
   * Rotation: rows sealed under a retired master key are re-wrapped under the active one, a batch per
   * call; only the small sealed key changes, never an object. MASTER_KEY_PREVIOUS can go once this
   * finds nothing (docs/DEPLOYING.md, "Storage").
   */
  async rewrapPending(): Promise<number> {
    const stale = await this.dataSource.query<{ organisation_id: string }[]>('SELECT organisation_id FROM hoh_storage_keys_to_rewrap($1, $2)', [this.keyring.activeKeyId, REWRAP_BATCH]);
    let rewrapped = 0;
    for (const { organisation_id: org } of stale) {
      rewrapped += await runAsMember(this.dataSource, storageMember(org), async () => {
        const m = tenantManager();
        const [row] = await m.query<{ sealed_keys: string }[]>('SELECT sealed_keys FROM storage_keys WHERE organisation_id = $1', [org]);
        if (!row) return 0;
        const next = await this.keyring.rewrap(row.sealed_keys, storageKeysContext(org));
        if (next === null) return 0;
        // Only while nobody else re-wrapped it first (two workers): the row must still be what we read.
        const updated = await m.query<{ organisation_id: string }[]>(
          'WITH u AS (UPDATE storage_keys SET sealed_keys = $2 WHERE organisation_id = $1 AND sealed_keys = $3 RETURNING organisation_id) SELECT organisation_id FROM u',
          [org, next, row.sealed_keys],
        );
        return updated.length;
      });
    }
    if (rewrapped > 0) this.logger.log(`Re-wrapped the storage keys of ${rewrapped} organisations under master key ${this.keyring.activeKeyId}`);
    return rewrapped;
  }
}
