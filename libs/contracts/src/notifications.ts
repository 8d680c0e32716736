import { z } from 'zod';

import { UuidSchema } from './common.js';
import { PageQuerySchema } from './paging.js';

/**
 * In-app notifications (docs/PRODUCT.md §14, docs/API.md): reminders the scheduled scan sends to a
 * member, each linking to the thing it is about.
 */
export const NOTIFICATION_KINDS = ['evidence_30d', 'evidence_7d', 'evidence_expired', 'action_7d', 'action_overdue'] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

export const NotificationSchema = z.object({
  id: UuidSchema,
  kind: NotificationKindSchema,
  entityType: z.enum(['evidence', 'action']),
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
