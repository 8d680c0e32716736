import type { Role } from '@hoh/contracts';

/**
 * The role table of API.md, as data. Every organisation route names one permission; the guard
 * answers 403 when the member's role lacks it.
 */
export type Permission =
  /** read everything in the organisation (incl. audit log, evidence, reports) */
  | 'read'
  /** organisation settings, members, invitations, API tokens of others */
  | 'administer'
  /** profile, targets, create/submit assessments, assign, review, actions (all), issue reports */
  | 'manage'
  /** answer questions (contributors: only those assigned), upload/link evidence, update own actions */
  | 'contribute'
  /** record an independent verification of a signed assessment */
  | 'verify'
  /** sign off: only the designated accountable individual (checked in addition to the role) */
  | 'sign';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(['read', 'administer', 'manage', 'contribute', 'sign']),
  assessor: new Set(['read', 'manage', 'contribute', 'sign']),
  contributor: new Set(['read', 'contribute']),
  auditor: new Set(['read', 'verify']),
};

export function roleAllows(role: Role, permission: Permission, accountableIndividual: boolean): boolean {
  if (!GRANTS[role].has(permission)) return false;
  return permission !== 'sign' || accountableIndividual;
}
