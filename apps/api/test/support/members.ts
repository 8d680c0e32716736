import type { Role } from '@hoh/contracts';

import { type SignedInUser, signUp } from './session.js';
import type { TestApp } from './test-app.js';

/**
 * A new person who is also a member of `organisationId` with `role` (written directly as the
 * owner: test set-up only, so these tests do not depend on the invitation flow).
 */
export async function addMember(t: TestApp, organisationId: string, role: Role, accountableIndividual = false): Promise<SignedInUser> {
  const user = await signUp(t);
  await t.ownerQuery('INSERT INTO memberships (organisation_id, user_id, role, accountable_individual) VALUES ($1, $2, $3, $4)', [
    organisationId,
    user.me.user.id,
    role,
    accountableIndividual,
  ]);
  return user;
}
