import { createHash } from 'node:crypto';

import { type AcceptInvitationResponse, type CreateInvitationResponse, type Role, type SignUpRequest } from '@hoh/contracts';

import { SignUpFactory } from '../factories/user.factory.js';
import { as, orgOf } from '../support/requests.js';
import { sessionCookieFrom, type SignedInUser } from '../support/session.js';
import type { TestApp } from '../support/test-app.js';

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** An owner invites an address into their organisation; returns the one-time response. */
export async function invite(t: TestApp, owner: SignedInUser, email: string, role: Role): Promise<CreateInvitationResponse> {
  const res = await as(t, owner)
    .post(`/api/v1/orgs/${orgOf(owner)}/invitations`)
    .send({ email, role })
    .expect(201);
  return res.body as CreateInvitationResponse;
}

/** A brand-new person accepts an invitation without an account and ends up signed in. */
export async function acceptAsNewcomer(t: TestApp, token: string, person: SignUpRequest): Promise<SignedInUser> {
  const res = await t
    .http()
    .post(`/api/v1/invitations/${token}/accept`)
    .send({ name: person.name, email: person.email, password: person.password })
    .expect(200);
  const body = res.body as AcceptInvitationResponse;
  return { cookie: sessionCookieFrom(res.headers['set-cookie']), csrf: body.me.csrfToken, me: body.me, credentials: person };
}

/** Adds a new person to the owner's organisation with the given role, through the invitation flow. */
export async function addMember(t: TestApp, owner: SignedInUser, role: Role): Promise<SignedInUser> {
  const person = SignUpFactory.new().build();
  const { token } = await invite(t, owner, person.email, role);
  return acceptAsNewcomer(t, token, person);
}
