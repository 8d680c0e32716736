import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import {
  type AddGroupViewerRequest,
  type CreateGroupRequest,
  type Group,
  type GroupDashboard,
  type GroupDashboardQuery,
  type GroupDetail,
  type GroupList,
  type GroupRole,
  type InviteOrganisationRequest,
  type OrganisationSummary,
  OrganisationSummarySchema,
} from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { Clock } from '../../config/clock.js';
import { prepared } from '../../database/prepared-statements.js';
import { AuditService } from '../audit/audit.service.js';
import { isForeignKeyViolation, runAsGroupCaller } from './group-context.js';

const NO_GROUP = 'No such group, or you are not in it. Check the group id in the address, or ask its owner to add you.';
const ONLY_OWNER = 'Only the group’s owner can do this; your role in it is viewer. Ask the group’s owner.';

interface GroupRow {
  group_id: string;
  name: string;
  created_at: Date;
  role: GroupRole | null;
}

interface SummaryRow {
  organisation_id: string;
  joined_at: string;
  refreshed_at: string | null;
  summary: unknown;
}

// The group and the caller's role in it; RLS hides a group the caller holds no role in (hoh_group_role).
const GROUP_SQL = prepared(`SELECT g.group_id, g.name, g.created_at, hoh_group_role(g.group_id) AS role FROM groups g WHERE g.group_id = $1`);
// The whole dashboard in one statement whatever the group's size: the group, the caller's role and
// its current members' summaries through the one narrow function (docs/PRODUCT.md §16).
const DASHBOARD_SQL = prepared(`
  SELECT g.group_id, g.name, g.created_at, hoh_group_role(g.group_id) AS role,
    (SELECT coalesce(json_agg(s), '[]') FROM hoh_group_summaries(g.group_id) s) AS members
  FROM groups g WHERE g.group_id = $1`);

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/**
 * Groups as their owners and viewers see them (docs/PRODUCT.md §16). Every statement runs as the
 * person in no organisation (runAsGroupCaller), so the group tables' row-level security decides what
 * they see; member organisations' data is reached only through hoh_group_summaries.
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async create(userId: string, body: CreateGroupRequest): Promise<Group> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      const owns: unknown[] = await m.query(`SELECT 1 FROM hoh_memberships_of($1) WHERE role = 'owner' LIMIT 1`, [userId]);
      if (owns.length === 0) throw new AppError('FORBIDDEN', 'Only an organisation owner can create a group. Ask the owner of one of your organisations to create it and add you as a viewer.');
      const id = randomUUID();
      const now = this.clock.now();
      await m.query(`INSERT INTO groups (group_id, name, created_by, created_at) VALUES ($1, $2, $3, $4)`, [id, body.name, userId, now]);
      await m.query(`INSERT INTO group_roles (group_id, user_id, role, added_by, added_at) VALUES ($1, $2, 'owner', $2, $3)`, [id, userId, now]);
      await this.event(m, id, userId, 'group.created', null, { name: body.name });
      return { id, name: body.name, role: 'owner', createdAt: now.toISOString() };
    });
  }

  async list(userId: string): Promise<GroupList> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      const rows: { group_id: string; name: string; created_at: Date; role: GroupRole }[] = await m.query(
        `SELECT g.group_id, g.name, g.created_at, r.role FROM group_roles r JOIN groups g ON g.group_id = r.group_id
         WHERE r.user_id = $1 ORDER BY g.name, g.group_id`,
        [userId],
      );
      return { groups: rows.map((r) => ({ id: r.group_id, name: r.name, role: r.role, createdAt: r.created_at.toISOString() })) };
    });
  }

  async detail(userId: string, groupId: string): Promise<GroupDetail> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      const group = await this.groupOf(m, groupId);
      const [memberships, people, events, names] = [
        await m.query<
          { organisation_id: string; status: 'invited' | 'member' | 'ended'; invited_at: Date; joined_at: Date | null; ended_at: Date | null; ended_side: 'group' | 'organisation' | null }[]
        >(
          `SELECT organisation_id, status, invited_at, joined_at, ended_at, ended_side FROM group_memberships WHERE group_id = $1 ORDER BY invited_at, organisation_id`,
          [groupId],
        ),
        await m.query<{ user_id: string; name: string; email: string; role: GroupRole; added_at: Date }[]>(
          `SELECT r.user_id, u.name, u.email, r.role, r.added_at FROM group_roles r JOIN users u ON u.id = r.user_id WHERE r.group_id = $1 ORDER BY r.role, u.name, r.user_id`,
          [groupId],
        ),
        await m.query<{ id: string; occurred_at: Date; actor_id: string; action: string; organisation_id: string | null }[]>(
          `SELECT id, occurred_at, actor_id, action, organisation_id FROM group_events WHERE group_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 50`,
          [groupId],
        ),
        // Names come from the members' own summaries: an invited or former member shows none.
        await m.query<{ organisation_id: string; name: string | null }[]>(`SELECT organisation_id, summary->>'name' AS name FROM hoh_group_summaries($1)`, [groupId]),
      ];
      const nameOf = new Map(names.map((n) => [n.organisation_id, n.name]));
      return {
        ...group,
        organisations: memberships.map((r) => ({
          organisationId: r.organisation_id,
          name: r.status === 'member' ? (nameOf.get(r.organisation_id) ?? null) : null,
          status: r.status,
          invitedAt: r.invited_at.toISOString(),
          joinedAt: r.status === 'invited' ? null : iso(r.joined_at),
          endedAt: iso(r.ended_at),
          endedBy: r.ended_side,
        })),
        people: people.map((p) => ({ userId: p.user_id, name: p.name, email: p.email, role: p.role, addedAt: p.added_at.toISOString() })),
        events: events.map((e) => ({ id: e.id, occurredAt: e.occurred_at.toISOString(), actorId: e.actor_id, action: e.action, organisationId: e.organisation_id })),
      };
    });
  }

  /** Invites an organisation by its id; it joins only when its own owner accepts (OrganisationGroupsService.accept). */
  async invite(userId: string, groupId: string, body: InviteOrganisationRequest): Promise<GroupDetail['organisations'][number]> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.ownerOf(m, groupId);
      const now = this.clock.now();
      let rows: { status: string; invited_at: Date }[];
      try {
        // A former member may be invited again; a pending or current one may not.
        rows = await m.query(
          `WITH i AS (
             INSERT INTO group_memberships AS gm (group_id, organisation_id, status, invited_by, invited_at) VALUES ($1, $2, 'invited', $3, $4)
             ON CONFLICT (group_id, organisation_id) DO UPDATE
               SET status = 'invited', invited_by = EXCLUDED.invited_by, invited_at = EXCLUDED.invited_at, joined_at = NULL, accepted_by = NULL,
                   ended_at = NULL, ended_by = NULL, ended_side = NULL
               WHERE gm.status = 'ended'
             RETURNING gm.status, gm.invited_at)
           SELECT status, invited_at FROM i`,
          [groupId, body.organisationId, userId, now],
        );
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new AppError('NOT_FOUND', 'No organisation has that id. Ask its owner for the organisation id shown on its Groups page (Settings → Groups).');
        }
        throw error;
      }
      if (rows.length === 0) {
        throw new AppError('INVALID_STATE', 'That organisation is already invited to or a member of this group. Wait for its owner to accept, or end its membership first.');
      }
      await this.event(m, groupId, userId, 'group.organisation_invited', body.organisationId, {});
      return { organisationId: body.organisationId, name: null, status: 'invited', invitedAt: now.toISOString(), joinedAt: null, endedAt: null, endedBy: null };
    });
  }

  /**
   * The group's side of ending a membership (or withdrawing an invitation): gone from the group's
   * next read, with an entry in the group's trail and in the organisation's own audit chain.
   */
  async endMembership(userId: string, groupId: string, organisationId: string): Promise<void> {
    await runAsGroupCaller(this.dataSource, userId, async (m) => {
      const group = await this.ownerOf(m, groupId);
      const now = this.clock.now();
      const ended: { was: string }[] = await m.query(
        `WITH before AS (SELECT status FROM group_memberships WHERE group_id = $1 AND organisation_id = $2 AND status IN ('invited', 'member') FOR UPDATE),
         u AS (UPDATE group_memberships SET status = 'ended', ended_at = $3, ended_by = $4, ended_side = 'group'
               WHERE group_id = $1 AND organisation_id = $2 AND status IN ('invited', 'member') RETURNING organisation_id)
         SELECT b.status AS was FROM before b, u`,
        [groupId, organisationId, now, userId],
      );
      if (ended.length === 0) throw new AppError('NOT_FOUND', 'That organisation is not invited to or a member of this group. Check the organisation id in the group’s list.');
      await this.event(m, groupId, userId, 'group.membership_ended', organisationId, { side: 'group', was: ended[0]!.was });
      // The organisation's side of the record, in the same transaction: its own chain, with this
      // transaction's tenant set to it for that one append (and cleared when it ends).
      await m.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
      await this.audit.append(
        { action: 'group.membership_ended', entityType: 'group', entityId: groupId, data: { side: 'group', groupName: group.name, was: ended[0]!.was } },
        m,
        { organisationId, userId, role: 'owner', accountableIndividual: false },
      );
      await m.query(`SELECT set_config('app.org_id', '', true)`);
    });
  }

  async addViewer(userId: string, groupId: string, body: AddGroupViewerRequest): Promise<GroupDetail['people'][number]> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.ownerOf(m, groupId);
      // A viewer is someone who already belongs to an organisation here: a person, not an address.
      const [person]: { id: string; name: string; email: string; verified: boolean }[] = await m.query(
        `SELECT u.id, u.name, u.email, u.email_verified_at IS NOT NULL AS verified FROM users u WHERE u.email = $1 AND EXISTS (SELECT 1 FROM hoh_memberships_of(u.id))`,
        [body.email],
      );
      if (!person) throw new AppError('NOT_FOUND', 'No member of an organisation signs in with that email. Ask them to sign up or accept an invitation to their organisation first.');
      // An address matched but never confirmed may belong to someone other than the person meant
      // (docs/PRODUCT.md §2.5): a group's view is never given by an unconfirmed email match.
      if (!person.verified) {
        throw new AppError('EMAIL_NOT_VERIFIED', 'That person has not confirmed their email address yet. Ask them to follow the confirmation link we emailed them (or send a new one from their account), then add them again.');
      }
      const now = this.clock.now();
      const added: unknown[] = await m.query(
        `WITH i AS (INSERT INTO group_roles (group_id, user_id, role, added_by, added_at) VALUES ($1, $2, 'viewer', $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING RETURNING user_id)
         SELECT user_id FROM i`,
        [groupId, person.id, userId, now],
      );
      if (added.length === 0) throw new AppError('INVALID_STATE', 'That person is already in this group.');
      await this.event(m, groupId, userId, 'group.viewer_added', null, { userId: person.id });
      return { userId: person.id, name: person.name, email: person.email, role: 'viewer', addedAt: now.toISOString() };
    });
  }

  async removeViewer(userId: string, groupId: string, viewerId: string): Promise<void> {
    await runAsGroupCaller(this.dataSource, userId, async (m) => {
      await this.ownerOf(m, groupId);
      const removed: unknown[] = await m.query(
        `WITH d AS (DELETE FROM group_roles WHERE group_id = $1 AND user_id = $2 AND role = 'viewer' RETURNING user_id) SELECT user_id FROM d`,
        [groupId, viewerId],
      );
      if (removed.length === 0) throw new AppError('NOT_FOUND', 'No viewer with that id in this group. The group’s owner cannot be removed.');
      await this.event(m, groupId, userId, 'group.viewer_removed', null, { userId: viewerId });
    });
  }

  /**
   * The group dashboard (docs/PRODUCT.md §16.3): one statement, whatever the group's size. Summaries
   * that fail their contract (written by an older version) show as not yet published rather than
   * failing the whole page.
   */
  async dashboard(userId: string, groupId: string, filters: GroupDashboardQuery): Promise<GroupDashboard> {
    const [row] = await runAsGroupCaller(this.dataSource, userId, (m) => m.query<(GroupRow & { members: SummaryRow[] })[]>(DASHBOARD_SQL, [groupId]));
    if (!row?.role) throw new AppError('NOT_FOUND', NO_GROUP);
    const all = row.members.map((s) => {
      const parsed = s.summary === null ? null : OrganisationSummarySchema.safeParse(s.summary);
      return { organisationId: s.organisation_id, joinedAt: iso(s.joined_at)!, refreshedAt: iso(s.refreshed_at), summary: parsed?.success ? parsed.data : null };
    });
    const kept = (summary: OrganisationSummary | null): boolean =>
      (filters.jurisdiction === undefined || (summary?.headline.jurisdictions.includes(filters.jurisdiction) ?? false)) &&
      (filters.serviceType === undefined || (summary?.headline.services.includes(filters.serviceType) ?? false));
    const shown = all.filter((o) => kept(o.summary));

    const domains = new Map<string, string>();
    const gaps = new Map<string, string[]>();
    const totals = { shown: shown.length, signed: 0, ready: 0, notReady: 0, noAssessment: 0, overdueActions: 0 };
    for (const o of shown) {
      const s = o.summary;
      if (!s) {
        totals.noAssessment += 1;
        continue;
      }
      for (const d of s.domains) if (!domains.has(d.domainId)) domains.set(d.domainId, d.title);
      for (const q of s.criticalGaps) gaps.set(q, [...(gaps.get(q) ?? []), o.organisationId]);
      totals.overdueActions += s.overdueActions;
      if (s.attestation.status === 'signed') totals.signed += 1;
      else if (s.attestation.status === 'ready') totals.ready += 1;
      else if (s.attestation.status === 'not_ready') totals.notReady += 1;
      else totals.noAssessment += 1;
    }
    const sharedGaps = [...gaps.entries()]
      .map(([questionId, ids]) => ({ questionId, organisations: ids.length, organisationIds: ids }))
      .sort((a, b) => b.organisations - a.organisations || a.questionId.localeCompare(b.questionId));
    return {
      group: { id: row.group_id, name: row.name, role: row.role, createdAt: row.created_at.toISOString() },
      filters,
      memberCount: all.length,
      domains: [...domains.entries()].map(([domainId, title]) => ({ domainId, title })),
      organisations: shown,
      sharedGaps,
      totals,
    };
  }

  private async groupOf(m: EntityManager, groupId: string): Promise<Group> {
    const [row]: GroupRow[] = await m.query(GROUP_SQL, [groupId]);
    if (!row?.role) throw new AppError('NOT_FOUND', NO_GROUP);
    return { id: row.group_id, name: row.name, role: row.role, createdAt: row.created_at.toISOString() };
  }

  private async ownerOf(m: EntityManager, groupId: string): Promise<Group> {
    const group = await this.groupOf(m, groupId);
    if (group.role !== 'owner') throw new AppError('FORBIDDEN', ONLY_OWNER);
    return group;
  }

  private async event(m: EntityManager, groupId: string, actorId: string, action: string, organisationId: string | null, data: Record<string, unknown>): Promise<void> {
    await m.query(`INSERT INTO group_events (group_id, id, occurred_at, actor_id, action, organisation_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      groupId,
      randomUUID(),
      this.clock.now(),
      actorId,
      action,
      organisationId,
      JSON.stringify(data),
    ]);
  }
}
