import { z } from 'zod';

import { OrganisationProfileSchema } from '@hoh/question-bank';
import { ATTESTATION_EXCEPTION_KINDS } from '@hoh/scoring-engine';

import { TotpCodeSchema } from './auth-second-factor.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { PasskeyAssertionSchema } from './passkeys.js';
import { BandSchema, ConfidenceLabelSchema } from './scoring.js';
import { PeriodResponseSchema, PeriodSchema } from './periods.js';
import { line, multiline } from './text.js';

export const AssessmentStatusSchema = z.enum(['draft', 'in_review', 'signed']);
export type AssessmentStatus = z.infer<typeof AssessmentStatusSchema>;

export const AnswerValueSchema = z.union(
  [z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal('unknown'), z.literal('not_applicable')],
  { error: () => 'value must be a level 0–4 (legal-duty questions: 4 yes, 2 partial, 0 no), "unknown" or "not_applicable"' },
);
export type AnswerValue = z.infer<typeof AnswerValueSchema>;

const text = (what: string, max: number) => multiline({ what, max });
const QuestionIdText = line({ what: 'questionId', max: 40 }).min(1);

const count = (what: string) =>
  z
    .number({ error: () => `${what} must be a whole number of 0 or more` })
    .int(`${what} must be a whole number of 0 or more`)
    .min(0, `${what} must be a whole number of 0 or more`)
    .max(1_000_000_000, `${what} must be at most 1,000,000,000`);

/**
 * The figures behind a detection-reconciliation answer (TRN-06 in hoh-csam 1.2.0; FIGURE_QUESTIONS
 * in @hoh/question-bank names the questions that take them): the last 12 months' detections, how
 * many of them were reportable, how many were reported, and the median hours from detection to
 * report (null when nothing was reported or it was not measured). docs/PRODUCT.md §5.1.
 */
export const DetectionFiguresSchema = z
  .object({
    detections: count('detections'),
    reportable: count('reportable'),
    reported: count('reported'),
    medianHoursToReport: z
      .number({ error: () => 'medianHoursToReport must be a number of hours of 0 or more, or null' })
      .min(0, 'medianHoursToReport must be a number of hours of 0 or more, or null')
      .max(100_000, 'medianHoursToReport must be at most 100,000 hours')
      .nullable(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.reportable > f.detections) {
      ctx.addIssue({ code: 'custom', path: ['reportable'], message: `reportable (${f.reportable}) cannot exceed detections (${f.detections}): every reportable item is a detection.` });
    }
    if (f.reported > f.reportable) {
      ctx.addIssue({ code: 'custom', path: ['reported'], message: `reported (${f.reported}) cannot exceed reportable (${f.reportable}): count only reports of reportable detections.` });
    }
  });
export type DetectionFigures = z.infer<typeof DetectionFiguresSchema>;

export const PutAnswerRequestSchema = z
  .object({
    value: AnswerValueSchema,
    justification: text('justification', 4000).optional(),
    comment: text('comment', 4000).optional(),
    /** Only on a question that takes figures (FIGURE_QUESTIONS); omitted: the answer has none. */
    figures: DetectionFiguresSchema.optional(),
  })
  .strict()
  .refine((a) => a.value !== 'not_applicable' || (a.justification?.length ?? 0) > 0, {
    path: ['justification'],
    message: 'Say why the question does not apply; a reviewer approves N/A justifications.',
  });
export type PutAnswerRequest = z.infer<typeof PutAnswerRequestSchema>;

export const ReviewStatusSchema = z.enum(['pending', 'approved', 'returned']);

