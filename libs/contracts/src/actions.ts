import { z } from 'zod';

import { UuidSchema } from './common.js';
import { BandSchema } from './scoring.js';
import { line, multiline } from './text.js';

export const ActionStatusSchema = z.enum(['open', 'in_progress', 'blocked', 'done', 'risk_accepted']);
export const PrioritySchema = z.enum(['p1', 'p2', 'p3', 'p4']);
export const HorizonSchema = z.enum(['now', 'next', 'later']);

/**
 * An action's short, stable number as people say it: "A-" and at least three digits (A-001, A-999,
 * A-1000). Each organisation numbers its actions from 1 in creation order and never reuses a number
 * (docs/PRODUCT.md §7.1). The one place the label is formatted, for the API, the web app and reports.
 */
export function actionNumberLabel(n: number): string {
  return `A-${String(n).padStart(3, '0')}`;
}

/** What actionNumberLabel writes: the API's `number` field matches it. */
export const ACTION_NUMBER_PATTERN = /^A-\d{3,}$/;

const IsoDate = z.iso.date({ message: 'Use a date like 2027-03-31' });
const text = (what: string, max: number) => multiline({ what, max });
const QuestionIds = z.array(line({ what: 'question id', max: 40 }).min(1)).max(60, 'Link at most 60 questions');

