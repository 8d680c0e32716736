import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Role } from '@hoh/contracts';

import { runAsMember } from '../../../database/tenant-context.js';
import { AuditService } from '../../audit/audit.service.js';

/**
 * Account events (a password changed, two-factor authentication turned on or off, a recovery code
 * used) belong to a person, not to one organisation, but each organisation relies on its members'
 * sign-in: so the entry goes into the audit chain of every organisation the person belongs to, as
 * that member, entity `user` with their id. Never the secret or code itself.
 */
@Injectable()
export class AccountAudit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async record(userId: string, action: string, data: Record<string, unknown> = {}): Promise<void> {
    const memberships = await this.dataSource.query<{ organisation_id: string; role: Role; accountable_individual: boolean }[]>(
      'SELECT organisation_id, role, accountable_individual FROM hoh_memberships_of($1)',
      [userId],
    );
    for (const m of memberships) {
      const member = { organisationId: m.organisation_id, userId, role: m.role, accountableIndividual: m.accountable_individual };
      await runAsMember(this.dataSource, member, () => this.audit.append({ action, entityType: 'user', entityId: userId, data }));
    }
  }
}
