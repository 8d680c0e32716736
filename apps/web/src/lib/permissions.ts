import { type Membership, type Permission, type Role, roleAllows } from '@hoh/contracts';

export type { Permission };

/** Whether the server would allow it (the role table in @hoh/contracts), so the UI leaves out what it would refuse. */
export function can(membership: Pick<Membership, 'role' | 'accountableIndividual'>, permission: Permission): boolean {
  return roleAllows(membership.role, permission, membership.accountableIndividual);
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  assessor: 'Assessor',
  contributor: 'Contributor',
  auditor: 'Auditor (read-only)',
};
