import type { MemberContext } from '../../common/auth/access.decorators.js';

/**
 * The named system actor scheduled work runs as inside an organisation (docs/API.md, audit log):
 * a fixed id that belongs to no user, so an audit entry by it can never be mistaken for a person's,
 * and the name its entries carry in `data.systemActor`.
 */
export const REMINDERS_ACTOR = { id: '00000000-0000-0000-0000-00000000a11e', name: 'system:reminders' } as const;

/** The member the reminder work runs as in `organisationId`: no person, and no more than read and notify. */
export const remindersMember = (organisationId: string): MemberContext => ({
  organisationId,
  userId: REMINDERS_ACTOR.id,
  role: 'auditor',
  accountableIndividual: false,
});
