import { z } from 'zod';

import { CHANGE_DIRECTIONS } from '@hoh/scoring-engine';

import { ActionStatusSchema, PrioritySchema } from './actions.js';
import { AssessmentStatusSchema } from './assessments.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { DrillScheduleItemSchema } from './drills.js';
import { PeriodResponseSchema } from './periods.js';
import { BandSchema, ConfidenceLabelSchema } from './scoring.js';

const LevelOrNull = z.number().int().min(0).max(4).nullable();

/** A score's movement between two assessments, as the engine's compareResults/scoreMovement computed it (docs/PRODUCT.md §10). */
export const ScoreMovementSchema = z.object({
  before: z.number().nullable(),
  after: z.number().nullable(),
  /** Whole points (the difference of the two printed scores); null when not comparable. */
  delta: z.number().int().nullable(),
  direction: z.enum(CHANGE_DIRECTIONS),
});
export type ScoreMovementResponse = z.infer<typeof ScoreMovementSchema>;

export const DomainMovementSchema = ScoreMovementSchema.extend({
  domainId: z.string(),
  title: z.string(),
  changedQuestionIds: z.array(z.string()),
  reviewResetQuestionIds: z.array(z.string()),
});
export type DomainMovementResponse = z.infer<typeof DomainMovementSchema>;

/** The current assessment against the one it follows (its source, else the latest signed one before it). */
export const ComparisonSchema = z.object({
  previous: z.object({ id: UuidSchema, title: z.string(), status: AssessmentStatusSchema, period: PeriodResponseSchema }),
  sameBank: z.boolean(),
  overall: ScoreMovementSchema.extend({ reviewResetQuestionIds: z.array(z.string()) }),
  domains: z.array(DomainMovementSchema),
});
export type ComparisonResponse = z.infer<typeof ComparisonSchema>;

export const TrendPointSchema = z.object({
  assessmentId: UuidSchema,
  title: z.string(),
  status: AssessmentStatusSchema,
  period: PeriodResponseSchema,
  /** The axis label: the period's label, numbered when two points share one ("2026 (2)"). */
  label: z.string(),
  createdAt: IsoDateTimeSchema,
  signedAt: IsoDateTimeSchema.nullable(),
  score: z.number(),
  band: BandSchema,
  /** Against the point before it; null for the first. The current point's carries its cause (comparison). */
  change: ScoreMovementSchema.nullable(),
  /** The question-bank version it was answered on (additive). */
  bankVersion: z.string(),
  /**
   * Set where the bank version differs from the point before: part of the change comes from the bank
   * (new questions, corrected criticality), so it is not read as improvement or decline. Null otherwise.
   */
  bankChange: z.object({ from: z.string(), to: z.string() }).nullable(),
});
export type TrendPoint = z.infer<typeof TrendPointSchema>;

/** Everything the overview screen shows, in one response (docs/PRODUCT.md §10). */
export const DashboardResponseSchema = z.object({
  organisation: z.object({ id: UuidSchema, name: z.string() }),
  profile: z.object({ described: z.boolean(), updatedAt: IsoDateTimeSchema.nullable() }),
  current: z
    .object({
      assessment: z.object({
        id: UuidSchema,
        title: z.string(),
        status: AssessmentStatusSchema,
        period: PeriodResponseSchema,
        createdAt: IsoDateTimeSchema,
        signedAt: IsoDateTimeSchema.nullable(),
        /**
         * The bank version it is answered on, and the next published one after it (null: it is on the
         * newest), so the overview can offer what that version changes (additive).
         */
        framework: z.object({
          id: z.string(),
          version: z.string(),
          next: z.string().nullable(),
          /** The regulation watch for this bank version (docs/PRODUCT.md §3.9), additive. */
          watch: z.object({
            registerVersion: z.string(),
            checkedUpTo: z.string(),
            changedSince: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), on: z.string(), summary: z.string() })),
            pending: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), lastChecked: z.string() })),
          }),
        }),
      }),
      score: z.number(),
      rounded: z.number(),
      band: BandSchema,
      rawBand: BandSchema,
      cappedBy: z.array(z.string()),
      explanation: z.array(z.string()),
      confidence: z.object({ label: ConfidenceLabelSchema, evidencePct: z.number(), reviewedPct: z.number(), unknownPct: z.number() }),
      progress: z.object({ applicable: z.number().int(), answered: z.number().int() }),
      domains: z.array(
        z.object({ domainId: z.string(), title: z.string(), score: z.number().nullable(), rounded: z.number().nullable(), band: BandSchema.nullable(), achievedLevel: LevelOrNull }),
      ),
      criticalControls: z.array(
        z.object({ questionId: z.string(), domainId: z.string(), claimed: LevelOrNull, effectiveLevel: LevelOrNull, target: z.number().int(), gap: z.number(), capReason: z.string() }),
      ),
      readyToAttest: z.object({ ready: z.boolean(), exceptionCount: z.number().int() }),
      /** Null for a first assessment. */
      comparison: ComparisonSchema.nullable(),
    })
    .nullable(),
  /** Oldest period first. */
  trend: z.array(TrendPointSchema),
  actions: z.object({
    counts: z.record(ActionStatusSchema, z.number().int()),
    overdue: z.number().int(),
    openByPriority: z.record(PrioritySchema, z.number().int()),
    topOverdue: z.array(z.object({ id: UuidSchema, number: z.string(), title: z.string(), priority: PrioritySchema, dueDate: z.string().nullable(), ownerId: UuidSchema.nullable() })),
  }),
  /** The drill schedule (docs/PRODUCT.md §15.5), as GET …/drills/schedule lists it: the most pressing first. */
  drills: z.array(DrillScheduleItemSchema),
});
export type DashboardResponse = z.infer<typeof DashboardResponseSchema>;
