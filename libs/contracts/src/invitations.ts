import { z } from 'zod';

import { MeResponseSchema, RoleSchema } from './auth.js';
import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { InviteeEmailSchema, InviteePasswordSchema, PersonNameSchema } from './identity-fields.js';
import { pageOf } from './paging.js';

/** Every invitation token starts with this. */
export const INVITATION_TOKEN_PREFIX = 'hoh_inv_';

export const CreateInvitationRequestSchema = z
  .object({
    email: InviteeEmailSchema,
    role: RoleSchema,
  })
  .strict();
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequestSchema>;

/** `queued` (not sent yet, or retrying), `sent`, or `failed` (the mail server kept refusing it; see `lastError`). */
export const InvitationDeliveryStatusSchema = z.enum(['queued', 'sent', 'failed']);
export type InvitationDeliveryStatus = z.infer<typeof InvitationDeliveryStatusSchema>;

/** How the invitation's email fared (docs/PRODUCT.md §2.5); the link itself is never shown again. */
export const InvitationDeliverySchema = z.object({
  status: InvitationDeliveryStatusSchema,
  attempts: z.number().int().min(0),
  /** The mail server's last refusal, for a message being retried or given up on. */
  lastError: z.string().nullable(),
  sentAt: IsoDateTimeSchema.nullable(),
});
export type InvitationDelivery = z.infer<typeof InvitationDeliverySchema>;

export const InvitationSchema = z.object({
  id: UuidSchema,
  email: z.string(),
  role: RoleSchema,
  invitedBy: UuidSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema,
  /** In the list of pending invitations: the email's delivery. Absent where not looked up (the create answer). */
  delivery: InvitationDeliverySchema.nullable().optional(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

/**
 * Shown once, to the inviter: the token (stored only as a SHA-256) and the API path that accepts it.
 * The invitation is also emailed (docs/SECURITY.md, "Mail and secrets"); this copy lets the inviter pass it on by hand.
 */
export const CreateInvitationResponseSchema = InvitationSchema.extend({
  token: z.string().startsWith(INVITATION_TOKEN_PREFIX),
  acceptPath: z.string(),
});
export type CreateInvitationResponse = z.infer<typeof CreateInvitationResponseSchema>;

export const InvitationPageSchema = pageOf(InvitationSchema);
export type InvitationPage = z.infer<typeof InvitationPageSchema>;

/**
 * What the holder of an invitation link may see before accepting (GET /api/v1/invitations/{token},
 * public): who invites them, where, as what, until when, and the address it was sent to, so the
 * accept page can fill the email in and fix it. Nothing else about the organisation. The token is
 * the secret (256 bits, stored only as its SHA-256), so holding the link is the permission.
 */
export const InvitationPreviewSchema = z.object({
  organisationName: z.string(),
  role: RoleSchema,
  /** The inviter's name; null when their account no longer exists. */
  inviterName: z.string().nullable(),
  /** The invited address: accepting as a new person must use exactly this one. */
  email: z.string(),
  expiresAt: IsoDateTimeSchema,
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

/**
 * Signed in: send nothing (or `{}`). Not signed in: name, email (the invited address) and a new
 * password create the account, join and sign in.
 */
export const AcceptInvitationRequestSchema = z
  .object({
    name: PersonNameSchema.optional(),
    email: InviteeEmailSchema.optional(),
    password: InviteePasswordSchema.optional(),
  })
  .strict();
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequestSchema>;

export const AcceptInvitationResponseSchema = z.object({
  organisationId: UuidSchema,
  role: RoleSchema,
  /** True when this request created the account (and set the session cookie). */
  accountCreated: z.boolean(),
  me: MeResponseSchema,
});
export type AcceptInvitationResponse = z.infer<typeof AcceptInvitationResponseSchema>;
