import { Injectable } from '@nestjs/common';

import type { Notification, NotificationEntityType, NotificationKind, NotificationListResponse, NotificationsReadAllResponse } from '@hoh/contracts';

import { notFound } from '../../common/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  entity_type: NotificationEntityType;
  entity_id: string;
  title: string;
  body: string;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, kind, entity_type, entity_id, title, body, link, created_at, read_at';

const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  kind: r.kind,
  entityType: r.entity_type,
  entityId: r.entity_id,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at ? r.read_at.toISOString() : null,
});

/** What the reminder scan hands over for one recipient (inside that organisation's tenant transaction). */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  entityType: NotificationEntityType;
  entityId: string;
  title: string;
  body: string;
  link: string;
  /** The member chose the weekly digest for this kind: no mail now, the digest carries it (docs/PRODUCT.md §14). */
  mailHeld?: boolean;
}

/** A notification whose mail waits for the weekly digest. */
export interface HeldNotification {
  id: string;
  userId: string;
  title: string;
  link: string;
  createdAt: Date;
}

/**
 * The signed-in member's own notifications. Every statement runs in the tenant transaction of the
 * route (RLS keeps other organisations out) and filters on the member's user id, so one member never
 * sees or marks another's.
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly clock: Clock) {}

  async list(limit: number, cursor: string | undefined): Promise<NotificationListResponse> {
    const { organisationId, userId } = currentMember();
    const after = decodeCursor(cursor);
    const rows = await tenantManager().query<(NotificationRow & { created_key: string })[]>(
      `SELECT ${COLUMNS}, created_at::text AS created_key FROM notifications
       WHERE organisation_id = $1 AND user_id = $2
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [organisationId, userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const [{ unread }] = (await tenantManager().query<{ unread: number }[]>(
      `SELECT count(*)::int AS unread FROM notifications WHERE organisation_id = $1 AND user_id = $2 AND read_at IS NULL`,
      [organisationId, userId],
    )) as [{ unread: number }];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toNotification),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null,
      unread,
    };
  }

  /** Marks one of the member's notifications read; marking it again keeps the first time. */
  async markRead(id: string): Promise<Notification> {
    const { organisationId, userId } = currentMember();
    // In a CTE so TypeORM answers rows (a bare UPDATE … RETURNING comes back as [rows, count]).
    const [row] = await tenantManager().query<NotificationRow[]>(
      `WITH u AS (UPDATE notifications SET read_at = COALESCE(read_at, $4) WHERE organisation_id = $1 AND user_id = $2 AND id = $3 RETURNING ${COLUMNS})
       SELECT * FROM u`,
      [organisationId, userId, id, this.clock.now()],
    );
    if (!row) throw notFound('notification');
    return toNotification(row);
  }

  async markAllRead(): Promise<NotificationsReadAllResponse> {
    const { organisationId, userId } = currentMember();
    const [{ marked }] = (await tenantManager().query<{ marked: number }[]>(
      `WITH u AS (UPDATE notifications SET read_at = $3 WHERE organisation_id = $1 AND user_id = $2 AND read_at IS NULL RETURNING id)
       SELECT count(*)::int AS marked FROM u`,
      [organisationId, userId, this.clock.now()],
    )) as [{ marked: number }];
    return { marked, unread: 0 };
  }

  /** Inserts one notification per recipient in the caller's tenant transaction; returns their ids in order. */
  async insert(createdAt: Date, items: NewNotification[]): Promise<string[]> {
    if (items.length === 0) return [];
    const { organisationId } = currentMember();
    const rows = await tenantManager().query<{ id: string }[]>(
      `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at, mail_held)
       SELECT $1, n.user_id, n.kind, n.entity_type, n.entity_id, n.title, n.body, n.link, $2, n.mail_held
       FROM jsonb_to_recordset($3::jsonb) AS n(ord int, user_id uuid, kind text, entity_type text, entity_id uuid, title text, body text, link text, mail_held boolean)
       ORDER BY n.ord
       RETURNING id`,
      [
        organisationId,
        createdAt,
        JSON.stringify(
          items.map((n, ord) => ({ ord, user_id: n.userId, kind: n.kind, entity_type: n.entityType, entity_id: n.entityId, title: n.title, body: n.body, link: n.link, mail_held: n.mailHeld ?? false })),
        ),
      ],
    );
    return rows.map((r) => r.id);
  }

  /** Notifications in the caller's organisation whose mail waits for the digest, oldest first (partial index). */
  async held(): Promise<HeldNotification[]> {
    const { organisationId } = currentMember();
    const rows = await tenantManager().query<{ id: string; user_id: string; title: string; link: string; created_at: Date }[]>(
      `SELECT id, user_id, title, link, created_at FROM notifications WHERE organisation_id = $1 AND mail_held AND digested_at IS NULL ORDER BY user_id, created_at, id`,
      [organisationId],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id, title: r.title, link: r.link, createdAt: r.created_at }));
  }

  /** Records that a digest carried these held notifications, so the next one does not list them again. */
  async markDigested(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    const { organisationId } = currentMember();
    await tenantManager().query(`UPDATE notifications SET digested_at = $3 WHERE organisation_id = $1 AND id = ANY($2::uuid[]) AND digested_at IS NULL`, [organisationId, ids, at]);
  }
}
