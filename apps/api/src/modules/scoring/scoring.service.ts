import { Injectable } from '@nestjs/common';

import { score, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import { tenantManager } from '../../database/tenant-context.js';
import { ScoringInputRepository } from './scoring-input.repository.js';

/** Loads an assessment's answers and evidence and runs the pure engine; the engine owns every rule. */
@Injectable()
export class ScoringService {
  constructor(private readonly inputs: ScoringInputRepository) {}

  /** Drafts are scored as of now; a signed assessment re-runs its frozen input (same asOf), so its score never moves. */
  async scoreAssessment(organisationId: string, assessmentId: string): Promise<ScoringResult> {
    const { input, status } = await this.inputs.load(organisationId, assessmentId, new Date());
    if (status !== 'signed') return score(input);
    const verified = await tenantManager().query<unknown[]>('SELECT 1 FROM assessment_verifications WHERE organisation_id = $1 AND assessment_id = $2 LIMIT 1', [
      organisationId,
      assessmentId,
    ]);
    return score({ ...input, lifecycle: { signedOff: true, independentlyVerified: verified.length > 0 } });
  }

  loadInput(organisationId: string, assessmentId: string, asOf: Date): Promise<{ input: ScoringInput; status: string }> {
    return this.inputs.load(organisationId, assessmentId, asOf);
  }
}
