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
});
export const OrganisationGroupsSchema = z.object({
  groups: z.array(OrganisationGroupSchema),
  /** When this organisation last published its summary to its groups; null if never. */
  summaryRefreshedAt: IsoDateTimeSchema.nullable(),
});
export type OrganisationGroups = z.infer<typeof OrganisationGroupsSchema>;
