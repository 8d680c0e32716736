import type { Role } from '@hoh/contracts';

/**
 * The role table of docs/API.md §5 (docs/PRODUCT.md §2.2), as data. Every organisation route names one permission; the guard
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

/** What each permission lets a member do, in the words of a refusal ("Only an auditor can …"). */
const WHAT: Record<Permission, string> = {
  read: 'read this organisation',
  administer: 'change the organisation’s settings, members, invitations and other people’s API tokens',
  manage: 'manage assessments, the profile, targets, reviews, all actions and reports',
  contribute: 'answer questions, add evidence and update actions',
  verify: 'record an independent verification of a signed assessment',
  sign: 'sign off an assessment',
};

const ROLES = Object.keys(GRANTS) as Role[];
const aRole = (role: Role) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
const anyOf = (roles: readonly string[]) => (roles.length < 2 ? (roles[0] ?? '') : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]!}`);

/** The roles that hold a permission, in the role table's order (owner first). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => GRANTS[role].has(permission));
}

/**
 * The 403 message for a member whose role (or designation) lacks a route's permission, derived from
 * the role table: who may do it, what the caller is, and the next step, which for a verification is
 * to invite an auditor (an owner becoming one would not be independent).
 */
export function forbiddenMessage(permission: Permission, role: Role, accountableIndividual: boolean): string {
  const allowed = rolesWith(permission);
  if (permission === 'sign' && allowed.includes(role) && !accountableIndividual) {
    return role === 'owner'
      ? 'Only the designated accountable individual can sign off. Designate them (yourself, or an assessor) in Members.'
      : 'Only the designated accountable individual can sign off. Ask an organisation owner to designate you in Members.';
  }
  const who =
    permission === 'sign'
      ? `Only ${anyOf(allowed.map(aRole))} designated as the accountable individual can ${WHAT[permission]}`
      : `Only ${anyOf(allowed.map(aRole))} can ${WHAT[permission]}`;
  const next =
    permission === 'verify'
      ? role === 'owner'
        ? 'Invite an auditor from Members.'
        : 'Ask an organisation owner to invite an auditor from Members.'
      : `Ask an organisation owner to make you ${anyOf(allowed.map(aRole))} in Members if you need this.`;
  return `${who}; your role is ${role}. ${next}`;
}
