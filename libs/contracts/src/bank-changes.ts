import { QUESTION_CHANGE_EFFECTS } from '@hoh/scoring-engine';
import { z } from 'zod';

// GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}/changes?from=&to= (docs/API.md §6): what a newer
// bank version changes for this organisation, from the engine's bankChanges (docs/PRODUCT.md §3.4).

const Version = z
  .string()
  .regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'A bank version looks like 1.1.0; list them at GET /api/v1/frameworks.');

export const BankChangesQuerySchema = z
  .object({
    from: Version,
    to: Version,
  })
  .strict();
export type BankChangesQuery = z.infer<typeof BankChangesQuerySchema>;

export const QuestionChangeEffectSchema = z.enum(QUESTION_CHANGE_EFFECTS);

export const QuestionChangeSchema = z.object({
  questionId: z.string(),
  /** Question text in the new version (in the old one for a retired question). */
  text: z.string(),
  previousIds: z.array(z.string()),
  mapping: z.enum(['unchanged', 'reworded', 'rescaled', 'split', 'merged', 'retired', 'new']),
  appliesBefore: z.boolean().nullable(),
  appliesAfter: z.boolean().nullable(),
  criticalBefore: z.boolean().nullable(),
  criticalAfter: z.boolean().nullable(),
  effects: z.array(QuestionChangeEffectSchema),
  answer: z.enum(['carries', 'carries_rescaled', 'needs_fresh_answer', 'none']),
  notes: z.array(z.string()),
});

export const BankChangesResponseSchema = z.object({
  frameworkId: z.string(),
  from: z.string(),
  to: z.string(),
  /** The assessment whose answers were carried (the organisation's latest on `from`); null: none, every answer is new. */
  assessment: z.object({ id: z.uuid(), title: z.string(), status: z.enum(['draft', 'in_review', 'signed']) }).nullable(),
  counts: z.object({
    new_applies: z.number().int(),
    now_applies: z.number().int(),
    no_longer_applies: z.number().int(),
    criticality_changed: z.number().int(),
    references_corrected: z.number().int(),
    retired: z.number().int(),
    needsFreshAnswer: z.number().int(),
  }),
  /** Unrounded; the engine's score of the carried answers on each bank, and after − before. */
  score: z.object({ before: z.number(), after: z.number(), delta: z.number() }),
  questions: z.array(QuestionChangeSchema),
});
export type BankChangesResponse = z.infer<typeof BankChangesResponseSchema>;

/** Each effect in words, for the screen and the overview's banner. */
export const QUESTION_CHANGE_EFFECT_LABELS: Readonly<Record<z.infer<typeof QuestionChangeEffectSchema>, string>> = {
  new_applies: 'New, applies to you',
  now_applies: 'Now applies to you',
  no_longer_applies: 'No longer applies to you',
  criticality_changed: 'Criticality changed',
  references_corrected: 'References corrected',
  retired: 'Retired',
};
