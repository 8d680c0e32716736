import { z } from 'zod';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { PageQuerySchema, pageOf } from './paging.js';
import { line } from './text.js';

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  id: UuidSchema,
  occurredAt: IsoDateTimeSchema,
  actorId: UuidSchema.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditLogPageSchema = pageOf(AuditEntrySchema);

/**
 * GET …/audit-log: the whole chain, or one entity's entries (e.g. an answer's history:
 * entityType "answer", entityId "<assessmentId>/<questionId>"), oldest first.
 */
export const AuditLogQuerySchema = PageQuerySchema.extend({
  entityType: line({ what: 'entityType', max: 40 }).min(1).optional(),
  entityId: line({ what: 'entityId', max: 200 }).min(1).optional(),
})
  .strict()
  .refine((q) => q.entityId === undefined || q.entityType !== undefined, {
    path: ['entityType'],
    message: 'Name the entityType too when filtering by entityId, e.g. entityType=answer&entityId=<assessmentId>/<questionId>',
  });
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;
export type AuditLogPage = z.infer<typeof AuditLogPageSchema>;

export const AuditVerifyResponseSchema = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  firstBreak: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  /** The highest seq whose hash was signed (anchored) and still matches; 0 when none is. */
  anchoredUpTo: z.number().int().optional(),
  /**
   * The key whose anchors were trusted: `database` (the report key kept in the database, which a
   * database superuser could also sign with), `environment` or `file` (held outside the database).
   */
  anchorKey: z.object({ source: z.enum(['database', 'environment', 'file']), keyId: z.string() }).optional(),
  /** Audited rows that differ from the last state the chain holds for them; `field` names the column (absent when the whole row is unaccounted for). */
  drift: z.array(z.object({ table: z.string(), id: z.string(), field: z.string().optional(), reason: z.string() })),
});
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponseSchema>;
