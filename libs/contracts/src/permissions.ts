import type { Role } from './auth.js';

/**
 * The role table of docs/API.md §5 (docs/PRODUCT.md §2.2), as data, in one place: the API's access
 * guard refuses with it and the web app leaves out what the server would refuse with it.
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

export const ROLE_GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: ['read', 'administer', 'manage', 'contribute', 'sign'],
  assessor: ['read', 'manage', 'contribute', 'sign'],
  contributor: ['read', 'contribute'],
  auditor: ['read', 'verify'],
};

/** Whether a member may do what a permission covers; signing also needs the accountable-individual designation. */
export function roleAllows(role: Role, permission: Permission, accountableIndividual: boolean): boolean {
  if (!ROLE_GRANTS[role].includes(permission)) return false;
  return permission !== 'sign' || accountableIndividual;
}

/** The roles that hold a permission, in the role table's order (owner first). */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_GRANTS) as Role[]).filter((role) => ROLE_GRANTS[role].includes(permission));
}
