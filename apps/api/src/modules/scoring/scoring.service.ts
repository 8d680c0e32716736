import { Injectable } from '@nestjs/common';

import { score, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import { type KnownInputs, type LoadedInput, type LoadedRow, ScoringInputRepository } from './scoring-input.repository.js';

const scoreLoaded = ({ input, status, verified }: LoadedInput): ScoringResult =>
  status === 'signed' ? score({ ...input, lifecycle: { signedOff: true, independentlyVerified: verified } }) : score(input);

/** Loads an assessment's answers and evidence and runs the pure engine; the engine owns every rule. */
@Injectable()
export class ScoringService {
  constructor(private readonly inputs: ScoringInputRepository) {}

  /** Drafts are scored as of now; a signed assessment re-runs its frozen input (same asOf), so its score never moves. */
  async scoreAssessment(organisationId: string, assessmentId: string): Promise<ScoringResult> {
    return scoreLoaded(await this.inputs.load(organisationId, assessmentId, new Date()));
  }

  /** Scores several assessments of one organisation from one statement; missing ids are absent from the map. */
  async scoreMany(organisationId: string, assessmentIds: string[]): Promise<Map<string, ScoringResult>> {
    const loaded = await this.inputs.loadMany(organisationId, assessmentIds, new Date());
    return new Map([...loaded].map(([id, l]) => [id, scoreLoaded(l)]));
  }

  loadInput(organisationId: string, assessmentId: string, asOf: Date): Promise<{ input: ScoringInput; status: string }> {
    return this.inputs.load(organisationId, assessmentId, asOf);
  }

  /** The inputs this process holds for an organisation, for a statement of another module that embeds loadColumns(). */
  knownInputs(organisationId: string): KnownInputs {
    return this.inputs.known(organisationId);
  }

  /** The input from a row that another statement read with loadColumns() and `known` (the dashboard's one statement). */
  inputFromRow(organisationId: string, row: LoadedRow, asOf: Date, known: KnownInputs): { input: ScoringInput; status: string } {
    return this.inputs.toInput(organisationId, row, asOf, known);
  }
}
