import { Injectable } from '@nestjs/common';
import type { ZodType } from 'zod';

import type { Framework, OrganisationProfile } from '@hoh/question-bank';
import { ScoreMemo, type ScoringInput, type ScoringResult } from '@hoh/scoring-engine';

import { SerializedBody, serializeResponse } from '../../common/zod-response.decorator.js';
import { Clock } from '../../config/clock.js';
import { applicabilityOf, bankOf, type KnownInputs, type LoadedInput, type LoadedRow, ScoringInputRepository } from './scoring-input.repository.js';

/** Loads an assessment's answers and evidence and runs the pure engine; the engine owns every rule. */
@Injectable()
export class ScoringService {
  /**
   * Drafts' results, reused while their input stands: the repository hands out one frozen input per
   * version (its answers array is the memo's key), and the engine says how long a result holds.
   */
  private readonly memo = new ScoreMemo();
  /** A memoised result's JSON body without its asOf, per schema it was parsed through. */
  private readonly bodies = new WeakMap<ScoringResult, { schema: ZodType; rest: string }>();

  constructor(
    private readonly inputs: ScoringInputRepository,
    private readonly clock: Clock,
  ) {}

  /** Drafts are scored as of now; a signed assessment re-runs its frozen input (same asOf), so its score never moves. */
  async scoreAssessment(organisationId: string, assessmentId: string): Promise<ScoringResult> {
    return this.scoreLoaded(await this.inputs.load(organisationId, assessmentId, this.clock.now())).result;
  }

  /**
   * The score route's body, parsed through the route's `schema` and serialized. While a draft's input
   * stands, that is done once and each read writes only its own asOf; this was about a sixth of the
   * API's CPU per score read (issue 9).
   */
  async scoreBody(organisationId: string, assessmentId: string, schema: ZodType): Promise<SerializedBody> {
    const { result, shared } = this.scoreLoaded(await this.inputs.load(organisationId, assessmentId, this.clock.now()));
    if (!shared) return new SerializedBody(schema, JSON.stringify(serializeResponse(schema, result)));
    let body = this.bodies.get(shared);
    if (body?.schema !== schema) {
      const { asOf: _asOf, ...rest } = serializeResponse(schema, shared) as Record<string, unknown>;
      body = { schema, rest: JSON.stringify(rest) };
      this.bodies.set(shared, body);
    }
    // `rest` is a JSON object with every other field of the result: asOf goes first.
    return new SerializedBody(schema, `{"asOf":${JSON.stringify(result.asOf)},${body.rest.slice(1)}`);
  }

  /** Scores several assessments of one organisation from one statement; missing ids are absent from the map. */
  async scoreMany(organisationId: string, assessmentIds: string[]): Promise<Map<string, ScoringResult>> {
    const loaded = await this.inputs.loadMany(organisationId, assessmentIds, this.clock.now());
    return new Map([...loaded].map(([id, l]) => [id, this.scoreLoaded(l).result]));
  }

  /** The engine's result for an input this service handed out (reused while that input stands). */
  score(input: ScoringInput): ScoringResult {
    return this.memo.score(input).result;
  }

  loadInput(organisationId: string, assessmentId: string, asOf: Date): Promise<{ input: ScoringInput; status: string }> {
    return this.inputs.load(organisationId, assessmentId, asOf);
  }

  /** A bank and its applicability for a profile, in the engine's terms (shared and frozen, as every input's). */
  bankFor(framework: Framework, profile: OrganisationProfile | null): Pick<ScoringInput, 'bank' | 'items'> {
    return { bank: bankOf(framework), items: profile ? applicabilityOf(framework, profile) : {} };
  }

  /** The inputs this process holds for an organisation, for a statement of another module that embeds loadColumns(). */
  knownInputs(organisationId: string): KnownInputs {
    return this.inputs.known(organisationId);
  }

  /** The input from a row that another statement read with loadColumns() and `known` (the dashboard's one statement). */
  inputFromRow(organisationId: string, row: LoadedRow, asOf: Date, known: KnownInputs): { input: ScoringInput; status: string } {
    return this.inputs.toInput(organisationId, row, asOf, known);
  }

  private scoreLoaded({ input }: LoadedInput): { result: ScoringResult; shared: ScoringResult | null } {
    // A signed assessment's input carries its sign-off and verification (toInput), frozen like a draft's.
    return this.memo.score(input);
  }
}
