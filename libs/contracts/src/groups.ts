import { z } from 'zod';

import { JURISDICTIONS, SERVICE_TYPES } from '@hoh/question-bank';

import { AssessmentStatusSchema } from './assessments.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { BandSchema } from './scoring.js';
import { line, name } from './text.js';

/**
 * Groups of organisations (docs/PRODUCT.md §16, docs/API.md groups): a group owner invites
 * organisations, each joins only when its own owner accepts, and the group then reads each member's
 * summary only (never answers, evidence or members), through the database's narrow summary read.
 */
export const GROUP_ROLES = ['owner', 'viewer'] as const;
export const GroupRoleSchema = z.enum(GROUP_ROLES);
export type GroupRole = z.infer<typeof GroupRoleSchema>;

export const GROUP_MEMBERSHIP_STATUSES = ['invited', 'member', 'ended'] as const;
export const GroupMembershipStatusSchema = z.enum(GROUP_MEMBERSHIP_STATUSES);

/** Whether a member organisation could attest today, as its last summary says. */
export const GROUP_ATTESTATION_STATUSES = ['signed', 'ready', 'not_ready', 'no_assessment'] as const;
export const GroupAttestationStatusSchema = z.enum(GROUP_ATTESTATION_STATUSES);
export type GroupAttestationStatus = z.infer<typeof GroupAttestationStatusSchema>;

export const CreateGroupRequestSchema = z
  .object({ name: name({ what: 'name', max: 120, required: 'Give the group a name, e.g. "Acme group services".' }) })
  .strict();
export type CreateGroupRequest = z.infer<typeof CreateGroupRequestSchema>;

export const GroupSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  /** The caller's role in it. */
  role: GroupRoleSchema,
  createdAt: IsoDateTimeSchema,
});
export type Group = z.infer<typeof GroupSchema>;
export const GroupListSchema = z.object({ groups: z.array(GroupSchema) });
export type GroupList = z.infer<typeof GroupListSchema>;

export const InviteOrganisationRequestSchema = z.object({ organisationId: UuidSchema }).strict();
export type InviteOrganisationRequest = z.infer<typeof InviteOrganisationRequestSchema>;

export const AddGroupViewerRequestSchema = z
  .object({ email: line({ what: 'email', max: 254 }).pipe(z.email({ message: 'Give the email address the person signs in with, e.g. cfo@example.org' })).transform((e) => e.normalize('NFKC').toLowerCase()) })
  .strict();
export type AddGroupViewerRequest = z.infer<typeof AddGroupViewerRequestSchema>;

/** One organisation's place in a group, as the group sees it (its name only once it has joined). */
export const GroupMembershipSchema = z.object({
  organisationId: UuidSchema,
  /** Null until it joins: an invitation tells the group nothing about the organisation. */
  name: z.string().nullable(),
  status: GroupMembershipStatusSchema,
  invitedAt: IsoDateTimeSchema,
  joinedAt: IsoDateTimeSchema.nullable(),
  endedAt: IsoDateTimeSchema.nullable(),
  /** Which side ended it. */
  endedBy: z.enum(['group', 'organisation']).nullable(),
});
export type GroupMembership = z.infer<typeof GroupMembershipSchema>;

export const GroupPersonSchema = z.object({ userId: UuidSchema, name: z.string(), email: z.string(), role: GroupRoleSchema, addedAt: IsoDateTimeSchema });
export type GroupPerson = z.infer<typeof GroupPersonSchema>;

export const GroupEventSchema = z.object({
  id: UuidSchema,
  occurredAt: IsoDateTimeSchema,
  actorId: UuidSchema,
  action: z.string(),
  organisationId: UuidSchema.nullable(),
});

export const GroupDetailSchema = GroupSchema.extend({
  organisations: z.array(GroupMembershipSchema),
  people: z.array(GroupPersonSchema),
  /** The group's own audit trail, newest first (the last 50). */
  events: z.array(GroupEventSchema),
});
export type GroupDetail = z.infer<typeof GroupDetailSchema>;

/**
 * What a member organisation shows its groups: written only by the organisation's own transaction
 * (on joining, on sign-off, or when it publishes it), read by the group through hoh_group_summaries.
 */
export const OrganisationSummarySchema = z.object({
  name: z.string(),
  headline: z.object({
    services: z.array(z.enum(SERVICE_TYPES)),
    jurisdictions: z.array(z.enum(JURISDICTIONS)),
    described: z.boolean(),
  }),
  latest: z
    .object({ assessmentId: UuidSchema, title: z.string(), status: AssessmentStatusSchema, periodLabel: z.string(), score: z.number(), rounded: z.number(), band: BandSchema })
    .nullable(),
  signed: z.object({ assessmentId: UuidSchema, signedAt: IsoDateTimeSchema, score: z.number(), band: BandSchema }).nullable(),
  domains: z.array(z.object({ domainId: z.string(), title: z.string(), score: z.number().nullable(), rounded: z.number().nullable(), band: BandSchema.nullable() })),
  /** Critical questions short of their target: ids only, never the answer. */
  criticalGaps: z.array(z.string()),
  attestation: z.object({ status: GroupAttestationStatusSchema, exceptionCount: z.number().int() }),
  overdueActions: z.number().int(),
  signedReports: z.array(z.object({ reportId: UuidSchema, assessmentId: UuidSchema, issuedAt: IsoDateTimeSchema, pdfSha256: z.string(), resultsSha256: z.string() })),
  /** Oldest first. */
  trend: z.array(z.object({ label: z.string(), score: z.number(), band: BandSchema, status: AssessmentStatusSchema })),
});
export type OrganisationSummary = z.infer<typeof OrganisationSummarySchema>;

