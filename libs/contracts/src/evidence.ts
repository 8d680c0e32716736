import { z } from 'zod';

import { EVIDENCE_KINDS } from '@hoh/question-bank';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { pageOf } from './paging.js';
import { line, multiline } from './text.js';

export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS, {
  error: () => `kind must be one of: ${EVIDENCE_KINDS.join(', ')}. Use "metrics" for KPI exports, which lift maturity claims of 4.`,
});
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;
export const EvidenceStatusSchema = z.enum(['pending', 'accepted', 'rejected']);
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;
export const EvidenceSourceSchema = z.enum(['file', 'external']);

const title = line({ what: 'title', max: 200 }).min(1, 'Give the evidence a title, e.g. "Hash-matching policy v3"');
const issuedAt = IsoDateTimeSchema.describe('When the document was issued or last approved; dates in the past are fine');
const expiresAt = IsoDateTimeSchema.optional().describe('Omit to expire 12 months after issuedAt');

const expiryAfterIssue = (v: { issuedAt: string; expiresAt?: string | undefined }) => v.expiresAt === undefined || Date.parse(v.expiresAt) > Date.parse(v.issuedAt);
const EXPIRY_MESSAGE = { path: ['expiresAt'], message: 'expiresAt must be after issuedAt; omit it to use issuedAt + 12 months' };

/**
 * A URL (http or https only) or a document id in the customer's own system, e.g. "DMS-4711" or
 * "sharepoint:policies/hash-matching". Never a data: or javascript: URI.
 */
export const ExternalRefSchema = line({ what: 'externalRef', max: 2000 })
  .min(1, 'Give the URL or the document id in your own system')
  .refine(
    (v) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
        try {
          const url = new URL(v);
          return url.protocol === 'https:' || url.protocol === 'http:';
        } catch {
          return false;
        }
      }
      return !/^(data|javascript|vbscript|file|blob):/i.test(v) && !/[\s<>"]/.test(v) && v.length <= 200;
    },
    { message: 'Use an http(s) URL, or a document id without spaces (at most 200 characters), e.g. DMS-4711' },
  );

/** JSON body of POST …/evidence: evidence that lives in the customer's own system (preferred). */
export const CreateExternalEvidenceRequestSchema = z
  .object({ title, kind: EvidenceKindSchema, externalRef: ExternalRefSchema, issuedAt, expiresAt })
  .strict()
  .refine(expiryAfterIssue, EXPIRY_MESSAGE);
export type CreateExternalEvidenceRequest = z.infer<typeof CreateExternalEvidenceRequestSchema>;

/** The text fields of a multipart upload (the bytes arrive in the field `file`). */
export const UploadEvidenceFieldsSchema = z
  .object({ title, kind: EvidenceKindSchema, issuedAt, expiresAt })
  .strict()
  .refine(expiryAfterIssue, EXPIRY_MESSAGE);
export type UploadEvidenceFields = z.infer<typeof UploadEvidenceFieldsSchema>;

export const ReviewEvidenceRequestSchema = z
  .object({
    decision: z.enum(['accept', 'reject'], { error: () => 'decision must be "accept" or "reject"' }),
    reason: multiline({ what: 'reason', max: 2000 }).optional(),
  })
  .strict()
  .refine((v) => v.decision !== 'reject' || (v.reason?.length ?? 0) > 0, {
    path: ['reason'],
    message: 'Say why the evidence is rejected, so the uploader knows what to provide instead',
  });
export type ReviewEvidenceRequest = z.infer<typeof ReviewEvidenceRequestSchema>;

/**
 * Body of POST …/evidence/reviews: one decision for many evidence items, all or nothing. Accepting
 * needs every item opened by the caller first (409 EVIDENCE_NOT_OPENED lists the others).
 */
export const ReviewEvidenceBatchRequestSchema = z
  .object({
    evidenceIds: z
      .array(UuidSchema)
      .min(1, 'Choose at least one evidence item to review')
      .max(100, 'Review at most 100 evidence items at once; send the rest in another request')
      .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, {
        message: 'Name each evidence item once; remove the repeated ids',
      }),
    decision: z.enum(['accept', 'reject'], { error: () => 'decision must be "accept" or "reject"' }),
    reason: multiline({ what: 'reason', max: 2000 }).optional(),
  })
  .strict()
  .refine((v) => v.decision !== 'reject' || (v.reason?.length ?? 0) > 0, {
    path: ['reason'],
    message: 'Say why the evidence is rejected, so the uploader knows what to provide instead',
  });
