import { z } from 'zod';

import { EXPOSURE_STATES, FrameworkSchema, OrganisationProfileSchema, ReferenceSchema } from '@hoh/question-bank';

import { RoleSchema } from './auth.js';
import { SecondFactorPolicySchema } from './auth-second-factor.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { pageOf } from './paging.js';
import { isStorableText, name, storableJson, textProblem } from './text.js';

export const OrganisationResponseSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  settings: z.object({
    /** When true, sign-off is refused (409 ATTESTATION_BLOCKED) while the hand-on-heart check lists exceptions. */
    requireEmptyAttestationCheck: z.boolean(),
    /** Who must sign in with a second factor to use this organisation (docs/PRODUCT.md §2.7); only an owner changes it. */
    secondFactorPolicy: SecondFactorPolicySchema,
  }),
});
export type OrganisationResponse = z.infer<typeof OrganisationResponseSchema>;

export const UpdateOrganisationRequestSchema = z
  .object({
    name: name({ what: 'organisation name', max: 200, tooLong: 'Organisation names are at most 200 characters', required: 'Enter the organisation name' }).optional(),
    requireEmptyAttestationCheck: z.boolean().optional(),
    secondFactorPolicy: SecondFactorPolicySchema.optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.requireEmptyAttestationCheck !== undefined || b.secondFactorPolicy !== undefined, {
    message: 'Send name, requireEmptyAttestationCheck and/or secondFactorPolicy',
  });
export type UpdateOrganisationRequest = z.infer<typeof UpdateOrganisationRequestSchema>;

export const MemberSchema = z.object({
  userId: UuidSchema,
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  accountableIndividual: z.boolean(),
  joinedAt: IsoDateTimeSchema,
});
export type Member = z.infer<typeof MemberSchema>;
export const MemberPageSchema = pageOf(MemberSchema);
export type MemberPage = z.infer<typeof MemberPageSchema>;

/** The profile as stored: null until someone describes the organisation. */
export const ProfileResponseSchema = z.object({
  profile: OrganisationProfileSchema.nullable(),
  version: z.number().int(),
  updatedAt: IsoDateTimeSchema.nullable(),
  updatedBy: UuidSchema.nullable(),
});
export type ProfileResponse = z.infer<typeof ProfileResponseSchema>;

// Stored as jsonb: every key and string is checked (a recursive check, so a fact added to the
// profile is covered without a change here), and the one free-text fact, a surface's name, is a
// single line like any other name (libs/question-bank cannot import this rule: it sits below).
export const PutProfileRequestSchema = storableJson(OrganisationProfileSchema).superRefine((profile, ctx) => {
  profile.surfaces?.forEach((surface, index) => {
    const problem = isStorableText(surface.name) ? textProblem(surface.name, 'line') : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['surfaces', index, 'name'], message: problem });
  });
});
export type PutProfileRequest = z.infer<typeof PutProfileRequestSchema>;

export const ApplicabilityEntrySchema = z.object({
  questionId: z.string(),
  domainId: z.string(),
  text: z.string(),
  applicable: z.boolean(),
  critical: z.boolean(),
  reason: z.string(),
  decidingFacts: z.array(z.string()),
});
export const ApplicabilityResponseSchema = z.object({
  framework: z.object({ id: z.string(), version: z.string() }),
  applicableCount: z.number().int(),
  criticalCount: z.number().int(),
  items: z.array(ApplicabilityEntrySchema),
});
export type ApplicabilityResponse = z.infer<typeof ApplicabilityResponseSchema>;

// `check` (from ReferenceSchema) and `state` come with bank 1.1.0's map; 1.0.0's entries have neither (additive).
export const ExposureEntrySchema = ReferenceSchema.extend({ applies: z.boolean(), reason: z.string(), state: z.enum(EXPOSURE_STATES).optional() });
export const ExposureResponseSchema = z.object({ items: z.array(ExposureEntrySchema) });
export type ExposureResponse = z.infer<typeof ExposureResponseSchema>;

export const FrameworkSummarySchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  publishedAt: z.string(),
  regulationSnapshotDate: z.string(),
  domainCount: z.number().int(),
  questionCount: z.number().int(),
  current: z.boolean(),
});
export const FrameworkListResponseSchema = z.object({ items: z.array(FrameworkSummarySchema) });
export type FrameworkListResponse = z.infer<typeof FrameworkListResponseSchema>;
export const FrameworkResponseSchema = FrameworkSchema;
