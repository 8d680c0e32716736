import { type Permission, type Role, rolesWith } from '@hoh/contracts';

// The role table itself is in the contracts (libs/contracts/src/permissions.ts), shared with the web
// app; the refusal's wording, which only the API sends, is here.

/** What each permission lets a member do, in the words of a refusal ("Only an auditor can …"). */
const WHAT: Record<Permission, string> = {
  read: 'read this organisation',
  administer: 'change the organisation’s settings, members, invitations and other people’s API tokens',
  manage: 'manage assessments, the profile, targets, reviews, all actions and reports',
  contribute: 'answer questions, add evidence and update actions',
  verify: 'record an independent verification of a signed assessment',
  sign: 'sign off an assessment',
};

const aRole = (role: Role) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
const anyOf = (roles: readonly string[]) => (roles.length < 2 ? (roles[0] ?? '') : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]!}`);

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
