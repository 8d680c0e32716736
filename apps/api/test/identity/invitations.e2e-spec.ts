import { AcceptInvitationResponseSchema, CreateInvitationResponseSchema, InvitationPageSchema } from '@hoh/contracts';

import { SignUpFactory } from '../factories/user.factory.js';
import { as, orgOf } from '../support/requests.js';
// Everyone here has confirmed their address: accepting while signed in needs it (docs/PRODUCT.md §2.5).
import { sessionCookieFrom, type SignedInUser, signUpConfirmed as signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { acceptAsNewcomer, invite, sha256Hex } from './identity-helpers.js';

describe('invitations', () => {
  let t: TestApp;
  let owner: SignedInUser;
  beforeAll(async () => {
    // Every request here comes from 127.0.0.1; account creation is throttled per IP (throttling.e2e-spec covers that).
    t = await startTestApp({ THROTTLE_SIGN_UP_PER_IP: '1000' });
    owner = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const acceptUrl = (token: string) => `/api/v1/invitations/${token}/accept`;
  const newcomerBody = (p: { name: string; email: string; password: string }) => ({ name: p.name, email: p.email, password: p.password });

  it('shows the single-use link once, stores only its hash, and writes the message to the outbox without it', async () => {
    const email = SignUpFactory.new().build().email;
    const res = await as(t, owner)
      .post(`/api/v1/orgs/${orgOf(owner)}/invitations`)
      .send({ email: `  ${email.toUpperCase()} `, role: 'assessor' })
      .expect(201);
    const created = CreateInvitationResponseSchema.parse(res.body);
    expect(created).toMatchObject({ email, role: 'assessor', invitedBy: owner.me.user.id, acceptPath: acceptUrl(created.token) });
    expect(created.token).toMatch(/^hoh_inv_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(created.expiresAt) - Date.parse(created.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);

    const [stored] = await t.ownerQuery<{ hex: string }>(`SELECT encode(token_hash, 'hex') AS hex FROM invitations WHERE id = $1`, [
      created.id,
    ]);
    expect(stored!.hex).toBe(sha256Hex(created.token));
    const secretPart = created.token.slice(8);
    expect(JSON.stringify(await t.ownerQuery('SELECT * FROM invitations'))).not.toContain(secretPart);

    const outbox = await t.ownerQuery<{
      organisation_id: string;
      kind: string;
      recipient: string;
      subject: string;
      body: string;
      data: Record<string, unknown>;
      sent_at: Date | null;
    }>('SELECT * FROM outbox WHERE recipient = $1', [email]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      organisation_id: orgOf(owner),
      kind: 'invitation',
      sent_at: null,
      data: { invitationId: created.id, role: 'assessor' },
    });
    expect(outbox[0]!.subject).toContain(owner.credentials.organisationName);
    expect(JSON.stringify(outbox[0])).not.toContain(secretPart);

    const list = InvitationPageSchema.parse(
      (
        await as(t, owner)
          .get(`/api/v1/orgs/${orgOf(owner)}/invitations`)
          .expect(200)
      ).body,
    );
    expect(list.items.find((i) => i.id === created.id)).toMatchObject({ email, role: 'assessor' });
    expect(JSON.stringify(list)).not.toContain(secretPart);
  });

  it('lets a newcomer accept with name, email and password: account created, joined with the role, signed in', async () => {
    const person = SignUpFactory.new().build();
    const { token } = await invite(t, owner, person.email, 'contributor');
    const res = await t.http().post(acceptUrl(token)).send(newcomerBody(person)).expect(200);
    const body = AcceptInvitationResponseSchema.parse(res.body);
    expect(body).toMatchObject({ organisationId: orgOf(owner), role: 'contributor', accountCreated: true });
    expect(body.me.memberships).toEqual([
      {
        organisationId: orgOf(owner),
        organisationName: owner.credentials.organisationName,
        role: 'contributor',
        accountableIndividual: false,
      },
    ]);
    const cookie = sessionCookieFrom(res.headers['set-cookie']);
    await t
      .http()
      .get(`/api/v1/orgs/${orgOf(owner)}`)
      .set('Cookie', cookie)
      .expect(200);
    // The password works for signing in later, and is stored as argon2id.
    await t.http().post('/api/v1/auth/sign-in').send({ email: person.email, password: person.password }).expect(200);
    const [user] = await t.ownerQuery<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [person.email]);
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('lets a signed-in person accept and join with the invited role, and only with the CSRF token', async () => {
    const dana = await signUp(t);
    const { token } = await invite(t, owner, dana.credentials.email, 'auditor');
    const forged = await t.http().post(acceptUrl(token)).set('Cookie', dana.cookie).expect(403);
    expect(forged.body.error.code).toBe('CSRF_FAILED');

    const res = await as(t, dana).post(acceptUrl(token)).expect(200);
    const body = AcceptInvitationResponseSchema.parse(res.body);
    expect(body).toMatchObject({ organisationId: orgOf(owner), role: 'auditor', accountCreated: false });
    expect(body.me.memberships.map((m) => m.role).sort()).toEqual(['auditor', 'owner']);
    expect(res.headers['set-cookie']).toBeUndefined();
    await as(t, dana)
      .get(`/api/v1/orgs/${orgOf(owner)}/members`)
      .expect(200);
    await as(t, dana)
      .patch(`/api/v1/orgs/${orgOf(owner)}`)
      .send({ name: 'Auditors cannot' })
      .expect(403);
  });

  it('is single use: a second accept is refused with 409, by anyone', async () => {
    const person = SignUpFactory.new().build();
    const { token } = await invite(t, owner, person.email, 'contributor');
    const joined = await acceptAsNewcomer(t, token, person);
    const again = await as(t, joined).post(acceptUrl(token)).expect(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/already been used.*Sign in/) });
    await t.http().post(acceptUrl(token)).send(newcomerBody(person)).expect(409);
  });

  it('refuses an expired invitation with 404 and keeps it out of the pending list', async () => {
    const person = SignUpFactory.new().build();
    const created = await invite(t, owner, person.email, 'assessor');
    await t.ownerQuery(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    const res = await t.http().post(acceptUrl(created.token)).send(newcomerBody(person)).expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/expired.*invite you again/) });
    const list = InvitationPageSchema.parse(
      (
        await as(t, owner)
          .get(`/api/v1/orgs/${orgOf(owner)}/invitations?limit=200`)
          .expect(200)
      ).body,
    );
    expect(list.items.map((i) => i.id)).not.toContain(created.id);
    expect((await t.ownerQuery('SELECT 1 FROM users WHERE email = $1', [person.email])).length).toBe(0);
  });

  it('withdraws an invitation so its link answers 404; withdrawing twice is 404', async () => {
    const person = SignUpFactory.new().build();
    const created = await invite(t, owner, person.email, 'assessor');
    await as(t, owner)
      .delete(`/api/v1/orgs/${orgOf(owner)}/invitations/${created.id}`)
      .expect(204);
    await t.http().post(acceptUrl(created.token)).send(newcomerBody(person)).expect(404);
    await as(t, owner)
      .delete(`/api/v1/orgs/${orgOf(owner)}/invitations/${created.id}`)
      .expect(404);
    // And the address can be invited afresh.
    await invite(t, owner, person.email, 'assessor');
  });

  it('answers 404 for an unknown or malformed token', async () => {
    for (const token of [`hoh_inv_${'A'.repeat(43)}`, 'nonsense']) {
      const res = await t.http().post(acceptUrl(token)).send(newcomerBody(SignUpFactory.new().build())).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('tells someone whose address already has an account to sign in first (409 EMAIL_IN_USE)', async () => {
    const erin = await signUp(t);
    const { token } = await invite(t, owner, erin.credentials.email, 'assessor');
    const res = await t
      .http()
      .post(acceptUrl(token))
      .send({ name: 'Erin Again', email: erin.credentials.email, password: 'another long passphrase' })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'EMAIL_IN_USE', message: expect.stringMatching(/Sign in first/) });
    // Still usable once they do.
    await as(t, erin).post(acceptUrl(token)).expect(200);
  });

  it('refuses an address other than the invited one, signed in or not (403), and leaves the invitation usable', async () => {
    const invited = SignUpFactory.new().build();
    const { token } = await invite(t, owner, invited.email, 'assessor');
    const other = SignUpFactory.new().build();
    const res = await t.http().post(acceptUrl(token)).send(newcomerBody(other)).expect(403);
    expect(res.body.error.message).toMatch(/different address/);
    const frank = await signUp(t);
    await as(t, frank).post(acceptUrl(token)).expect(403);
    await acceptAsNewcomer(t, token, invited);
  });

  it('asks a caller who is not signed in for name, email and password (400 per field)', async () => {
    const { token } = await invite(t, owner, SignUpFactory.new().build().email, 'assessor');
    const res = await t.http().post(acceptUrl(token)).expect(400);
    expect((res.body.error.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['email', 'name', 'password']);
    expect(res.body.error.message).toMatch(/Sign in first/);
    const weak = await t.http().post(acceptUrl(token)).send({ name: 'x', email: 'x@example.org', password: 'short' }).expect(400);
    expect((weak.body.error.details as { path: string }[]).map((d) => d.path)).toEqual(['password']);
  });

  it('refuses a read-only API token and accepts with a read_write one', async () => {
    const gina = await signUp(t);
    const { token } = await invite(t, owner, gina.credentials.email, 'contributor');
    const read = (await as(t, gina).post('/api/v1/auth/tokens').send({ name: 'r', scope: 'read' }).expect(201)).body.token as string;
    const write = (await as(t, gina).post('/api/v1/auth/tokens').send({ name: 'w', scope: 'read_write' }).expect(201)).body.token as string;
    await t.http().post(acceptUrl(token)).set('Authorization', `Bearer ${read}`).expect(403);
    const res = await t.http().post(acceptUrl(token)).set('Authorization', `Bearer ${write}`).expect(200);
    expect(res.body).toMatchObject({ role: 'contributor', accountCreated: false });
  });

  it('refuses to invite an existing member or an address with a pending invitation (409)', async () => {
    const member = await signUp(t);
    const first = await invite(t, owner, member.credentials.email, 'auditor');
    const pending = await as(t, owner)
      .post(`/api/v1/orgs/${orgOf(owner)}/invitations`)
      .send({ email: member.credentials.email, role: 'owner' })
      .expect(409);
    expect(pending.body.error.message).toContain(first.id);
    await as(t, member).post(acceptUrl(first.token)).expect(200);
    const already = await as(t, owner)
      .post(`/api/v1/orgs/${orgOf(owner)}/invitations`)
      .send({ email: member.credentials.email, role: 'owner' })
      .expect(409);
    expect(already.body.error.message).toMatch(/already a member/);
    const withdraw = await as(t, owner)
      .delete(`/api/v1/orgs/${orgOf(owner)}/invitations/${first.id}`)
      .expect(409);
    expect(withdraw.body.error.message).toMatch(/remove the member/);
  });

  it('lets only owners invite or list invitations (403), and hides other organisations (404)', async () => {
    const assessor = await signUp(t);
    const { token } = await invite(t, owner, assessor.credentials.email, 'assessor');
    await as(t, assessor).post(acceptUrl(token)).expect(200);
    const url = `/api/v1/orgs/${orgOf(owner)}/invitations`;
    expect((await as(t, assessor).post(url).send({ email: 'someone@example.org', role: 'owner' }).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
    await as(t, assessor).get(url).expect(403);
    const outsider = await signUp(t);
    await as(t, outsider).post(url).send({ email: 'someone@example.org', role: 'owner' }).expect(404);
    const created = await invite(t, owner, SignUpFactory.new().build().email, 'auditor');
    await as(t, outsider)
      .delete(`/api/v1/orgs/${orgOf(outsider)}/invitations/${created.id}`)
      .expect(404);
  });

  it('audits creation, withdrawal and acceptance, with the newcomer as the actor of the acceptance', async () => {
    const boss = await signUp(t);
    const person = SignUpFactory.new().build();
    const withdrawn = await invite(t, boss, SignUpFactory.new().build().email, 'auditor');
    await as(t, boss)
      .delete(`/api/v1/orgs/${orgOf(boss)}/invitations/${withdrawn.id}`)
      .expect(204);
    const { token, id } = await invite(t, boss, person.email, 'assessor');
    const joined = await acceptAsNewcomer(t, token, person);
    const log = await as(t, boss)
      .get(`/api/v1/orgs/${orgOf(boss)}/audit-log`)
      .expect(200);
    const entries = log.body.items as { action: string; actorId: string; data: Record<string, unknown> }[];
    expect(entries.map((e) => e.action)).toEqual(['invitation.created', 'invitation.revoked', 'invitation.created', 'invitation.accepted']);
    expect(entries[3]).toMatchObject({ actorId: joined.me.user.id, data: { invitationId: id, role: 'assessor', accountCreated: true } });
    expect(JSON.stringify(entries)).not.toContain(token.slice(8));
    expect(
      (
        await as(t, boss)
          .get(`/api/v1/orgs/${orgOf(boss)}/audit-log/verify`)
          .expect(200)
      ).body,
    ).toMatchObject({ intact: true, checked: 4 });
  });

  it('looks tokens up only through a SECURITY DEFINER function owned by hoh_lookup; hoh_app sees no invitations without a tenant', async () => {
    const created = await invite(t, owner, SignUpFactory.new().build().email, 'auditor');
    expect(await t.appQuery('SELECT * FROM invitations')).toEqual([]);
    expect(await t.appQuery('SELECT * FROM outbox')).toEqual([]);
    const viaFunction = await t.appQuery<{ invitation_id: string }>('SELECT invitation_id FROM hoh_invitation_by_token($1)', [
      Buffer.from(sha256Hex(created.token), 'hex'),
    ]);
    expect(viaFunction).toEqual([{ invitation_id: created.id }]);
    const [fn] = await t.ownerQuery<{ definer: boolean; owner: string }>(
      `SELECT p.prosecdef AS definer, r.rolname AS owner FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname = 'hoh_invitation_by_token'`,
    );
    expect(fn).toEqual({ definer: true, owner: 'hoh_lookup' });
  });

  it('pages pending invitations with limit and cursor', async () => {
    const boss = await signUp(t);
    for (let i = 0; i < 3; i++) await invite(t, boss, SignUpFactory.new().build().email, 'auditor');
    const url = `/api/v1/orgs/${orgOf(boss)}/invitations`;
    const first = InvitationPageSchema.parse((await as(t, boss).get(`${url}?limit=2`).expect(200)).body);
    expect(first.items).toHaveLength(2);
    const second = InvitationPageSchema.parse((await as(t, boss).get(`${url}?limit=2&cursor=${first.nextCursor}`).expect(200)).body);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    await as(t, boss).get(`${url}?cursor=garbage`).expect(400);
  });
});