export const GroupDashboardQuerySchema = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS, { message: `Filter by one of ${JURISDICTIONS.join(', ')}` }).optional(),
    serviceType: z.enum(SERVICE_TYPES, { message: `Filter by one of ${SERVICE_TYPES.join(', ')}` }).optional(),
  })
  .strict();
export type GroupDashboardQuery = z.infer<typeof GroupDashboardQuerySchema>;

export const GroupDashboardSchema = z.object({
  group: GroupSchema,
  filters: GroupDashboardQuerySchema,
  /** Member organisations in the group (before filters), and how many the filters kept. */
  memberCount: z.number().int(),
  /** The columns of the matrix: every domain any shown organisation reports, in first-seen order. */
  domains: z.array(z.object({ domainId: z.string(), title: z.string() })),
  organisations: z.array(
    z.object({
      organisationId: UuidSchema,
      joinedAt: IsoDateTimeSchema,
      /** When the organisation last published its summary; null if it has not yet. */
      refreshedAt: IsoDateTimeSchema.nullable(),
      summary: OrganisationSummarySchema.nullable(),
    }),
  ),
  /** Critical gaps shared by the shown organisations, most widely shared first. */
  sharedGaps: z.array(z.object({ questionId: z.string(), organisations: z.number().int(), organisationIds: z.array(UuidSchema) })),
  totals: z.object({ shown: z.number().int(), signed: z.number().int(), ready: z.number().int(), notReady: z.number().int(), noAssessment: z.number().int(), overdueActions: z.number().int() }),
});
export type GroupDashboard = z.infer<typeof GroupDashboardSchema>;

/** A group an organisation was invited to or belongs to, as the organisation sees it. */
export const OrganisationGroupSchema = z.object({
  groupId: UuidSchema,
  name: z.string(),
  status: GroupMembershipStatusSchema,
  invitedAt: IsoDateTimeSchema,
  joinedAt: IsoDateTimeSchema.nullable(),
  /** Whether this organisation's owner granted the group full read (answers, evidence list, latest report) since it joined. */
  fullRead: z.boolean(),
});
export const OrganisationGroupsSchema = z.object({
  groups: z.array(OrganisationGroupSchema),
  /** When this organisation last published its summary to its groups; null if never. */
  summaryRefreshedAt: IsoDateTimeSchema.nullable(),
});
export type OrganisationGroups = z.infer<typeof OrganisationGroupsSchema>;

/**
 * Full read (docs/PRODUCT.md §16.5): what a group sees of a member whose owner granted it, through the
 * database's grant-keyed read functions. Read only; gone the moment the grant is revoked or the
 * organisation leaves.
 */
export const GroupMemberAnswersSchema = z.object({
  organisationId: UuidSchema,
  /** The organisation's latest assessment; null when it has none. */
  assessment: z.object({ id: UuidSchema, title: z.string(), status: AssessmentStatusSchema }).nullable(),
  answers: z.array(
    z.object({
      questionId: z.string(),
      value: z.string(),
      justification: z.string().nullable(),
      comment: z.string().nullable(),
      answeredAt: IsoDateTimeSchema,
      reviewStatus: z.string(),
    }),
  ),
});
export type GroupMemberAnswers = z.infer<typeof GroupMemberAnswersSchema>;

export const GroupMemberEvidenceSchema = z.object({
  organisationId: UuidSchema,
  /** Newest first, at most 500; titles and metadata only, never the files. */
  items: z.array(
    z.object({
      id: UuidSchema,
      title: z.string(),
      kind: z.string(),
      source: z.enum(['file', 'external']),
      fileName: z.string().nullable(),
      mediaType: z.string().nullable(),
      sizeBytes: z.number().int().nullable(),
      sha256: z.string().nullable(),
      issuedAt: IsoDateTimeSchema,
      expiresAt: IsoDateTimeSchema.nullable(),
      status: z.string(),
    }),
  ),
});
export type GroupMemberEvidence = z.infer<typeof GroupMemberEvidenceSchema>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The signed manifest of a group board report (docs/PRODUCT.md §16.6): the group, the moment, the
 * PDF and results hashes, and each member report it summarises by its signed PDF hash.
 */
export const GroupReportManifestSchema = z.object({
  reportId: UuidSchema,
  groupId: UuidSchema,
  issuedAt: z.string(),
  pdfSha256: Sha256,
  resultsSha256: Sha256,
  memberReports: z.array(z.object({ organisationId: UuidSchema, reportId: UuidSchema, pdfSha256: Sha256 })),
});
export type GroupReportManifest = z.infer<typeof GroupReportManifestSchema>;

export const GroupReportSchema = z.object({
  id: UuidSchema,
  groupId: UuidSchema,
  status: z.enum(['queued', 'rendering', 'ready', 'failed']),
  requestedAt: IsoDateTimeSchema,
  requestedBy: UuidSchema,
  issuedAt: IsoDateTimeSchema.optional(),
  pdfSha256: Sha256.optional(),
  resultsSha256: Sha256.optional(),
  sizeBytes: z.number().int().optional(),
  manifest: GroupReportManifestSchema.optional(),
  signature: z.string().optional(),
  keyId: z.string().optional(),
  /** Why rendering failed; generate a new one after fixing it. */
  error: z.string().optional(),
});
export type GroupReport = z.infer<typeof GroupReportSchema>;
export const GroupReportListSchema = z.object({ items: z.array(GroupReportSchema) });
export type GroupReportList = z.infer<typeof GroupReportListSchema>;
