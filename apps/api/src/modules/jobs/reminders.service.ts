import { performance } from 'node:perf_hooks';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { NotificationDelivery, NotificationKind, Role } from '@hoh/contracts';

import { Clock } from '../../config/clock.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { MailWriter, type OutgoingMail } from '../notifications/mail-writer.js';
import { NotificationPreferencesService } from '../notifications/notification-preferences.service.js';
import { type NewNotification, NotificationsService } from '../notifications/notifications.service.js';
import { type DigestRunResult, WeeklyDigestService } from './weekly-digest.service.js';
import {
  actionReminder,
  assignmentReminder,
  type CappedAnswer,
  evidenceReminder,
  type ReminderText,
  reviewDueReminder,
  reviewWaitingReminder,
} from './reminder-text.js';
import { REMINDERS_ACTOR, remindersMember } from './system-actor.js';

/**
 * A threshold crossed longer ago than this is not announced late (a process that was down a week
 * still catches up; a first deployment does not mail about years-old expiries), and it bounds the
 * scan to the items inside the reminder windows.
 */
export const REMINDER_LOOKBACK_DAYS = 14;
const DAY_MS = 86_400_000;

type ReminderKind = Exclude<NotificationKind, 'weekly_digest'>;

interface DueRow {
  organisation_id: string;
  item_id: string;
  threshold: ReminderKind;
}

interface Recipient {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** Every recipient query selects these, so each recipient's role decides what they must receive. */
const RECIPIENT_COLUMNS = 'u.id, u.name, u.email, m.role';

export interface ScanResult {
  /** (organisation, item, threshold) triples the cross-tenant function returned. */
  due: number;
  /** Reminders this call sent (others were sent first by another worker, or no longer apply). */
  sent: number;
  notifications: number;
  /** Milliseconds the cross-tenant scan took (the `jobs.reminders.scan.ms` figure). */
  scanMs: number;
  /** The weekly digest, when this scan fell in its window (Monday 08:00 UTC for a day). */
  digests: DigestRunResult | null;
}

/** The threshold an evidence expiry is at, by the rule hoh_due_reminders applies (migration 1764347232000). */
export function evidenceThreshold(expiresAt: Date, now: Date): NotificationKind | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= -REMINDER_LOOKBACK_DAYS * DAY_MS) return null;
  if (left <= 0) return 'evidence_expired';
  if (left <= 7 * DAY_MS) return 'evidence_7d';
  if (left <= 30 * DAY_MS) return 'evidence_30d';
  return null;
}

/** The threshold an open action's due date (YYYY-MM-DD, UTC) is at. */
export function actionThreshold(dueDate: string, now: Date): NotificationKind | null {
  const days = Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY_MS);
  if (days < -REMINDER_LOOKBACK_DAYS) return null;
  if (days < 0) return 'action_overdue';
  if (days <= 7) return 'action_7d';
  return null;
}

/** The threshold the annual review is at, 12 months after the last sign-off falling `dueAt`. */
export function reviewThreshold(dueAt: Date, now: Date): NotificationKind | null {
  const left = dueAt.getTime() - now.getTime();
  if (left <= -REMINDER_LOOKBACK_DAYS * DAY_MS) return null;
  if (left <= 0) return 'review_due';
  if (left <= 30 * DAY_MS) return 'review_due_30d';
  return null;
}

const OPEN_ACTION = ['open', 'in_progress', 'blocked'];

/** A reminder ready to record: its due instant as stored in the key, its recipients and words. */
interface Built {
  dueKey: string;
  recipients: Recipient[];
  text: ReminderText;
}

const ENTITY_OF: Record<ReminderKind, NewNotification['entityType']> = {
  evidence_30d: 'evidence',
  evidence_7d: 'evidence',
  evidence_expired: 'evidence',
  action_7d: 'action',
  action_overdue: 'action',
  review_due_30d: 'assessment',
  review_due: 'assessment',
  review_waiting: 'assessment',
  assignment: 'assessment',
};

