import { Injectable } from '@nestjs/common';

import { score, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import { ScoringInputRepository } from './scoring-input.repository.js';

/** Loads an assessment's answers and evidence and runs the pure engine; the engine owns every rule. */
@Injectable()
export class ScoringService {
  constructor(private readonly inputs: ScoringInputRepository) {}

  /** Drafts are scored as of now; a signed assessment re-runs its frozen input (same asOf), so its score never moves. */
  async scoreAssessment(organisationId: string, assessmentId: string): Promise<ScoringResult> {
    const { input, status, verified } = await this.inputs.load(organisationId, assessmentId, new Date());
    if (status !== 'signed') return score(input);
    return score({ ...input, lifecycle: { signedOff: true, independentlyVerified: verified } });
  }

  loadInput(organisationId: string, assessmentId: string, asOf: Date): Promise<{ input: ScoringInput; status: string }> {
    return this.inputs.load(organisationId, assessmentId, asOf);
  }
}
