import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { runAsMember } from '../../database/tenant-context.js';
import { EncryptedObjects } from '../storage/encrypted-objects.js';
import { storageMember } from '../storage/storage-keys.js';
import { EvidenceRepository } from './evidence.repository.js';

export interface MoveRun {
  moved: number;
  /** Rows left where they are: their bytes do not match their recorded SHA-256 (an operator's to look at). */
  skipped: number;
  /** Whether rows remain after this run's batches (the next run continues). */
  more: boolean;
}

/** Rows one batch lists; each row is its own short transaction. */
const BATCH = 50;

/**
 * Moves files written before the object store out of `evidence_content` (issue 29), as the storage
 * job, never the boot migration (which holds the migration lock for as long as it runs). Resumable
 * by construction: the work list is simply whatever is still in evidence_content, and each row moves
 * in its own transaction — encrypt, put, read the object back and hash it, then one call of
 * hoh_evidence_content_moved records the object and deletes the bytea only if that hash equals the
 * row's. A crash anywhere leaves the row where it was (at worst beside an unreferenced object that
 * the retry overwrites under the same name). Downloads meanwhile read whichever side holds the file.
 */
@Injectable()
export class EvidenceContentMover {
  private readonly logger = new Logger('storage');
  private readonly skippedIds = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: EvidenceRepository,
    private readonly objects: EncryptedObjects,
  ) {}

  /** Moves up to `maxBatches` batches; `more` says whether anything is left for the next run. */
  async run(maxBatches = 20): Promise<MoveRun> {
    const run: MoveRun = { moved: 0, skipped: 0, more: false };
    for (let batch = 0; batch < maxBatches; batch++) {
      const pending = (await this.dataSource.query<{ organisation_id: string; evidence_id: string }[]>(
        'SELECT organisation_id, evidence_id FROM hoh_evidence_content_pending($1)',
        [BATCH + this.skippedIds.size],
      )).filter((r) => !this.skippedIds.has(r.evidence_id));
      if (pending.length === 0) return run;
      for (const row of pending) {
        const outcome = await this.moveOne(row.organisation_id, row.evidence_id);
        if (outcome === 'moved') run.moved++;
        if (outcome === 'skipped') run.skipped++;
      }
    }
    run.more = true;
    return run;
  }

  private async moveOne(organisationId: string, evidenceId: string): Promise<'moved' | 'gone' | 'skipped'> {
    return runAsMember(this.dataSource, storageMember(organisationId), async () => {
      const unmoved = await this.evidence.unmovedContent(evidenceId);
      if (!unmoved) return 'gone';
      if (sha256Hex(unmoved.bytes) !== unmoved.sha256) {
        // Never copy bytes that already disagree with their hash: they stay, and the download says they are damaged.
        this.skippedIds.add(evidenceId);
        this.logger.error(`Evidence ${evidenceId} of organisation ${organisationId}: its stored bytes do not match its SHA-256; left in the database`);
        return 'skipped';
      }
      const location = await this.objects.put(unmoved.bytes, unmoved.sha256);
      // The proof the brief of the move asks for: the object as the store now answers it, decrypted and hashed.
      const readBack = await this.objects.get(location, unmoved.sha256);
      return (await this.evidence.recordMoved(evidenceId, sha256Hex(readBack), location)) ? 'moved' : 'gone';
    });
  }
}

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
