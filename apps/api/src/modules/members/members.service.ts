import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { Member, Role, UpdateMemberRequest } from '@hoh/contracts';

import { AppError, notFound } from '../../common/app-error.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';

interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  role: Role;
  accountable_individual: boolean;
  created_at: Date;
}

const CAN_BE_ACCOUNTABLE: ReadonlySet<Role> = new Set(['owner', 'assessor']);

const toMember = (r: MemberRow): Member => ({
  userId: r.user_id,
  name: r.name,
  email: r.email,
  role: r.role,
  accountableIndividual: r.accountable_individual,
  joinedAt: r.created_at.toISOString(),
});

/**
 * Serialises every change to who belongs to an organisation (members and invitations), so two owners
 * demoting each other at once cannot leave it with none.
 */
export async function lockMembership(manager: EntityManager, organisationId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('members:' || $1, 0))`, [organisationId]);
}

/**
 * Role changes, the accountable-individual designation and removal. The access guard reads the
 * membership afresh on every request, so a change here applies from the member's next request.
 */
@Injectable()
export class MembersService {
  constructor(private readonly audit: AuditService) {}

  private async find(manager: EntityManager, organisationId: string, userId: string): Promise<MemberRow | undefined> {
    const rows: MemberRow[] = await manager.query(
      `SELECT m.user_id, u.name, u.email, m.role, m.accountable_individual, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 AND m.user_id = $2`,
      [organisationId, userId],
    );
    return rows[0];
  }

  /** The organisation's member with this user id, or undefined: for other modules (assignments, sign-off) instead of their own SQL on memberships. */
  async member(userId: string): Promise<Member | undefined> {
    const row = await this.find(tenantManager(), currentMember().organisationId, userId);
    return row && toMember(row);
  }

  private async isLastOwner(manager: EntityManager, organisationId: string, userId: string): Promise<boolean> {
    const rows: { n: string }[] = await manager.query(
      `SELECT count(*) AS n FROM memberships WHERE organisation_id = $1 AND role = 'owner' AND user_id <> $2`,
      [organisationId, userId],
    );
    return Number(rows[0]?.n ?? 0) === 0;
  }

  async update(userId: string, input: UpdateMemberRequest): Promise<Member> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    await lockMembership(manager, organisationId);
    const before = await this.find(manager, organisationId, userId);
    if (!before) throw notFound('member');

    const role = input.role ?? before.role;
    const accountable = input.accountableIndividual ?? before.accountable_individual;
    if (accountable && !CAN_BE_ACCOUNTABLE.has(role)) {
      throw new AppError(
        'INVALID_STATE',
        input.accountableIndividual
          ? `Only an owner or assessor can be the accountable individual. Make this member an owner or assessor first (or in the same request).`
          : `This member is the accountable individual, who must be an owner or assessor. Designate someone else first, or send accountableIndividual: false with the new role.`,
      );
    }
    if (before.role === 'owner' && role !== 'owner' && (await this.isLastOwner(manager, organisationId, userId))) {
      throw new AppError(
        'INVALID_STATE',
        'This is the last owner; an organisation always keeps one. Make another member an owner first, then change this role.',
      );
    }
    if (role === before.role && accountable === before.accountable_individual) return toMember(before);

    // One accountable individual per organisation: designating someone undesignates the previous one.
    let undesignated: string[] = [];
    if (accountable && !before.accountable_individual) {
      const cleared: { user_id: string }[] = await manager.query(
        `WITH cleared AS (UPDATE memberships SET accountable_individual = false
                          WHERE organisation_id = $1 AND accountable_individual AND user_id <> $2 RETURNING user_id)
         SELECT user_id FROM cleared`,
        [organisationId, userId],
      );
      undesignated = cleared.map((r) => r.user_id);
    }
    await manager.query(`UPDATE memberships SET role = $3, accountable_individual = $4 WHERE organisation_id = $1 AND user_id = $2`, [
      organisationId,
      userId,
      role,
      accountable,
    ]);
    const data: Record<string, unknown> = { userId };
    if (role !== before.role) data['role'] = { from: before.role, to: role };
    if (accountable !== before.accountable_individual)
      data['accountableIndividual'] = { from: before.accountable_individual, to: accountable };
    if (undesignated.length > 0) data['undesignated'] = undesignated;
    await this.audit.append({ action: 'member.updated', entityType: 'membership', entityId: userId, data });
    return toMember({ ...before, role, accountable_individual: accountable });
  }

  async remove(userId: string): Promise<void> {
    const { organisationId } = currentMember();
    const manager = tenantManager();
    await lockMembership(manager, organisationId);
    const before = await this.find(manager, organisationId, userId);
    if (!before) throw notFound('member');
    if (before.role === 'owner' && (await this.isLastOwner(manager, organisationId, userId))) {
      throw new AppError(
        'INVALID_STATE',
        'This is the last owner; an organisation always keeps one. Make another member an owner first, then remove this one.',
      );
    }
    await manager.query('DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2', [organisationId, userId]);
    await this.audit.append({
      action: 'member.removed',
      entityType: 'membership',
      entityId: userId,
      data: { userId, role: before.role, accountableIndividual: before.accountable_individual },
    });
  }
}
