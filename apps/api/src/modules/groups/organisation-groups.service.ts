import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { type GroupAttestationStatus, type OrganisationGroups, type OrganisationSummary, OrganisationSummarySchema } from '@hoh/contracts';
import { JURISDICTIONS, SERVICE_TYPES } from '@hoh/question-bank';

import { AppError } from '../../common/app-error.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { DashboardService } from '../dashboard/dashboard.service.js';

interface ReportRow {
  id: string;
  assessment_id: string;
  issued_at: Date;
  pdf_sha256: string;
  results_sha256: string;
}

const SERVICES: readonly string[] = SERVICE_TYPES;
const PLACES: readonly string[] = JURISDICTIONS;

/**
 * An organisation's side of groups (docs/PRODUCT.md §16): the invitations it holds, accepting
 * (owners only), leaving, and the summary it shows its groups. Everything runs in the
 * organisation's own tenant transaction (@OrgAccess), so the summary row is only ever written by the
 * organisation itself; a group reads it through hoh_group_summaries and nothing else.
 */
@Injectable()
export class OrganisationGroupsService {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<OrganisationGroups> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const rows: { group_id: string; name: string; status: 'invited' | 'member'; invited_at: Date; joined_at: Date | null; full_read: boolean }[] = await m.query(
      `SELECT gm.group_id, g.name, gm.status, gm.invited_at, gm.joined_at,
              EXISTS (SELECT 1 FROM group_read_grants gr WHERE gr.organisation_id = gm.organisation_id AND gr.group_id = gm.group_id AND gm.status = 'member' AND gr.granted_at >= gm.joined_at) AS full_read
       FROM group_memberships gm JOIN groups g ON g.group_id = gm.group_id
       WHERE gm.organisation_id = $1 AND gm.status IN ('invited', 'member') ORDER BY gm.status DESC, g.name, gm.group_id`,
      [organisationId],
    );
    const [summary]: { refreshed_at: Date }[] = await m.query(`SELECT refreshed_at FROM group_summaries WHERE organisation_id = $1`, [organisationId]);
    return {
      groups: rows.map((r) => ({ groupId: r.group_id, name: r.name, status: r.status, invitedAt: r.invited_at.toISOString(), joinedAt: r.joined_at?.toISOString() ?? null, fullRead: r.full_read })),
      summaryRefreshedAt: summary?.refreshed_at.toISOString() ?? null,
    };
  }

  /** The organisation's owner accepts an invitation: it joins, and its summary is published in the same transaction. */
  async accept(groupId: string): Promise<OrganisationGroups> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const now = this.clock.now();
    const joined: { name: string }[] = await m.query(
      `WITH u AS (UPDATE group_memberships SET status = 'member', joined_at = $3, accepted_by = $4
                  WHERE group_id = $1 AND organisation_id = $2 AND status = 'invited' RETURNING group_id)
       SELECT g.name FROM u JOIN groups g ON g.group_id = u.group_id`,
      [groupId, organisationId, now, userId],
    );
    if (joined.length === 0) {
      const [current]: { status: string }[] = await m.query(`SELECT status FROM group_memberships WHERE group_id = $1 AND organisation_id = $2`, [groupId, organisationId]);
      if (current?.status === 'member') throw new AppError('INVALID_STATE', 'This organisation is already a member of that group.');
      throw new AppError('NOT_FOUND', 'No pending invitation from that group. Ask the group’s owner to invite this organisation by its id.');
    }
    await this.groupEvent(groupId, 'group.organisation_joined');
    await this.audit.append({ action: 'group.joined', entityType: 'group', entityId: groupId, data: { groupName: joined[0]!.name } });
    await this.refresh();
    return this.list();
  }

  /** Declines an invitation or leaves a group: gone from the group's next read, recorded on both sides. */
  async leave(groupId: string): Promise<void> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const ended: { was: string; name: string }[] = await m.query(
      `WITH before AS (SELECT status FROM group_memberships WHERE group_id = $1 AND organisation_id = $2 AND status IN ('invited', 'member') FOR UPDATE),
       u AS (UPDATE group_memberships SET status = 'ended', ended_at = $3, ended_by = $4, ended_side = 'organisation'
             WHERE group_id = $1 AND organisation_id = $2 AND status IN ('invited', 'member') RETURNING group_id)
       SELECT b.status AS was, g.name FROM before b, u JOIN groups g ON g.group_id = u.group_id`,
      [groupId, organisationId, this.clock.now(), userId],
    );
    if (ended.length === 0) throw new AppError('NOT_FOUND', 'This organisation is not invited to or a member of that group. Check the group id on the Groups page.');
    // The read functions already ignore a grant older than the membership; deleting it keeps the
    // organisation's own view (and a later rejoin) from showing a grant that no longer applies.
    await m.query(`DELETE FROM group_read_grants WHERE organisation_id = $1 AND group_id = $2`, [organisationId, groupId]);
    await this.groupEvent(groupId, 'group.membership_ended', { side: 'organisation', was: ended[0]!.was });
    await this.audit.append({ action: 'group.membership_ended', entityType: 'group', entityId: groupId, data: { side: 'organisation', groupName: ended[0]!.name, was: ended[0]!.was } });
  }

  /**
   * The owner grants a group it belongs to full read (docs/PRODUCT.md §16.5): the group's owners and
   * viewers may then read this organisation's latest answers, evidence list and latest issued report,
   * read only, through the database's grant-keyed functions. Audited on both sides.
   */
  async grantFullRead(groupId: string): Promise<OrganisationGroups> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const [membership]: { name: string }[] = await m.query(
      `SELECT g.name FROM group_memberships gm JOIN groups g ON g.group_id = gm.group_id WHERE gm.group_id = $1 AND gm.organisation_id = $2 AND gm.status = 'member'`,
      [groupId, organisationId],
    );
    if (!membership) throw new AppError('NOT_FOUND', 'This organisation is not a member of that group. Accept its invitation first, then grant full read.');
    const now = this.clock.now();
    await m.query(
      `INSERT INTO group_read_grants (organisation_id, group_id, granted_by, granted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organisation_id, group_id) DO UPDATE SET granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at`,
      [organisationId, groupId, userId, now],
    );
    await this.groupEvent(groupId, 'group.full_read_granted');
    await this.audit.append({ action: 'group.full_read_granted', entityType: 'group', entityId: groupId, data: { groupName: membership.name } });
    return this.list();
  }

  /** Revokes full read: the group's very next read of answers, evidence or the report answers 404. */
  async revokeFullRead(groupId: string): Promise<void> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const revoked: { group_id: string }[] = await m.query(
      `WITH d AS (DELETE FROM group_read_grants WHERE organisation_id = $1 AND group_id = $2 RETURNING group_id) SELECT group_id FROM d`,
      [organisationId, groupId],
    );
    if (revoked.length === 0) throw new AppError('NOT_FOUND', 'This organisation has not granted that group full read. Nothing to revoke; check the group on the Groups page.');
    const [group]: { name: string; member: boolean }[] = await m.query(
      `SELECT g.name, EXISTS (SELECT 1 FROM group_memberships gm WHERE gm.group_id = g.group_id AND gm.organisation_id = $2) AS member FROM groups g WHERE g.group_id = $1`,
      [groupId, organisationId],
    );
    if (group?.member) await this.groupEvent(groupId, 'group.full_read_revoked');
    await this.audit.append({ action: 'group.full_read_revoked', entityType: 'group', entityId: groupId, data: { groupName: group?.name ?? null } });
  }

  /**
   * Writes the summary its groups see, from the same computation as the overview (DashboardService)
   * plus the profile headline and the signed reports' hashes. Never answers' text, evidence or members.
   */
  async refresh(): Promise<{ refreshedAt: string }> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const overview = await this.dashboard.get();
    const [profileRow]: { services: unknown; jurisdictions: unknown }[] = await m.query(
      `SELECT profile->'services' AS services, profile->'jurisdictions' AS jurisdictions FROM organisation_profiles WHERE organisation_id = $1`,
      [organisationId],
    );
    const reports: ReportRow[] = await m.query(
      `SELECT id, assessment_id, issued_at, pdf_sha256, results_sha256 FROM reports
       WHERE organisation_id = $1 AND status = 'ready' AND NOT draft ORDER BY issued_at DESC, id DESC LIMIT 20`,
      [organisationId],
    );
    const current = overview.current;
    const status: GroupAttestationStatus = !current ? 'no_assessment' : current.assessment.status === 'signed' ? 'signed' : current.readyToAttest.ready ? 'ready' : 'not_ready';
    const lastSigned = [...overview.trend].reverse().find((p) => p.status === 'signed' && p.signedAt !== null);
    const strings = (value: unknown, allowed: readonly string[]): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && allowed.includes(v)) : []);
    const summary: OrganisationSummary = OrganisationSummarySchema.parse({
      name: overview.organisation.name,
      headline: { services: strings(profileRow?.services, SERVICES), jurisdictions: strings(profileRow?.jurisdictions, PLACES), described: overview.profile.described },
      latest: current
        ? {
            assessmentId: current.assessment.id,
            title: current.assessment.title,
            status: current.assessment.status,
            periodLabel: current.assessment.period.label,
            score: current.score,
            rounded: current.rounded,
            band: current.band,
          }
        : null,
      signed: lastSigned ? { assessmentId: lastSigned.assessmentId, signedAt: lastSigned.signedAt, score: lastSigned.score, band: lastSigned.band } : null,
      domains: (current?.domains ?? []).map((d) => ({ domainId: d.domainId, title: d.title, score: d.score, rounded: d.rounded, band: d.band })),
      criticalGaps: (current?.criticalControls ?? []).filter((c) => c.gap > 0).map((c) => c.questionId),
      attestation: { status, exceptionCount: current?.readyToAttest.exceptionCount ?? 0 },
      overdueActions: overview.actions.overdue,
      signedReports: reports.map((r) => ({ reportId: r.id, assessmentId: r.assessment_id, issuedAt: r.issued_at.toISOString(), pdfSha256: r.pdf_sha256, resultsSha256: r.results_sha256 })),
      trend: overview.trend.map((p) => ({ label: p.label, score: p.score, band: p.band, status: p.status })),
    });
    const now = this.clock.now();
    await m.query(
      `INSERT INTO group_summaries (organisation_id, summary, refreshed_at) VALUES ($1, $2, $3)
       ON CONFLICT (organisation_id) DO UPDATE SET summary = EXCLUDED.summary, refreshed_at = EXCLUDED.refreshed_at`,
      [organisationId, JSON.stringify(summary), now],
    );
    return { refreshedAt: now.toISOString() };
  }

  /**
   * For the organisation's own writes that change what its groups see (sign-off): refreshes the
   * summary only when it belongs to a group, so an organisation in none pays one indexed lookup.
   */
  async refreshIfGrouped(): Promise<void> {
    const grouped: unknown[] = await tenantManager().query(`SELECT 1 FROM group_memberships WHERE organisation_id = $1 AND status = 'member' LIMIT 1`, [
      currentMember().organisationId,
    ]);
    if (grouped.length > 0) await this.refresh();
  }

  private async groupEvent(groupId: string, action: string, data: Record<string, unknown> = {}): Promise<void> {
    const { organisationId, userId } = currentMember();
    await tenantManager().query(
      `INSERT INTO group_events (group_id, id, occurred_at, actor_id, action, organisation_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [groupId, randomUUID(), this.clock.now(), userId, action, organisationId, JSON.stringify(data)],
    );
  }
}