export const ActionSchema = z.object({
  id: UuidSchema,
  /** Short, stable per-organisation number ("A-014"), never reused: how people and reports name the action. */
  number: z.string().regex(ACTION_NUMBER_PATTERN),
  title: z.string(),
  description: z.string(),
  ownerId: UuidSchema.nullable(),
  dueDate: IsoDate.nullable(),
  status: ActionStatusSchema,
  /** The effective priority: the override when set, else computed by docs/PRODUCT.md §7.3. */
  priority: PrioritySchema,
  computedPriority: PrioritySchema,
  priorityOverride: z.object({ priority: PrioritySchema, reason: z.string() }).nullable(),
  horizon: HorizonSchema.nullable(),
  overdue: z.boolean(),
  /** The questions the action names on the bank of the assessment it is judged against (docs/PRODUCT.md §7.1). */
  questionIds: z.array(z.string()),
  /** The bank version the action's own, editable links are on: that of the organisation's latest assessment. */
  bankVersion: z.string(),
  /** Its links on every bank version it has been on, oldest first: an upgrade adds the new version's and keeps the old. */
  questionLinks: z.array(z.object({ bankVersion: z.string(), questionIds: z.array(z.string()) })),
  domains: z.array(z.string()),
  predictedUplift: z.object({ overall: z.number(), domains: z.record(z.string(), z.number()) }),
  /** Every linked item has reached its target in the latest assessment: the action can be closed. */
  readyToClose: z.boolean(),
  statusReason: z.string().nullable(),
  closingNote: z.string().nullable(),
  closingEvidenceId: UuidSchema.nullable(),
  suggested: z.boolean(),
  /**
   * Members to offer as owner: the assignees of the linked questions in the latest assessment who may
   * still own an action (not auditors), in question order. Empty when no linked question is assigned.
   */
  suggestedOwnerIds: z.array(UuidSchema),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Action = z.infer<typeof ActionSchema>;

export const CreateActionRequestSchema = z
  .object({
    title: line({ what: 'title', max: 200 }).min(1, 'Give the action a title'),
    description: text('description', 8000).default(''),
    ownerId: UuidSchema.nullable().default(null),
    dueDate: IsoDate.nullable().default(null),
    questionIds: QuestionIds.default([]),
  })
  .strict();
export type CreateActionRequest = z.input<typeof CreateActionRequestSchema>;

export const UpdateActionRequestSchema = z
  .object({
    title: line({ what: 'title', max: 200 }).min(1, 'The title cannot be empty').optional(),
    description: text('description', 8000).optional(),
    ownerId: UuidSchema.nullable().optional(),
    dueDate: IsoDate.nullable().optional(),
    questionIds: QuestionIds.optional(),
    status: ActionStatusSchema.optional(),
    /** Needed to block, risk-accept or reopen: recorded with the move. */
    reason: text('reason', 4000).optional(),
    /** Required to move to done. */
    closingNote: text('closingNote', 8000).optional(),
    closingEvidenceId: UuidSchema.nullable().optional(),
    priorityOverride: z.object({ priority: PrioritySchema, reason: text('reason', 2000).min(1, 'Record why the priority differs') }).strict().nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field to change' });
export type UpdateActionRequest = z.infer<typeof UpdateActionRequestSchema>;

/** Most actions one bulk change may name: every action of an organisation fits (they are tens). */
export const BULK_ACTIONS_MAX = 500;

/**
 * Assign and/or date many actions at once (docs/API.md §3.5): all or nothing, each named with the
 * version the client read, so a row someone else changed meanwhile stops the whole change (412).
 */
export const BulkUpdateActionsRequestSchema = z
  .object({
    items: z
      .array(z.object({ id: UuidSchema, version: z.number({ message: 'Send the version you read' }).int().min(0) }).strict())
      .min(1, 'Choose at least one action')
      .max(BULK_ACTIONS_MAX, `Change at most ${String(BULK_ACTIONS_MAX)} actions at once`)
      .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: 'Name each action once' }),
    /** The new owner (a member), or null to unassign. */
    ownerId: UuidSchema.nullable().optional(),
    /** The new due date, or null to clear it. */
    dueDate: IsoDate.nullable().optional(),
  })
  .strict()
  .refine((b) => b.ownerId !== undefined || b.dueDate !== undefined, { message: 'Send ownerId, dueDate or both', path: ['ownerId'] });
export type BulkUpdateActionsRequest = z.infer<typeof BulkUpdateActionsRequestSchema>;

export const BulkUpdateActionsResponseSchema = z.object({ updated: z.array(ActionSchema) });
export type BulkUpdateActionsResponse = z.infer<typeof BulkUpdateActionsResponseSchema>;

export const ActionListQuerySchema = z
  .object({
    status: ActionStatusSchema.optional(),
    ownerId: UuidSchema.optional(),
    horizon: HorizonSchema.optional(),
    priority: PrioritySchema.optional(),
    domain: line({ what: 'domain', max: 20 }).optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    sort: z.enum(['due', 'priority', 'created', 'title', 'uplift']).default('priority'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: line({ what: 'cursor', max: 200 }).regex(/^\d{1,6}$/, 'Use the nextCursor of the previous page').optional(),
  })
  .strict();
export type ActionListQuery = z.infer<typeof ActionListQuerySchema>;

export const ActionListResponseSchema = z.object({
  items: z.array(ActionSchema),
  nextCursor: z.string().nullable(),
  counts: z.object({ open: z.number().int(), in_progress: z.number().int(), blocked: z.number().int(), done: z.number().int(), risk_accepted: z.number().int(), overdue: z.number().int() }),
});
export type ActionListResponse = z.infer<typeof ActionListResponseSchema>;

export const SuggestActionsResponseSchema = z.object({ created: z.array(ActionSchema), unchanged: z.number().int() });
export type SuggestActionsResponse = z.infer<typeof SuggestActionsResponseSchema>;

export const WhatIfRequestSchema = z.object({ actionIds: z.array(UuidSchema).min(1, 'Choose at least one action').max(500) }).strict();
export type WhatIfRequest = z.infer<typeof WhatIfRequestSchema>;

export const WhatIfResponseSchema = z.object({
  questionIds: z.array(z.string()),
  overall: z.object({ before: z.number(), after: z.number(), delta: z.number() }),
  band: z.object({ before: BandSchema, after: BandSchema }),
  domains: z.record(z.string(), z.object({ before: z.number().nullable(), after: z.number().nullable(), delta: z.number() })),
  explanation: z.array(z.string()),
});
export type WhatIfResponse = z.infer<typeof WhatIfResponseSchema>;