/**
 * Every reminder (docs/PRODUCT.md §14): evidence, actions, the annual review, submissions waiting
 * for review and assignments. The scan crosses tenants only through
 * hoh_due_reminders (SECURITY DEFINER, owned by hoh_lookup), which answers (organisation, item,
 * threshold) and nothing else. Each reminder is then built and recorded inside that organisation's
 * RLS transaction (runAsMember) as the system actor: it re-reads the item, inserts its
 * reminders_sent key (the one that makes it go out once), the recipients' notifications and an audit
 * entry, and commits; mail is written after the commit, so a reminder another worker already sent
 * writes no mail here. Each recipient's delivery choice (NotificationPreferencesService) decides
 * whether they get the notification and mail now, the notification now and the mail in the weekly
 * digest, or nothing. The digest runs from the same scan (WeeklyDigestService).
 *
 * Assignments are found by the scan too rather than announced by the assignment write: the write
 * stays as it is (and so does the bank upgrade, which keeps `assigned_at` and so announces nothing
 * again), and dedupe, preferences, mail after commit and the audit entry stay in this one place, at
 * the cost of up to one scan interval (5 minutes) before the assignee hears.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('reminders');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    private readonly preferences: NotificationPreferencesService,
    private readonly mail: MailWriter,
    private readonly audit: AuditService,
    private readonly digest: WeeklyDigestService,
  ) {}

  async scan(now: Date = this.clock.now()): Promise<ScanResult> {
    const started = performance.now();
    const due = await this.dataSource.query<DueRow[]>('SELECT organisation_id, item_id, threshold FROM hoh_due_reminders($1, $2)', [now, REMINDER_LOOKBACK_DAYS]);
    const scanMs = performance.now() - started;
    let sent = 0;
    let notifications = 0;
    const failures: string[] = [];
    for (const row of due) {
      try {
        const mails = await runAsMember(this.dataSource, remindersMember(row.organisation_id), () => this.remind(row, now));
        if (mails === null) continue;
        sent += 1;
        notifications += mails.length;
        await this.mail.send(mails);
      } catch (error) {
        failures.push(`${row.threshold} ${row.item_id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // The weekly digest rides on the same job: its own key makes it once per organisation and week.
    let digests: DigestRunResult | null = null;
    try {
      digests = await this.digest.run(now);
    } catch (error) {
      failures.push(`weekly digest: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The reminders that went out are recorded; failing the job makes pg-boss retry the rest.
    if (failures.length > 0) throw new Error(`${failures.length} of ${due.length} reminders failed: ${failures.slice(0, 5).join('; ')}`);
    if (sent > 0) this.logger.log(`Sent ${sent} reminders (${notifications} notifications); the scan took ${scanMs.toFixed(1)} ms`);
    return { due: due.length, sent, notifications, scanMs, digests };
  }

  /**
   * Inside the organisation's transaction: the mails to write after commit, or null when nothing is
   * due at this threshold any more or another worker sent it first.
   */
  private async remind(row: DueRow, now: Date): Promise<OutgoingMail[] | null> {
    const built = await this.build(row, now);
    let mails: OutgoingMail[] | null = null;
    for (const b of built) {
      const sent = await this.record(row, b, now);
      if (sent) mails = [...(mails ?? []), ...sent];
    }
    return mails;
  }

  private build(row: DueRow, now: Date): Promise<Built[]> {
    const one = (b: Promise<Built | null>) => b.then((x) => (x ? [x] : []));
    switch (row.threshold) {
      case 'evidence_30d':
      case 'evidence_7d':
      case 'evidence_expired':
        return one(this.evidence(row, now));
      case 'action_7d':
      case 'action_overdue':
        return one(this.action(row, now));
      case 'review_due_30d':
      case 'review_due':
        return one(this.reviewDue(row, now));
      case 'review_waiting':
        return one(this.reviewWaiting(row, now));
      case 'assignment':
        return this.assignments(row, now);
    }
  }

  /** Claims the reminder's key, then notifies each recipient by their choice; null when another worker had it. */
  private async record(row: DueRow, built: Built, now: Date): Promise<OutgoingMail[] | null> {
    const { organisationId } = currentMember();
    const [claimed] = await tenantManager().query<{ item_id: string }[]>(
      `INSERT INTO reminders_sent (organisation_id, item_id, threshold, due_at, sent_at, recipients) VALUES ($1, $2, $3, $4::timestamptz, $5, $6)
       ON CONFLICT DO NOTHING RETURNING item_id`,
      [organisationId, row.item_id, row.threshold, built.dueKey, now, built.recipients.length],
    );
    // Another worker committed this reminder first (the insert waited for it, then found the key).
    if (!claimed) return null;
    const deliveries = await this.preferences.deliveriesFor(built.recipients, row.threshold);
    const delivery = (r: Recipient): NotificationDelivery => deliveries.get(r.id) ?? 'immediately';
    const notified = built.recipients.filter((r) => delivery(r) !== 'off');
    const entityType = ENTITY_OF[row.threshold];
    const items: NewNotification[] = notified.map((r) => ({
      userId: r.id,
      kind: row.threshold,
      entityType,
      entityId: row.item_id,
      ...built.text,
      mailHeld: delivery(r) === 'weekly_digest',
    }));
    const ids = await this.notifications.insert(now, items);
    await this.audit.append({
      action: 'reminder.sent',
      entityType,
      entityId: row.item_id,
      data: {
        systemActor: REMINDERS_ACTOR.name,
        threshold: row.threshold,
        dueAt: built.dueKey,
        recipients: notified.map((r) => r.id),
        heldForDigest: notified.filter((r) => delivery(r) === 'weekly_digest').map((r) => r.id),
        turnedOff: built.recipients.filter((r) => delivery(r) === 'off').map((r) => r.id),
      },
    });
    return notified.flatMap((r, i) =>
      delivery(r) === 'immediately' ? [{ id: ids[i]!, to: { name: r.name, email: r.email }, subject: built.text.title, text: built.text.body, link: built.text.link }] : [],
    );
  }

  private async evidence(row: DueRow, now: Date): Promise<Built | null> {
    const { organisationId } = currentMember();
    // The expiry also as PostgreSQL's text: a JS Date keeps milliseconds, and a key stored rounded
    // would never match the microsecond instant hoh_due_reminders compares it with.
    const [e] = await tenantManager().query<{ id: string; title: string; status: string; uploaded_by: string; due_at: Date; due_key: string }[]>(
      `SELECT id, title, status, uploaded_by, hoh_evidence_expiry(issued_at, expires_at) AS due_at, hoh_evidence_expiry(issued_at, expires_at)::text AS due_key
       FROM evidence WHERE organisation_id = $1 AND id = $2`,
      [organisationId, row.item_id],
    );
    if (!e || e.status === 'rejected' || evidenceThreshold(e.due_at, now) !== row.threshold) return null;
    // Answers in open assessments whose claim of 3+ rests on this evidence alone (§4.2, §4.3).
    const capped =
      e.status !== 'accepted'
        ? []
        : (
            await tenantManager().query<{ assessment_title: string; question_id: string; value: string }[]>(
              `SELECT a.title AS assessment_title, an.question_id, an.value
               FROM answer_evidence ae
               JOIN assessments a ON a.organisation_id = ae.organisation_id AND a.id = ae.assessment_id AND a.status <> 'signed'
               JOIN answers an ON an.organisation_id = ae.organisation_id AND an.assessment_id = ae.assessment_id AND an.question_id = ae.question_id
               WHERE ae.organisation_id = $1 AND ae.evidence_id = $2 AND an.value IN ('3', '4')
                 AND NOT EXISTS (
                   SELECT 1 FROM answer_evidence o JOIN evidence x ON x.organisation_id = o.organisation_id AND x.id = o.evidence_id
                   WHERE o.organisation_id = ae.organisation_id AND o.assessment_id = ae.assessment_id AND o.question_id = ae.question_id
                     AND o.evidence_id <> ae.evidence_id AND x.status = 'accepted' AND x.issued_at <= $3
                     AND hoh_evidence_expiry(x.issued_at, x.expires_at) > GREATEST($3, $4))
               ORDER BY a.created_at DESC, an.question_id`,
              [organisationId, e.id, now, e.due_at],
            )
          ).map((r): CappedAnswer => ({ assessmentTitle: r.assessment_title, questionId: r.question_id, claimed: Number(r.value) }));
    const recipients = await tenantManager().query<Recipient[]>(
      `SELECT ${RECIPIENT_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND (m.role IN ('owner', 'assessor') OR m.user_id = $2) ORDER BY u.id`,
      [organisationId, e.uploaded_by],
    );
    const kind = row.threshold as Extract<NotificationKind, `evidence_${string}`>;
    return { dueKey: e.due_key, recipients, text: evidenceReminder(kind, { id: e.id, title: e.title, expiresAt: e.due_at, capped }, now) };
  }

  private async action(row: DueRow, now: Date): Promise<Built | null> {
    const { organisationId } = currentMember();
    const [a] = await tenantManager().query<{ id: string; number: number; title: string; status: string; owner_id: string | null; due: string | null }[]>(
      `SELECT id, number, title, status, owner_id, due_date::text AS due FROM actions WHERE organisation_id = $1 AND id = $2`,
      [organisationId, row.item_id],
    );
    if (!a || !a.due || !OPEN_ACTION.includes(a.status) || actionThreshold(a.due, now) !== row.threshold) return null;
    // The owner while a member; otherwise (none, or they left) the organisation's owners.
    const recipients = await tenantManager().query<Recipient[]>(
      `WITH own AS (SELECT m.user_id FROM memberships m WHERE m.organisation_id = $1 AND m.user_id = $2)
       SELECT ${RECIPIENT_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND (m.user_id IN (SELECT user_id FROM own) OR (NOT EXISTS (SELECT 1 FROM own) AND m.role = 'owner'))
       ORDER BY u.id`,
      [organisationId, a.owner_id],
    );
    const kind = row.threshold as Extract<NotificationKind, `action_${string}`>;
    return { dueKey: `${a.due}T00:00:00Z`, recipients, text: actionReminder(kind, { id: a.id, number: a.number, title: a.title, dueDate: a.due }, now) };
  }

  /** The organisation's owners and assessors: those who run the annual review and review submissions. */
  private reviewers(): Promise<Recipient[]> {
    const { organisationId } = currentMember();
    return tenantManager().query<Recipient[]>(
      `SELECT ${RECIPIENT_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND m.role IN ('owner', 'assessor') ORDER BY u.id`,
      [organisationId],
    );
  }

  private async reviewDue(row: DueRow, now: Date): Promise<Built | null> {
    const { organisationId } = currentMember();
    const [a] = await tenantManager().query<{ id: string; title: string; signed_at: Date; due_at: Date; due_key: string; later: boolean }[]>(
      `SELECT a.id, a.title, a.signed_at, hoh_evidence_expiry(a.signed_at, NULL::timestamptz) AS due_at, hoh_evidence_expiry(a.signed_at, NULL::timestamptz)::text AS due_key,
         EXISTS (SELECT 1 FROM assessments l WHERE l.organisation_id = a.organisation_id AND l.status = 'signed' AND l.signed_at > a.signed_at) AS later
       FROM assessments a WHERE a.organisation_id = $1 AND a.id = $2 AND a.status = 'signed'`,
      [organisationId, row.item_id],
    );
    if (!a || a.later || reviewThreshold(a.due_at, now) !== row.threshold) return null;
    // A review already started after this one: the reminder says so rather than asking to start one.
    const [next] = await tenantManager().query<{ title: string; status: 'draft' | 'in_review' }[]>(
      `SELECT title, status FROM assessments WHERE organisation_id = $1 AND status <> 'signed' AND created_at > $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [organisationId, a.signed_at],
    );
    const kind = row.threshold as 'review_due_30d' | 'review_due';
    return {
      dueKey: a.due_key,
      recipients: await this.reviewers(),
      text: reviewDueReminder(kind, { assessmentId: a.id, title: a.title, signedAt: a.signed_at, dueAt: a.due_at, next: next ?? null }, now),
    };
  }

  private async reviewWaiting(row: DueRow, now: Date): Promise<Built | null> {
    const { organisationId } = currentMember();
    const [a] = await tenantManager().query<{ id: string; title: string; submitted_at: Date; due_key: string }[]>(
      `SELECT id, title, submitted_at, submitted_at::text AS due_key FROM assessments WHERE organisation_id = $1 AND id = $2 AND status = 'in_review' AND submitted_at IS NOT NULL`,
      [organisationId, row.item_id],
    );
    if (!a || a.submitted_at.getTime() <= now.getTime() - REMINDER_LOOKBACK_DAYS * DAY_MS) return null;
    // Who submitted it: the person the audit log names (a submitter reviewing their own submission is
    // told nothing new), unless nobody else can review it.
    const [by] = await tenantManager().query<{ actor_id: string | null; name: string | null }[]>(
      `SELECT l.actor_id, u.name FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
       WHERE l.organisation_id = $1 AND l.entity_type = 'assessment' AND l.entity_id = $2 AND l.action = 'assessment.submitted'
       ORDER BY l.seq DESC LIMIT 1`,
      [organisationId, a.id],
    );
    const reviewers = await this.reviewers();
    const others = reviewers.filter((r) => r.id !== by?.actor_id);
    return {
      dueKey: a.due_key,
      recipients: others.length > 0 ? others : reviewers,
      text: reviewWaitingReminder({ assessmentId: a.id, title: a.title, submittedAt: a.submitted_at, submittedBy: by?.name ?? null }),
    };
  }

  /** One reminder per assignment write (its instant) in this assessment not yet announced: to the assignee. */
  private async assignments(row: DueRow, now: Date): Promise<Built[]> {
    const { organisationId } = currentMember();
    const groups = await tenantManager().query<{ due_key: string; assignee_id: string; assigned_by: string; assigner: string | null; title: string; question_ids: string[] }[]>(
      `SELECT g.assigned_at::text AS due_key, g.assignee_id, g.assigned_by, b.name AS assigner, a.title, array_agg(g.question_id ORDER BY g.question_id) AS question_ids
       FROM assignments g
       JOIN assessments a ON a.organisation_id = g.organisation_id AND a.id = g.assessment_id AND a.status <> 'signed'
       LEFT JOIN memberships bm ON bm.organisation_id = g.organisation_id AND bm.user_id = g.assigned_by
       LEFT JOIN users b ON b.id = bm.user_id
       WHERE g.organisation_id = $1 AND g.assessment_id = $2 AND g.assigned_at > $3 AND g.assignee_id <> g.assigned_by
         AND NOT EXISTS (SELECT 1 FROM reminders_sent s WHERE s.organisation_id = g.organisation_id AND s.item_id = g.assessment_id AND s.threshold = 'assignment' AND s.due_at = g.assigned_at)
       GROUP BY g.assigned_at, g.assignee_id, g.assigned_by, b.name, a.title
       ORDER BY g.assigned_at`,
      [organisationId, row.item_id, new Date(now.getTime() - REMINDER_LOOKBACK_DAYS * DAY_MS)],
    );
    const built: Built[] = [];
    for (const g of groups) {
      // The assignee while still a member (someone removed since hears nothing).
      const recipients = await tenantManager().query<Recipient[]>(
        `SELECT ${RECIPIENT_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 AND m.user_id = $2`,
        [organisationId, g.assignee_id],
      );
      built.push({ dueKey: g.due_key, recipients, text: assignmentReminder({ assessmentId: row.item_id, title: g.title, questionIds: g.question_ids, assignedBy: g.assigner }) });
    }
    return built;
  }
}
