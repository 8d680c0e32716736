import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Role } from '@hoh/contracts';
import type { Band } from '@hoh/scoring-engine';

import { AppConfig } from '../../config/app-config.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { absoluteLink, MailWriter, type OutgoingMail } from '../notifications/mail-writer.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { DIGEST_LIST_SIZE, type DigestFacts, weeklyDigest, weekStartOf } from './digest-text.js';
import { REMINDERS_ACTOR, remindersMember } from './system-actor.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Digests go out from Monday 08:00 UTC (docs/PRODUCT.md §14)… */
export const DIGEST_SEND_HOUR_UTC = 8;
/** …for a day: a process down all Monday skips that week rather than sending a stale digest later. */
export const DIGEST_WINDOW_HOURS = 24;

export interface DigestRunResult {
  /** Organisations the cross-tenant function listed without this week's digest. */
  due: number;
  /** Digests this call recorded (others were recorded first by another worker). */
  sent: number;
  notifications: number;
}

interface Recipient {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/**
 * The weekly digest per organisation (docs/PRODUCT.md §14), run by the reminder scan. Organisations
 * still owed this week's digest come only from hoh_due_digests (SECURITY DEFINER, organisation ids
 * and nothing else); each digest is gathered and recorded inside that organisation's RLS transaction
 * as the reminders system actor. Its weekly_digests row (organisation, week) is the key that makes
 * it go out once whichever worker gets there first, and it keeps the score next week compares with.
 * Mail is written after commit.
 */
@Injectable()
export class WeeklyDigestService {
  private readonly logger = new Logger('digest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly scoring: ScoringService,
    private readonly mail: MailWriter,
    private readonly audit: AuditService,
    private readonly evidence: EvidenceRepository,
  ) {}

