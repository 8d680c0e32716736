import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CALENDAR_TOKEN_PREFIX, type CalendarFeed, type CalendarFeedCreated, type Role, roleAllows } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { absoluteUrl, buildCalendar, type CalendarItem } from './calendar-ics.js';

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();
const TOKEN_SHAPE = new RegExp(`^${CALENDAR_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
/** Where the feed is served (public, no cookie): the token is the whole credential. */
export const feedPath = (token: string): string => `/api/v1/calendar/${token}.ics`;

const GONE = 'This calendar address is unknown or was revoked. Sign in to Hand on Heart and make a new one under Settings → Calendar.';

/** A feed stays readable in any calendar app: at most this many items of each kind, the soonest first. */
const MAX_ITEMS_PER_KIND = 500;
/** Past dates stay in the feed this long, so a calendar keeps recent history instead of losing it. */
const HISTORY_DAYS = 365;

interface ActionRow {
  id: string;
  number: number;
  title: string;
  due: string;
  status: 'open' | 'in_progress' | 'blocked';
}

/**
 * Private, revocable iCalendar feeds (docs/PRODUCT.md §14): one per member per organisation. The
 * token is 256 bits from a CSPRNG, shown once, stored as its SHA-256 (like API tokens and
 * invitations). Fetching starts from the token alone: one cross-tenant lookup
 * (hoh_calendar_feed_by_token, SECURITY DEFINER, by a unique index, the same work whichever
 * organisation holds it), then everything is read inside that organisation's tenant transaction as
 * the member (runAsMember), so another organisation's rows cannot appear in it.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly evidenceRows: EvidenceRepository,
  ) {}

  async status(): Promise<CalendarFeed> {
    const { organisationId, userId } = currentMember();
    const [row] = await tenantManager().query<{ created_at: Date }[]>(
      'SELECT created_at FROM calendar_feeds WHERE organisation_id = $1 AND user_id = $2',
      [organisationId, userId],
    );
    return { active: Boolean(row), createdAt: row ? row.created_at.toISOString() : null };
  }

  /** A new address for the signed-in member; any previous one stops working in the same commit. */
  async create(): Promise<CalendarFeedCreated> {
    const { organisationId, userId } = currentMember();
    const token = `${CALENDAR_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    // One upsert, so two clicks at once cannot collide; xmax is non-zero only on a row it updated (an address existed).
    const [row] = await tenantManager().query<{ replaced: boolean }[]>(
      `INSERT INTO calendar_feeds AS f (organisation_id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organisation_id, user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
       RETURNING (xmax <> 0) AS replaced`,
      [organisationId, userId, hashToken(token), now],
    );
    const replacedPrevious = row?.replaced ?? false;
    await this.audit.append({
      action: replacedPrevious ? 'calendar_feed.rotated' : 'calendar_feed.created',
      entityType: 'membership',
      entityId: userId,
      data: {},
    });
    return { url: absoluteUrl(this.config.publicUrl, feedPath(token)), createdAt: now.toISOString(), replacedPrevious };
  }

  /** Revoking is idempotent: without a feed there is nothing to stop, and the answer is the same. */
  async revoke(): Promise<void> {
    const { organisationId, userId } = currentMember();
    const gone = await tenantManager().query<{ user_id: string }[]>(
      `WITH gone AS (DELETE FROM calendar_feeds WHERE organisation_id = $1 AND user_id = $2 RETURNING user_id) SELECT user_id FROM gone`,
      [organisationId, userId],
    );
    if (gone.length > 0) await this.audit.append({ action: 'calendar_feed.revoked', entityType: 'membership', entityId: userId, data: {} });
  }

  /** The feed behind `token`, as iCalendar text; 404 for anything that is not a live feed. */
  async render(token: string): Promise<string> {
    if (!TOKEN_SHAPE.test(token)) throw new AppError('NOT_FOUND', GONE);
    const [feed] = await this.dataSource.query<{ organisation_id: string; user_id: string }[]>(
      'SELECT organisation_id, user_id FROM hoh_calendar_feed_by_token($1)',
      [hashToken(token)],
    );
    if (!feed) throw new AppError('NOT_FOUND', GONE);
    const now = this.clock.now();
    // The role is read inside the tenant transaction below; this placeholder decides nothing.
    const member = { organisationId: feed.organisation_id, userId: feed.user_id, role: 'auditor' as Role, accountableIndividual: false };
    const text = await runAsMember(this.dataSource, member, async () => {
      const m = tenantManager();
      const [who] = await m.query<{ role: Role; organisation_name: string }[]>(
        `SELECT mb.role, o.name AS organisation_name FROM memberships mb JOIN organisations o ON o.organisation_id = mb.organisation_id
         WHERE mb.organisation_id = $1 AND mb.user_id = $2`,
        [feed.organisation_id, feed.user_id],
      );
      // The feed row cascades away with the membership; this covers a removal racing this request.
      if (!who) return null;
      const items = await this.items(feed.organisation_id, feed.user_id, roleAllows(who.role, 'manage', false), now);
      return buildCalendar({ organisationId: feed.organisation_id, organisationName: who.organisation_name, publicUrl: this.config.publicUrl, now, items });
    });
    if (text === null) throw new AppError('NOT_FOUND', GONE);
    return text;
  }

  /**
   * What the member has to act on (docs/PRODUCT.md §14): owners and assessors, who run the review,
   * see every open action with a due date and every evidence expiry; contributors and auditors the
   * open actions they own and the evidence they added. Everyone sees the annual review date.
   */
  private async items(organisationId: string, userId: string, everything: boolean, now: Date): Promise<CalendarItem[]> {
    const m = tenantManager();
    const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
    const actions = await m.query<ActionRow[]>(
      `SELECT id, number, title, to_char(due_date, 'YYYY-MM-DD') AS due, status FROM actions
       WHERE organisation_id = $1 AND status IN ('open', 'in_progress', 'blocked') AND due_date IS NOT NULL
         AND ($2 OR owner_id = $3)
       ORDER BY due_date, number LIMIT ${MAX_ITEMS_PER_KIND}`,
      [organisationId, everything, userId],
    );
    const evidence = await this.evidenceRows.expiringSince(since, everything ? null : userId, MAX_ITEMS_PER_KIND);
    // 12 calendar months after the last sign-off, by the same rule as evidence age (§4.2: 29 February → 1 March).
    const [review] = await m.query<{ due: string | null; signed_on: string | null }[]>(
      `SELECT to_char(hoh_evidence_expiry(max(signed_at), NULL) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS due,
              to_char(max(signed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS signed_on
       FROM assessments WHERE organisation_id = $1 AND status = 'signed'`,
      [organisationId],
    );
    return [
      ...actions.map((a): CalendarItem => ({ kind: 'action', id: a.id, number: a.number, title: a.title, due: a.due, status: a.status })),
      ...evidence.map((e): CalendarItem => ({ kind: 'evidence', id: e.id, title: e.title, expires: e.expires })),
      ...(review?.due && review.signed_on ? [{ kind: 'review', due: review.due, lastSignedOn: review.signed_on } satisfies CalendarItem] : []),
    ];
  }
}
