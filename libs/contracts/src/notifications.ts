import { z } from 'zod';

import type { Role } from './auth.js';
import { UuidSchema } from './common.js';
import { PageQuerySchema } from './paging.js';

/**
 * In-app notifications (docs/PRODUCT.md §14, docs/API.md): reminders the scheduled scan sends to a
 * member, each linking to the thing it is about, and the weekly digest.
 */
export const NOTIFICATION_KINDS = [
  'evidence_30d',
  'evidence_7d',
  'evidence_expired',
  'action_7d',
  'action_overdue',
  'review_due_30d',
  'review_due',
  'review_waiting',
  'assignment',
  'weekly_digest',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** What a notification is about; its `entityId` names one of these. */
export const NotificationEntityTypeSchema = z.enum(['evidence', 'action', 'assessment', 'organisation']);
export type NotificationEntityType = z.infer<typeof NotificationEntityTypeSchema>;

/**
 * The kinds a member chooses delivery for (docs/PRODUCT.md §14): every reminder. The weekly digest
 * is how held-back reminders arrive, so it is not itself a choice.
 */
export const PREFERENCE_KINDS = NOTIFICATION_KINDS.filter((k): k is Exclude<NotificationKind, 'weekly_digest'> => k !== 'weekly_digest');
export type PreferenceKind = (typeof PREFERENCE_KINDS)[number];

/** immediately: notification and mail now; weekly_digest: notification now, mail in the next digest; off: neither. */
export const NotificationDeliverySchema = z.enum(['immediately', 'weekly_digest', 'off'], {
  message: 'Choose immediately, weekly_digest or off',
});
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;

/**
 * What a role must receive (docs/PRODUCT.md §14): an owner answers for the annual review and for the
 * score, so the review falling due, expired evidence and overdue actions cannot be turned off
 * (a weekly digest is allowed). Applied when saving (400) and again when sending, so a member whose
 * role changed later still receives them.
 */
export const REQUIRED_KINDS: Record<Role, readonly PreferenceKind[]> = {
  owner: ['review_due_30d', 'review_due', 'evidence_expired', 'action_overdue'],
  assessor: [],
  contributor: [],
  auditor: [],
};

/** The delivery that applies: the saved choice, except that a kind the role must receive is never off. */
export function effectiveDelivery(role: Role, kind: PreferenceKind, saved: NotificationDelivery | undefined): NotificationDelivery {
  const choice = saved ?? 'immediately';
  return choice === 'off' && REQUIRED_KINDS[role].includes(kind) ? 'immediately' : choice;
}

export const NotificationSchema = z.object({
  id: UuidSchema,
  kind: NotificationKindSchema,
  entityType: NotificationEntityTypeSchema,
  entityId: UuidSchema,
  title: z.string(),
  body: z.string(),
  /** Path inside the web app (starts with `/`); the mailed copy carries the same path under PUBLIC_URL. */
  link: z.string().startsWith('/'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListQuerySchema = PageQuerySchema;
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>;

/** The signed-in member's own notifications, newest first, with how many are unread in all. */
export const NotificationListResponseSchema = z.object({
  items: z.array(NotificationSchema),
  nextCursor: z.string().nullable(),
  unread: z.number().int().min(0),
});
export type NotificationListResponse = z.infer<typeof NotificationListResponseSchema>;

export const NotificationsReadAllResponseSchema = z.object({ marked: z.number().int().min(0), unread: z.literal(0) });
export type NotificationsReadAllResponse = z.infer<typeof NotificationsReadAllResponseSchema>;

export const NotificationPreferenceSchema = z.object({
  kind: NotificationKindSchema.exclude(['weekly_digest']),
  /** The delivery in force for this member (a required kind saved as off before a role change reads immediately). */
  delivery: NotificationDeliverySchema,
  /** The member's role must receive this kind: `off` is refused. */
  required: z.boolean(),
});
export type NotificationPreference = z.infer<typeof NotificationPreferenceSchema>;

/** The signed-in member's choices in this organisation, one per kind in PREFERENCE_KINDS order; `version` is the ETag. */
export const NotificationPreferencesResponseSchema = z.object({
  version: z.number().int().min(0),
  items: z.array(NotificationPreferenceSchema),
});
export type NotificationPreferencesResponse = z.infer<typeof NotificationPreferencesResponseSchema>;

/** Replaces the member's choices: a kind left out is `immediately`. Unknown kinds are refused. */
export const NotificationPreferencesRequestSchema = z
  .object({
    deliveries: z
      .object(Object.fromEntries(PREFERENCE_KINDS.map((k) => [k, NotificationDeliverySchema.optional()])) as Record<PreferenceKind, z.ZodOptional<typeof NotificationDeliverySchema>>)
      .strict(),
  })
  .strict();
export type NotificationPreferencesRequest = z.infer<typeof NotificationPreferencesRequestSchema>;