  /** Sends this week's digests when `now` is in the window; null outside it (no query at all). */
  async run(now: Date): Promise<DigestRunResult | null> {
    const weekStart = weekStartOf(now);
    const opens = weekStart.getTime() + DIGEST_SEND_HOUR_UTC * HOUR_MS;
    if (now.getTime() < opens || now.getTime() >= opens + DIGEST_WINDOW_HOURS * HOUR_MS) return null;
    const due = await this.dataSource.query<{ organisation_id: string }[]>('SELECT organisation_id FROM hoh_due_digests($1)', [weekStart]);
    let sent = 0;
    let notifications = 0;
    const failures: string[] = [];
    for (const { organisation_id } of due) {
      try {
        const mails = await runAsMember(this.dataSource, remindersMember(organisation_id), () => this.compose(now, weekStart));
        if (mails === null) continue;
        sent += 1;
        notifications += mails.length;
        await this.mail.send(mails);
      } catch (error) {
        failures.push(`${organisation_id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`${failures.length} of ${due.length} weekly digests failed: ${failures.slice(0, 5).join('; ')}`);
    if (sent > 0) this.logger.log(`Sent ${sent} weekly digests (${notifications} notifications)`);
    return { due: due.length, sent, notifications };
  }

  /** Inside the organisation's transaction: the mails to write, or null when another worker recorded it first. */
  private async compose(now: Date, weekStart: Date): Promise<OutgoingMail[] | null> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const facts = await this.facts(now, weekStart);
    const held = await this.notifications.held();
    const heldUsers = [...new Set(held.map((h) => h.userId))];
    // Owners always; anyone else only when they hold reminders back for it.
    const recipients = await m.query<Recipient[]>(
      `SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND (m.role = 'owner' OR m.user_id = ANY($2::uuid[])) ORDER BY u.id`,
      [organisationId, heldUsers],
    );
    // An organisation with nothing to say (no assessment, nothing overdue, expiring or held) gets no mail that week.
    const quiet = !facts.assessment && facts.overdue.count === 0 && facts.expiring.count === 0 && held.length === 0;
    const to = quiet ? [] : recipients;
    const [claimed] = await m.query<{ week_start: Date }[]>(
      `INSERT INTO weekly_digests (organisation_id, week_start, sent_at, assessment_id, score, band, recipients) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING week_start`,
      [organisationId, weekStart, now, facts.assessment?.id ?? null, facts.assessment?.score ?? null, facts.assessment?.band ?? null, to.length],
    );
    if (!claimed) return null;
    const texts = to.map((r) =>
      weeklyDigest(
        facts,
        held.filter((h) => h.userId === r.id).map((h) => ({ title: h.title, url: absoluteLink(this.config.publicUrl, h.link) })),
      ),
    );
    const ids = await this.notifications.insert(
      now,
      to.map((r, i) => ({ userId: r.id, kind: 'weekly_digest', entityType: 'organisation', entityId: organisationId, ...texts[i]! })),
    );
    const carried = held.filter((h) => to.some((r) => r.id === h.userId)).map((h) => h.id);
    await this.notifications.markDigested(carried, now);
    await this.audit.append({
      action: 'digest.sent',
      entityType: 'organisation',
      entityId: organisationId,
      data: {
        systemActor: REMINDERS_ACTOR.name,
        weekStart: weekStart.toISOString(),
        recipients: to.map((r) => r.id),
        score: facts.assessment?.score ?? null,
        band: facts.assessment?.band ?? null,
        heldNotifications: carried.length,
      },
    });
    return to.map((r, i) => ({ id: ids[i]!, to: { name: r.name, email: r.email }, subject: texts[i]!.title, text: texts[i]!.body, link: texts[i]!.link }));
  }

  private async facts(now: Date, weekStart: Date): Promise<DigestFacts> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const today = now.toISOString().slice(0, 10);
    const [org] = await m.query<{ name: string }[]>('SELECT name FROM organisations WHERE organisation_id = $1', [organisationId]);
    const [latest] = await m.query<{ id: string; title: string; status: 'draft' | 'in_review' | 'signed' }[]>(
      'SELECT id, title, status FROM assessments WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
      [organisationId],
    );
    let assessment: DigestFacts['assessment'] = null;
    let previous: DigestFacts['previous'] = null;
    if (latest) {
      const result = await this.scoring.scoreAssessment(organisationId, latest.id);
      assessment = { id: latest.id, title: latest.title, status: latest.status, score: result.overall.score, band: result.overall.band };
      // Compared with last week's digest only when it reported the same assessment.
      const [before] = await m.query<{ assessment_id: string | null; score: number | null; band: Band | null }[]>(
        'SELECT assessment_id, score, band FROM weekly_digests WHERE organisation_id = $1 AND week_start < $2 ORDER BY week_start DESC LIMIT 1',
        [organisationId, weekStart],
      );
      if (before?.assessment_id === latest.id && before.score !== null && before.band !== null) previous = { score: before.score, band: before.band };
    }
    const [week] = await m.query<{ answers: number; evidence: number; closed: number }[]>(
      `SELECT (SELECT count(*)::int FROM answers WHERE organisation_id = $1 AND answered_at > $2 AND answered_at <= $3) AS answers,
              (SELECT count(*)::int FROM evidence WHERE organisation_id = $1 AND created_at > $2 AND created_at <= $3) AS evidence,
              (SELECT count(*)::int FROM actions WHERE organisation_id = $1 AND status IN ('done', 'risk_accepted') AND updated_at > $2 AND updated_at <= $3) AS closed`,
      [organisationId, weekAgo, now],
    );
    const overdue = await m.query<{ number: number; title: string; due: string; total: number }[]>(
      `SELECT number, title, due_date::text AS due, count(*) OVER ()::int AS total FROM actions
       WHERE organisation_id = $1 AND status IN ('open', 'in_progress', 'blocked') AND due_date < $2::date
       ORDER BY due_date, number LIMIT $3`,
      [organisationId, today, DIGEST_LIST_SIZE],
    );
    const expiring = await this.evidence.expiringBetween(weekAgo, new Date(now.getTime() + 30 * DAY_MS), DIGEST_LIST_SIZE);
    return {
      organisationName: org?.name ?? '',
      weekStart,
      assessment,
      previous,
      week: { answers: week?.answers ?? 0, evidenceAdded: week?.evidence ?? 0, actionsClosed: week?.closed ?? 0 },
      overdue: { count: overdue[0]?.total ?? 0, items: overdue.map((a) => ({ number: a.number, title: a.title, dueDate: a.due })) },
      expiring: { count: expiring[0]?.total ?? 0, items: expiring.map((e) => ({ title: e.title, expiresAt: e.expires_at, expired: e.expires_at.getTime() <= now.getTime() })) },
    };
  }
}
