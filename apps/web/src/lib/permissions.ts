import type { Membership, Role } from '@hoh/contracts';

/** docs/API.md §5 as data, so the UI leaves out what the server would refuse. */
export type Permission = 'read' | 'administer' | 'manage' | 'contribute' | 'verify' | 'sign';

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'administer', 'manage', 'contribute', 'sign'],
  assessor: ['read', 'manage', 'contribute', 'sign'],
  contributor: ['read', 'contribute'],
  auditor: ['read', 'verify'],
};

export function can(membership: Pick<Membership, 'role' | 'accountableIndividual'>, permission: Permission): boolean {
  if (!GRANTS[membership.role].includes(permission)) {
    return false;
  }
  return permission !== 'sign' || membership.accountableIndividual;
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  assessor: 'Assessor',
  contributor: 'Contributor',
  auditor: 'Auditor (read-only)',
};