export type ReviewEvidenceBatchRequest = z.infer<typeof ReviewEvidenceBatchRequestSchema>;

export const EvidenceListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
    cursor: line({ what: 'cursor', max: 200 }).optional(),
    status: EvidenceStatusSchema.optional(),
    kind: EvidenceKindSchema.optional(),
  })
  .strict();
export type EvidenceListQuery = z.infer<typeof EvidenceListQuerySchema>;

// A bare z.string().nullable() becomes `type: ["string","null"]`, which @nestjs/swagger misreads as
// an array; any constraint makes zod emit anyOf, which nestjs-zod turns into OpenAPI 3.0 `nullable`.
const nullableText = (max: number) => z.string().max(max).nullable();

const PersonSchema = z.object({ userId: UuidSchema, name: z.string() });

export const EvidenceResponseSchema = z.object({
  id: UuidSchema,
  title: z.string(),
  kind: EvidenceKindSchema,
  source: EvidenceSourceSchema,
  fileName: nullableText(200),
  /** The type found by content sniffing, never the one the client sent. */
  mediaType: nullableText(200),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  externalRef: nullableText(2000),
  issuedAt: IsoDateTimeSchema,
  /** Effective expiry: the explicit one, or issuedAt + 12 months. */
  expiresAt: IsoDateTimeSchema,
  expiryExplicit: z.boolean(),
  expired: z.boolean(),
  status: EvidenceStatusSchema,
  /** True when accepted and unexpired: only then does it lift a score cap. */
  counts: z.boolean(),
  reviewReason: nullableText(2000),
  reviewer: PersonSchema.extend({ reviewedAt: IsoDateTimeSchema }).nullable(),
  uploadedBy: PersonSchema,
  createdAt: IsoDateTimeSchema,
  version: z.number().int(),
  linkedAnswers: z.array(z.object({ assessmentId: UuidSchema, questionId: z.string(), linkedAt: IsoDateTimeSchema })),
  /** When the calling user last opened this evidence (null: never); accepting it requires an open. */
  openedByYouAt: IsoDateTimeSchema.nullable(),
});
export type EvidenceResponse = z.infer<typeof EvidenceResponseSchema>;

/** 200 of POST …/evidence/reviews: the reviewed evidence, in request order. */
export const EvidenceReviewBatchResponseSchema = z.object({ items: z.array(EvidenceResponseSchema) });
export type EvidenceReviewBatchResponse = z.infer<typeof EvidenceReviewBatchResponseSchema>;

/** How a reviewer opens evidence: download the file, follow the link, or look the id up in their own system. */
export type EvidenceOpenWay = 'file' | 'link' | 'reference';

/**
 * 'file' for an upload; 'link' for an external http(s) URL (GET …/open redirects to it);
 * 'reference' for a document id in the customer's own system (POST …/opens records the look-up).
 */
export function evidenceOpenWay(e: Pick<EvidenceResponse, 'source' | 'externalRef'>): EvidenceOpenWay {
  if (e.source === 'file') return 'file';
  const ref = e.externalRef ?? '';
  if (!/^https?:\/\//i.test(ref)) return 'reference';
  try {
    const url = new URL(ref);
    return url.protocol === 'https:' || url.protocol === 'http:' ? 'link' : 'reference';
  } catch {
    return 'reference';
  }
}

export const EvidencePageSchema = pageOf(EvidenceResponseSchema);
export type EvidencePage = z.infer<typeof EvidencePageSchema>;

export const AnswerEvidenceLinkSchema = z.object({
  assessmentId: UuidSchema,
  questionId: z.string(),
  evidenceId: UuidSchema,
  linkedBy: UuidSchema,
  linkedAt: IsoDateTimeSchema,
});
export type AnswerEvidenceLink = z.infer<typeof AnswerEvidenceLinkSchema>;