export const AnswerResponseSchema = z.object({
  assessmentId: UuidSchema,
  questionId: z.string(),
  answered: z.boolean(),
  value: AnswerValueSchema.nullable(),
  justification: z.string().nullable(),
  comment: z.string().nullable(),
  /** The detection figures saved with the answer; null when it has none (docs/PRODUCT.md §5.1). */
  figures: DetectionFiguresSchema.nullable(),
  version: z.number().int(),
  authorId: UuidSchema.nullable(),
  answeredAt: IsoDateTimeSchema.nullable(),
  review: z.object({
    status: ReviewStatusSchema,
    reviewerId: UuidSchema.nullable(),
    reviewedAt: IsoDateTimeSchema.nullable(),
    comment: z.string().nullable(),
    naApproved: z.boolean(),
  }),
  assigneeId: UuidSchema.nullable(),
  evidenceIds: z.array(UuidSchema),
});
export type AnswerResponse = z.infer<typeof AnswerResponseSchema>;

export const CreateAssessmentRequestSchema = z
  .object({
    title: line({ what: 'title', max: 200 }).min(1, 'Give the assessment a title, e.g. "Annual review 2026"').optional(),
    /** Start next year's review from an earlier one: copies answers and evidence links. */
    fromAssessmentId: UuidSchema.optional(),
    /** The dates it covers (periods.ts says why dates); default: the year after the source's, else this calendar year. */
    period: PeriodSchema.optional(),
  })
  .strict();
export type CreateAssessmentRequest = z.infer<typeof CreateAssessmentRequestSchema>;

export const SignatureSchema = z.object({
  statement: z.string(),
  acknowledged: z.array(z.string()),
  /** The exceptions open when signing (each acknowledged); empty for an unqualified attestation. */
  exceptions: z.array(z.object({ id: z.string(), kind: z.string(), message: z.string() })).default([]),
  unqualified: z.boolean().default(false),
  signerId: UuidSchema,
  signerName: z.string(),
  signerRole: z.string(),
  signedAt: IsoDateTimeSchema,
});

export const AssessmentSummarySchema = z.object({
  id: UuidSchema,
  title: z.string(),
  status: AssessmentStatusSchema,
  framework: z.object({ id: z.string(), version: z.string() }),
  fromAssessmentId: UuidSchema.nullable(),
  period: PeriodResponseSchema,
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  submittedAt: IsoDateTimeSchema.nullable(),
  signedAt: IsoDateTimeSchema.nullable(),
  score: z.number(),
  band: BandSchema,
  confidence: ConfidenceLabelSchema,
});
export type AssessmentSummary = z.infer<typeof AssessmentSummarySchema>;

export const AssessmentListResponseSchema = z.object({ items: z.array(AssessmentSummarySchema), nextCursor: z.string().nullable() });
export type AssessmentListResponse = z.infer<typeof AssessmentListResponseSchema>;

export const AssessmentResponseSchema = AssessmentSummarySchema.extend({
  profileSnapshot: OrganisationProfileSchema.nullable(),
  signature: SignatureSchema.nullable(),
  verifications: z.array(z.object({ auditorId: UuidSchema, verifiedAt: IsoDateTimeSchema, note: z.string().nullable() })),
  targets: z.array(z.object({ questionId: z.string(), target: z.number().int(), reason: z.string() })),
  answers: z.array(AnswerResponseSchema),
});
export type AssessmentResponse = z.infer<typeof AssessmentResponseSchema>;

export const PutTargetRequestSchema = z
  .object({
    target: z.number().int().min(0, 'Targets are levels 0–4').max(4, 'Targets are levels 0–4'),
    reason: text('reason', 2000).min(1, 'Record why this target differs from the bank’s'),
  })
  .strict();
export type PutTargetRequest = z.infer<typeof PutTargetRequestSchema>;

export const AssignmentsRequestSchema = z
  .object({
    assigneeId: UuidSchema.nullable(),
    questionIds: z.array(QuestionIdText).min(1, 'Name at least one question').max(200, 'At most 200 questions at once'),
  })
  .strict();
export type AssignmentsRequest = z.infer<typeof AssignmentsRequestSchema>;

