import { z } from 'zod';

import { ActionStatusSchema, PrioritySchema } from './actions.js';
import { AssessmentStatusSchema } from './assessments.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { BandSchema, ConfidenceLabelSchema } from './scoring.js';

const LevelOrNull = z.number().int().min(0).max(4).nullable();

/** Everything the overview screen shows, in one response (docs/PRODUCT.md §10). */
export const DashboardResponseSchema = z.object({
  organisation: z.object({ id: UuidSchema, name: z.string() }),
  profile: z.object({ described: z.boolean(), updatedAt: IsoDateTimeSchema.nullable() }),
  current: z
    .object({
      assessment: z.object({ id: UuidSchema, title: z.string(), status: AssessmentStatusSchema, createdAt: IsoDateTimeSchema, signedAt: IsoDateTimeSchema.nullable() }),
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
    })
    .nullable(),
  trend: z.array(
    z.object({ assessmentId: UuidSchema, title: z.string(), status: AssessmentStatusSchema, createdAt: IsoDateTimeSchema, signedAt: IsoDateTimeSchema.nullable(), score: z.number(), band: BandSchema }),
  ),
  actions: z.object({
    counts: z.record(ActionStatusSchema, z.number().int()),
    overdue: z.number().int(),
    openByPriority: z.record(PrioritySchema, z.number().int()),
    topOverdue: z.array(z.object({ id: UuidSchema, title: z.string(), priority: PrioritySchema, dueDate: z.string().nullable(), ownerId: UuidSchema.nullable() })),
  }),
});
export type DashboardResponse = z.infer<typeof DashboardResponseSchema>;
