import { performance } from 'node:perf_hooks';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { NotificationKind } from '@hoh/contracts';

import { Clock } from '../../config/clock.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { MailWriter, type OutgoingMail } from '../notifications/mail-writer.js';
import { type NewNotification, NotificationsService } from '../notifications/notifications.service.js';
import { actionReminder, type CappedAnswer, evidenceReminder, type ReminderText } from './reminder-text.js';
import { REMINDERS_ACTOR, remindersMember } from './system-actor.js';

/**
 * A threshold crossed longer ago than this is not announced late (a process that was down a week
 * still catches up; a first deployment does not mail about years-old expiries), and it bounds the
 * scan to the items inside the reminder windows.
 */
export const REMINDER_LOOKBACK_DAYS = 14;
const DAY_MS = 86_400_000;

interface DueRow {
  organisation_id: string;
  item_id: string;
  threshold: NotificationKind;
}

interface Recipient {
  id: string;
  name: string;
  email: string;
}

export interface ScanResult {
  /** (organisation, item, threshold) triples the cross-tenant function returned. */
  due: number;
  /** Reminders this call sent (others were sent first by another worker, or no longer apply). */
  sent: number;
  notifications: number;
  /** Milliseconds the cross-tenant scan took (the `jobs.reminders.scan.ms` figure). */
  scanMs: number;
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

const OPEN_ACTION = ['open', 'in_progress', 'blocked'];

/** A reminder ready to record: its due instant as stored in the key, its recipients and words. */
interface Built {
  dueKey: string;
  recipients: Recipient[];
  text: ReminderText;
}

/**
 * Evidence and action reminders (docs/PRODUCT.md §14). The scan crosses tenants only through
 * hoh_due_reminders (SECURITY DEFINER, owned by hoh_lookup), which answers (organisation, item,
 * threshold) and nothing else. Each reminder is then built and recorded inside that organisation's
 * RLS transaction (runAsMember) as the system actor: it re-reads the item, inserts its
 * reminders_sent key (the one that makes it go out once), the recipients' notifications and an audit
 * entry, and commits; mail is written after the commit, so a reminder another worker already sent
 * writes no mail here.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('reminders');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    private readonly mail: MailWriter,
    private readonly audit: AuditService,
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
    // The reminders that went out are recorded; failing the job makes pg-boss retry the rest.
    if (failures.length > 0) throw new Error(`${failures.length} of ${due.length} reminders failed: ${failures.slice(0, 5).join('; ')}`);
    if (sent > 0) this.logger.log(`Sent ${sent} reminders (${notifications} notifications); the scan took ${scanMs.toFixed(1)} ms`);
    return { due: due.length, sent, notifications, scanMs };
  }

  /** Inside the organisation's transaction: null when it is no longer due at this threshold or already sent. */
  private async remind(row: DueRow, now: Date): Promise<OutgoingMail[] | null> {
    const built = row.threshold.startsWith('evidence_') ? await this.evidence(row, now) : await this.action(row, now);
    if (!built) return null;
    const { organisationId } = currentMember();
    const [claimed] = await tenantManager().query<{ item_id: string }[]>(
      `INSERT INTO reminders_sent (organisation_id, item_id, threshold, due_at, sent_at, recipients) VALUES ($1, $2, $3, $4::timestamptz, $5, $6)
       ON CONFLICT DO NOTHING RETURNING item_id`,
      [organisationId, row.item_id, row.threshold, built.dueKey, now, built.recipients.length],
    );
    // Another worker committed this reminder first (the insert waited for it, then found the key).
    if (!claimed) return null;
    const entityType = row.threshold.startsWith('evidence_') ? 'evidence' : 'action';
    const items: NewNotification[] = built.recipients.map((r) => ({ userId: r.id, kind: row.threshold, entityType, entityId: row.item_id, ...built.text }));
    const ids = await this.notifications.insert(now, items);
    await this.audit.append({
      action: 'reminder.sent',
      entityType,
      entityId: row.item_id,
      data: { systemActor: REMINDERS_ACTOR.name, threshold: row.threshold, dueAt: built.dueKey, recipients: built.recipients.map((r) => r.id) },
    });
    return built.recipients.map((r, i) => ({ id: ids[i]!, to: { name: r.name, email: r.email }, subject: built.text.title, text: built.text.body, link: built.text.link }));
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
      `SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
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
       SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND (m.user_id IN (SELECT user_id FROM own) OR (NOT EXISTS (SELECT 1 FROM own) AND m.role = 'owner'))
       ORDER BY u.id`,
      [organisationId, a.owner_id],
    );
    const kind = row.threshold as Extract<NotificationKind, `action_${string}`>;
    return { dueKey: `${a.due}T00:00:00Z`, recipients, text: actionReminder(kind, { id: a.id, number: a.number, title: a.title, dueDate: a.due }, now) };
  }
}
