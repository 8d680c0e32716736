import type { MemberContext } from '../../common/auth/access.decorators.js';

/** The named system actor mail delivery runs as inside an organisation: no person, read and mark only. */
export const MAIL_ACTOR = { id: '00000000-0000-0000-0000-0000000a11ed', name: 'system:mail' } as const;

export const mailMember = (organisationId: string): MemberContext => ({
  organisationId,
  userId: MAIL_ACTOR.id,
  role: 'auditor',
  accountableIndividual: false,
});
