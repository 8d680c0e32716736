import { InvitationPreviewSchema } from '@hoh/contracts';

import { redactPath } from '../../src/app.setup.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { acceptAsNewcomer, invite } from './identity-helpers.js';

/**
 * GET /api/v1/invitations/{token} (issue 24 item 7; docs/API.md §2.5): the holder of a link sees
 * what it is before accepting, and nothing else; the token is the only key.
 */
describe('invitation preview', () => {
  let t: TestApp;
  let alice: SignedInUser;
  let bob: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_SIGN_UP_PER_IP: '1000' });
    alice = await signUp(t);
    bob = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const preview = (token: string) => t.http().get(`/api/v1/invitations/${token}`);

  it('tells the link holder, signed out, the organisation, role, inviter, invited email and expiry, and nothing else', async () => {
    const email = SignUpFactory.new().build().email;
    const created = await invite(t, alice, email, 'auditor');
    const res = await preview(created.token).expect(200);
    expect(res.body).toEqual({
      organisationName: alice.credentials.organisationName,
      role: 'auditor',
      inviterName: alice.credentials.name,
      email,
      expiresAt: created.expiresAt,
    });
    InvitationPreviewSchema.strict().parse(res.body);
    // No ids: the organisation, the inviter and the invitation stay unnamed to whoever holds a link.
    expect(JSON.stringify(res.body)).not.toContain(orgOf(alice));
    expect(JSON.stringify(res.body)).not.toContain(alice.me.user.id);
    expect(JSON.stringify(res.body)).not.toContain(created.id);
    expect(res.headers['cache-control']).toMatch(/no-store/);
  });

  it('answers an unknown or malformed token 404 with what to do, and never a 5xx', async () => {
    for (const token of ['hoh_inv_' + 'A'.repeat(43), 'nonsense', 'hoh_inv_', '%00']) {
      const res = await preview(token).expect(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/invite you again/) });
    }
    // Far longer than any token: Fastify refuses the path parameter itself (414) before any handler.
    expect((await preview('hoh_inv_' + 'A'.repeat(500))).status).toBe(414);
  });

  it('answers an expired or withdrawn invitation 404 and a used one 409, as accepting does', async () => {
    const expired = await invite(t, alice, SignUpFactory.new().build().email, 'contributor');
    await t.ownerQuery(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    expect((await preview(expired.token).expect(404)).body.error.message).toMatch(/expired/);

    const withdrawn = await invite(t, alice, SignUpFactory.new().build().email, 'contributor');
    await as(t, alice).delete(`/api/v1/orgs/${orgOf(alice)}/invitations/${withdrawn.id}`).expect(204);
    await preview(withdrawn.token).expect(404);

    const person = SignUpFactory.new().build();
    const used = await invite(t, alice, person.email, 'assessor');
    await preview(used.token).expect(200);
    await acceptAsNewcomer(t, used.token, person);
    expect((await preview(used.token).expect(409)).body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/Sign in/) });
  });

  it('shows each organisation only its own invitation: a token never reaches another tenant, nor does an invitation id', async () => {
    const forAlice = await invite(t, alice, SignUpFactory.new().build().email, 'assessor');
    const forBob = await invite(t, bob, SignUpFactory.new().build().email, 'contributor');
    expect((await preview(forAlice.token).expect(200)).body.organisationName).toBe(alice.credentials.organisationName);
    const bobs = (await preview(forBob.token).expect(200)).body;
    expect(bobs).toMatchObject({ organisationName: bob.credentials.organisationName, inviterName: bob.credentials.name, role: 'contributor' });
    expect(JSON.stringify(bobs)).not.toContain(alice.credentials.organisationName);
    // Signed in as Bob, Alice's link still shows Alice's invitation and nothing of Bob's organisation.
    expect((await as(t, bob).get(`/api/v1/invitations/${forAlice.token}`).expect(200)).body.organisationName).toBe(alice.credentials.organisationName);
    // The invitation's id (listed to owners) is not its token.
    await preview(forAlice.id).expect(404);
  });

  it('keeps the token out of the request log', () => {
    expect(redactPath('/api/v1/invitations/hoh_inv_secret?x=1')).toBe('/api/v1/invitations/:token');
    expect(redactPath('/api/v1/invitations/hoh_inv_secret/accept')).toBe('/api/v1/invitations/:token/accept');
    expect(redactPath('/api/v1/orgs/o/invitations/1234')).toBe('/api/v1/orgs/o/invitations/1234');
  });
});
