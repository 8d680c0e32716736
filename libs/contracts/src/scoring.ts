import { z } from 'zod';

import type { ScoringResult } from '@hoh/scoring-engine';

export const BandSchema = z.enum(['green', 'amber', 'red']);
export const ConfidenceLabelSchema = z.enum(['self_attested', 'reviewed', 'independently_verified']);
const LevelSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** The engine's result on the wire (libs/scoring-engine is the source; this schema mirrors its type). */
export const ScoringResultSchema = z.object({
  engineVersion: z.string(),
  bank: z.object({ frameworkId: z.string(), version: z.string() }),
  asOf: z.string(),
  overall: z.object({
    score: z.number(),
    rounded: z.number(),
    rawBand: BandSchema,
    band: BandSchema,
    cappedBy: z.array(z.string()),
    includedDomains: z.number().int(),
  }),
  domains: z.array(
    z.object({
      domainId: z.string(),
      title: z.string(),
      score: z.number().nullable(),
      rounded: z.number().nullable(),
      rawBand: BandSchema.nullable(),
      band: BandSchema.nullable(),
      cappedBy: z.array(z.string()),
      achievedLevel: LevelSchema.nullable(),
      includedItems: z.number().int(),
      excludedItems: z.number().int(),
    }),
  ),
  items: z.array(
    z.object({
      questionId: z.string(),
      domainId: z.string(),
      status: z.enum(['answered', 'unanswered', 'unknown', 'not_applicable', 'na_pending', 'excluded_by_profile']),
      included: z.boolean(),
      scale: z.enum(['maturity', 'legal_duty']),
      claimed: LevelSchema.nullable(),
      effectiveLevel: LevelSchema.nullable(),
      capReason: z.enum(['none', 'no_counting_evidence', 'no_metrics_evidence', 'legal_duty_rounded']),
      ratio: z.number().nullable(),
      weight: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      critical: z.boolean(),
      target: LevelSchema,
      gap: z.number(),
      uplift: z.object({ overall: z.number(), domain: z.number() }),
      hasCountingEvidence: z.boolean(),
      reviewedByOther: z.boolean(),
    }),
  ),
  criticalCaps: z.array(z.object({ questionId: z.string(), domainId: z.string(), effectiveLevel: LevelSchema, limit: z.enum(['red', 'amber']) })),
  confidence: z.object({
    label: ConfidenceLabelSchema,
    evidencePct: z.number(),
    reviewedPct: z.number(),
    unknownPct: z.number(),
    counts: z.object({
      applicable: z.number().int(),
      withCountingEvidence: z.number().int(),
      reviewed: z.number().int(),
      unknown: z.number().int(),
      answered: z.number().int(),
      answeredReviewed: z.number().int(),
      claimsAt3Plus: z.number().int(),
      claimsAt3PlusWithEvidence: z.number().int(),
    }),
  }),
  explanation: z.array(z.string()),
});

// Compile-time proof that the wire schema and the engine's type agree.
type WireResult = z.infer<typeof ScoringResultSchema>;
const _engineFitsWire = (r: ScoringResult): WireResult => r;
void _engineFitsWire;
export type ScoreResponse = WireResult;
