import { Injectable } from '@nestjs/common';

import type { MemberPage, OrganisationResponse, Role, UpdateOrganisationRequest } from '@hoh/contracts';

import { AppError, notFound } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { OrganisationEntity } from './entities/organisation.entity.js';

const toResponse = (o: OrganisationEntity): OrganisationResponse => ({
  id: o.organisationId,
  name: o.name,
  version: o.version,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
  settings: { requireEmptyAttestationCheck: o.requireEmptyAttestationCheck, secondFactorPolicy: o.secondFactorPolicy },
});

@Injectable()
export class OrganisationsService {
  constructor(private readonly audit: AuditService) {}

  async get(): Promise<OrganisationResponse> {
    const { organisationId } = currentMember();
    const org = await tenantManager().getRepository(OrganisationEntity).findOne({ where: { organisationId } });
    if (!org) throw notFound('organisation');
    return toResponse(org);
  }

  async update(input: UpdateOrganisationRequest, ifMatch: number | undefined): Promise<OrganisationResponse> {
    const { organisationId } = currentMember();
    const repo = tenantManager().getRepository(OrganisationEntity);
    const before = await repo.findOne({ where: { organisationId } });
    if (!before) throw notFound('organisation');
    checkOptionalIfMatch(ifMatch, before.version, toResponse(before));
    // Conditional update: a concurrent writer that got in first leaves 0 rows here, never a lost update.
    const rows: OrganisationEntity[] = await tenantManager().query(
      // Wrapped in a CTE because TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
      `WITH updated AS (
         UPDATE organisations SET name = $2, require_empty_attestation_check = $4, second_factor_policy = $5, version = version + 1, updated_at = now()
         WHERE organisation_id = $1 AND version = $3
         RETURNING organisation_id AS "organisationId", name, require_empty_attestation_check AS "requireEmptyAttestationCheck",
                   second_factor_policy AS "secondFactorPolicy", version, created_at AS "createdAt", updated_at AS "updatedAt")
       SELECT * FROM updated`,
      [
        organisationId,
        input.name ?? before.name,
        before.version,
        input.requireEmptyAttestationCheck ?? before.requireEmptyAttestationCheck,
        input.secondFactorPolicy ?? before.secondFactorPolicy,
      ],
    );
    const after = rows[0];
    if (!after) throw new AppError('PRECONDITION_FAILED', 'Someone else changed the organisation at the same moment; reload and try again.');
    await this.audit.append({ action: 'organisation.updated', entityType: 'organisation', entityId: organisationId, data: {
        before: { name: before.name, requireEmptyAttestationCheck: before.requireEmptyAttestationCheck, secondFactorPolicy: before.secondFactorPolicy },
        after: { name: after.name, requireEmptyAttestationCheck: after.requireEmptyAttestationCheck, secondFactorPolicy: after.secondFactorPolicy },
      },
    });
    return toResponse(after);
  }

  async members(limit: number, cursor: string | undefined): Promise<MemberPage> {
    const { organisationId } = currentMember();
    const after = decodeCursor(cursor);
    const rows: { user_id: string; name: string; email: string; role: Role; accountable_individual: boolean; created_at: Date; created_key: string }[] = await tenantManager().query(
      `SELECT m.user_id, u.name, u.email, m.role, m.accountable_individual, m.created_at, m.created_at::text AS created_key
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = $1 AND ($2::timestamptz IS NULL OR (m.created_at, m.user_id) > ($2::timestamptz, $3::uuid))
       ORDER BY m.created_at, m.user_id LIMIT $4`,
      [organisationId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, role: r.role, accountableIndividual: r.accountable_individual, joinedAt: r.created_at.toISOString() })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.user_id) : null,
    };
  }
}