export const ReviewRequestSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            questionId: QuestionIdText,
            decision: z.enum(['approve', 'return'], { error: () => 'decision is "approve" or "return"' }),
            comment: text('comment', 4000).optional(),
          })
          .strict()
          .refine((i) => i.decision !== 'return' || (i.comment?.length ?? 0) > 0, { path: ['comment'], message: 'Say what needs to change when returning an item' }),
      )
      .min(1, 'Review at least one item')
      .max(200, 'At most 200 items at once'),
  })
  .strict();
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

/**
 * Proof, at the moment of signing, that the signer is the person at the keyboard (docs/API.md §2.6,
 * sign-off re-authentication; docs/PRODUCT.md §2.7). Shape: a union of strict objects, so a body
 * carries exactly one kind of proof:
 * - `{ "password" }`, or `{ "password", "totp" }` (a code from the signer's authenticator app);
 * - `{ "passkey": assertion }` answering POST /auth/passkeys/assertion-options (user verification
 *   required, so it is two factors by itself).
 * A signer who has a second factor, in an organisation whose policy covers signers, must send the
 * password with a code, or a passkey: the password alone answers 403 REAUTH_FAILED saying so.
 * Single-sign-on users will instead need a fresh sign-in through their provider. A body valid before
 * stays valid. An empty password is shape-valid and answers 403 REAUTH_FAILED like a wrong one.
 */
const REAUTH_SHAPE = 'reauth must be {"password": "…"}, {"password": "…", "totp": "123456"} or {"passkey": {…}}: confirm it is you';
export const PasswordReauthSchema = z
  .object(
    {
      password: z.string({ error: () => 'reauth.password is your sign-in password, as text' }).max(256, 'Passwords are at most 256 characters'),
      totp: TotpCodeSchema.optional(),
    },
    { error: () => REAUTH_SHAPE },
  )
  .strict();
export const PasskeyReauthSchema = z.object({ passkey: PasskeyAssertionSchema }, { error: () => REAUTH_SHAPE }).strict();
export const ReauthProofSchema = z.union([PasswordReauthSchema, PasskeyReauthSchema], { error: () => REAUTH_SHAPE });
export type ReauthProof = z.infer<typeof ReauthProofSchema>;

export const SignOffRequestSchema = z
  .object({
    statement: multiline({ what: 'statement', max: 20000 }).min(1, 'Send the statement exactly as it was shown to you'),
    acknowledged: z.array(line({ what: 'acknowledged item', max: 200 })).max(1000).default([]),
    /** Required since the sign-off re-authentication change (CHANGELOG.md): only a person, just now proven, signs. */
    reauth: ReauthProofSchema,
  })
  .strict();
export type SignOffRequest = z.infer<typeof SignOffRequestSchema>;

export const VerificationRequestSchema = z.object({ note: text('note', 2000).optional() }).strict();
export type VerificationRequest = z.infer<typeof VerificationRequestSchema>;

export const AttestationExceptionSchema = z.object({
  id: z.string(),
  kind: z.enum(ATTESTATION_EXCEPTION_KINDS),
  questionId: z.string().optional(),
  actionId: UuidSchema.optional(),
  evidenceId: z.string().optional(),
  message: z.string(),
});
export type AttestationException = z.infer<typeof AttestationExceptionSchema>;

/** docs/PRODUCT.md §8: the statement is unqualified only when there are no exceptions. */
export const AttestationCheckResponseSchema = z.object({
  exceptions: z.array(AttestationExceptionSchema),
  unqualified: z.boolean(),
  statement: z.string(),
});
export type AttestationCheckResponse = z.infer<typeof AttestationCheckResponseSchema>;

/**
 * docs/PRODUCT.md §3.4: move a draft or in-review assessment to a later published bank version
 * (every step between is applied in turn). Sent with If-Match: the assessment's ETag.
 */
export const UpgradeAssessmentRequestSchema = z
  .object({
    to: z
      .string({ error: () => 'to must be the bank version to move to, e.g. "1.2.0"' })
      .regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'to must be a bank version such as "1.2.0" (GET /api/v1/frameworks lists them)'),
  })
  .strict();
export type UpgradeAssessmentRequest = z.infer<typeof UpgradeAssessmentRequestSchema>;
