import { randomBytes } from 'node:crypto';

import {
  CreateInvitationResponseSchema,
  EMAIL_VERIFICATION_TOKEN_PREFIX,
  MeResponseSchema,
  type PasskeyAssertion,
  PasskeyListSchema,
  type PasskeyOptions,
  PasskeySchema,
} from '@hoh/contracts';

import { MailSender } from '../../src/modules/mail/mail-sender.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { type ReceivedMail, startSmtp } from '../support/smtp.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'https://hoh.example.org/board';
const ORIGIN = 'https://hoh.example.org';
const RP_ID = 'hoh.example.org';

/** The confirmation token a message's link carries, read from its plain-text part. */
function tokenIn(mail: ReceivedMail | undefined): string {
  const match = /https:\/\/hoh\.example\.org\/board\/confirm-email#token=(\S+)/.exec(mail?.text ?? '');
  if (!match) throw new Error(`no confirmation link in: ${mail?.text ?? '(no mail)'}`);
  return match[1]!;
}

describe('email verification and passkeys (issue 27; docs/PRODUCT.md §2.5)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  const deliver = () => t.app.get(MailSender).deliverDue();
  const me = async (user: SignedInUser) => MeResponseSchema.parse((await t.http().get('/api/v1/auth/me').set('Cookie', user.cookie).expect(200)).body);
  const confirm = (token: string) => t.http().post('/api/v1/auth/email-verification/confirm').send({ token });
  /** Signs someone up and reads their confirmation link from the SMTP server. */
  const signUpWithLink = async (): Promise<{ user: SignedInUser; token: string }> => {
    const user = await signUp(t);
    await deliver();
    return { user, token: tokenIn(smtp.to(user.credentials.email).at(-1)) };
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ PUBLIC_URL, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', MASTER_KEY: randomBytes(32).toString('base64') });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  describe('email verification', () => {
    it('mails a single-use confirmation link at sign-up; following it confirms the address, and it works once', async () => {
      const { user, token } = await signUpWithLink();
      expect(user.me.emailVerified).toBe(false);
      expect(token).toMatch(new RegExp(`^${EMAIL_VERIFICATION_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
      // Stored as its hash only; the outbox's sealed link was erased once sent.
      expect(JSON.stringify(await t.ownerQuery('SELECT * FROM email_verifications'))).not.toContain(token.slice(8));
      expect(JSON.stringify(await t.ownerQuery('SELECT * FROM account_outbox'))).not.toContain(token.slice(8));

      const confirmed = await confirm(token).expect(200);
      expect(confirmed.body).toMatchObject({ email: user.credentials.email });
      expect((await me(user)).emailVerified).toBe(true);
      const reused = await confirm(token).expect(400);
      expect(reused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'token', message: expect.stringMatching(/already used or expired/) }] });
      // Already confirmed: nothing more to send.
      await as(t, user).post('/api/v1/auth/email-verification').expect(409);
    });

    it('refuses expired, forged and withdrawn links with the same 400 and leaves the address unconfirmed', async () => {
      const { user, token: first } = await signUpWithLink();
      // Sending again withdraws the first link.
      await as(t, user).post('/api/v1/auth/email-verification').expect(202);
      await deliver();
      const second = tokenIn(smtp.to(user.credentials.email).at(-1));
      expect(second).not.toBe(first);
      await confirm(first).expect(400);
      await confirm(`${EMAIL_VERIFICATION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`).expect(400);
      await confirm('not even a token').expect(400);
      await t.ownerQuery(`UPDATE email_verifications SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.me.user.id]);
      await confirm(second).expect(400);
      expect((await me(user)).emailVerified).toBe(false);
    });

    it('throttles sending again per account (429 with Retry-After) and sends nothing more', async () => {
      const { user } = await signUpWithLink();
      const before = smtp.to(user.credentials.email).length;
      for (let i = 0; i < 3; i++) await as(t, user).post('/api/v1/auth/email-verification').expect(202);
      const throttled = await as(t, user).post('/api/v1/auth/email-verification').expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      await deliver();
      expect(smtp.to(user.credentials.email).length - before).toBe(3);
    });

    it('never adds an unconfirmed account to another organisation by its address; once confirmed, the invitation joins it', async () => {
      const owner = await signUp(t);
      const { user, token } = await signUpWithLink();
      const invitation = CreateInvitationResponseSchema.parse(
        (await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email: user.credentials.email, role: 'contributor' }).expect(201)).body,
      );
      const refused = await as(t, user).post(`/api/v1/invitations/${invitation.token}/accept`).send({}).expect(403);
      expect(refused.body.error).toMatchObject({ code: 'EMAIL_NOT_VERIFIED', message: expect.stringMatching(/confirmation link/) });
      expect((await me(user)).memberships.map((m) => m.organisationId)).toEqual([orgOf(user)]);
      // The invitation stays usable; the person confirms and opens it again.
      await confirm(token).expect(200);
      await as(t, user).post(`/api/v1/invitations/${invitation.token}/accept`).send({}).expect(200);
      expect((await me(user)).memberships.map((m) => m.organisationId).sort()).toEqual([orgOf(user), orgOf(owner)].sort());
    });

    it('confirms the address of an account created by accepting an emailed invitation, and mails no link', async () => {
      const owner = await signUp(t);
      const email = SignUpFactory.new().build().email;
      const invitation = CreateInvitationResponseSchema.parse(
        (await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email, role: 'auditor' }).expect(201)).body,
      );
      const accepted = await t.http().post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Ivy Invitee', email, password: 'a long new passphrase' }).expect(200);
      expect(accepted.body.me.emailVerified).toBe(true);
      expect(await t.ownerQuery('SELECT 1 FROM email_verifications v JOIN users u ON u.id = v.user_id WHERE u.email = $1', [email])).toHaveLength(0);
    });
  });

  describe('passkeys', () => {
    const registrationOptions = async (user: SignedInUser) => (await as(t, user).post('/api/v1/auth/passkeys/registration-options').expect(200)).body as PasskeyOptions;
    const assertionOptions = async (user: SignedInUser) => (await as(t, user).post('/api/v1/auth/passkeys/assertion-options').expect(200)).body as PasskeyOptions;
    const list = async (user: SignedInUser) => PasskeyListSchema.parse((await as(t, user).get('/api/v1/auth/passkeys').expect(200)).body).items;
    const register = async (user: SignedInUser, authenticator: SoftAuthenticator, name = 'Work laptop') =>
      PasskeySchema.parse((await as(t, user).post('/api/v1/auth/passkeys').send({ name, response: authenticator.register(await registrationOptions(user)) }).expect(201)).body);
    const remove = (user: SignedInUser, id: string, body: { password: string } | { passkey: PasskeyAssertion }) =>
      as(t, user).post(`/api/v1/auth/passkeys/${id}/remove`).send(body);

    it('registers with options bound to PUBLIC_URL and user verification required, then lists and renames it', async () => {
      const user = await signUp(t);
      const options = await registrationOptions(user);
      expect(options).toMatchObject({ rp: { id: RP_ID, name: 'Hand on Heart' }, authenticatorSelection: { userVerification: 'required' }, attestation: 'none' });
      const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
      const created = PasskeySchema.parse(
        (await as(t, user).post('/api/v1/auth/passkeys').send({ name: 'Work laptop', response: authenticator.register(options) }).expect(201)).body,
      );
      expect(created).toMatchObject({ name: 'Work laptop', lastUsedAt: null, transports: ['internal'] });
      expect(await list(user)).toEqual([created]);
      // The next options exclude it, so the same authenticator is not added twice.
      expect((await registrationOptions(user))['excludeCredentials']).toEqual([{ id: authenticator.id, type: 'public-key', transports: ['internal'] }]);

      const renamed = await as(t, user).patch(`/api/v1/auth/passkeys/${created.id}`).send({ name: 'Phone' }).expect(200);
      expect(renamed.body).toMatchObject({ id: created.id, name: 'Phone' });
      // Someone else's passkey is not found, to rename or to remove.
      const other = await signUp(t);
      await as(t, other).patch(`/api/v1/auth/passkeys/${created.id}`).send({ name: 'Mine now' }).expect(404);
      await remove(other, created.id, { password: other.credentials.password }).expect(404);
      expect((await list(user))[0]!.name).toBe('Phone');
    });

    it('refuses a registration for another origin or rpID, without user verification, replayed, or answering another person’s challenge: 400, nothing added', async () => {
      const user = await signUp(t);
      const other = await signUp(t);
      const attempt = async (response: unknown) => {
        const res = await as(t, user).post('/api/v1/auth/passkeys').send({ name: 'Bad', response }).expect(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/could not be verified/) });
      };
      await attempt(new SoftAuthenticator('https://evil.example.net', RP_ID).register(await registrationOptions(user)));
      await attempt(new SoftAuthenticator(ORIGIN, 'evil.example.net').register(await registrationOptions(user)));
      await attempt(new SoftAuthenticator(ORIGIN, RP_ID).register(await registrationOptions(user), { userVerified: false }));
      await attempt(new SoftAuthenticator(ORIGIN, RP_ID).register(await registrationOptions(other)));
      // A good answer works once: the challenge was taken by the first use.
      const good = new SoftAuthenticator(ORIGIN, RP_ID).register(await registrationOptions(user));
      await as(t, user).post('/api/v1/auth/passkeys').send({ name: 'Good', response: good }).expect(201);
      await attempt(good);
      expect((await list(user)).map((p) => p.name)).toEqual(['Good']);
      // Malformed input is a 400 from the contract before anything is verified.
      await as(t, user).post('/api/v1/auth/passkeys').send({ name: 'Bad', response: { id: '***', type: 'public-key' } }).expect(400);
    });

    it('removes a passkey on a fresh assertion, refusing replayed, forged, foreign-origin and wrong-password proofs with 403 and keeping it', async () => {
      const user = await signUp(t);
      const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
      const kept = await register(user, authenticator);
      const refused = async (body: { password: string } | { passkey: PasskeyAssertion }) => {
        const res = await remove(user, kept.id, body).expect(403);
        expect(res.body.error.code).toBe('REAUTH_FAILED');
      };
      await refused({ password: 'not my password at all' });
      await refused({ passkey: authenticator.assert(await assertionOptions(user), { origin: 'https://evil.example.net' }) });
      await refused({ passkey: authenticator.assert(await assertionOptions(user), { rpID: 'evil.example.net' }) });
      await refused({ passkey: authenticator.assert(await assertionOptions(user), { userVerified: false }) });
      const forged = authenticator.assert(await assertionOptions(user));
      await refused({ passkey: { ...forged, response: { ...forged.response, signature: Buffer.from(randomBytes(70)).toString('base64url') } } });
      // Signed by a key the server never saw, under the registered credential's id.
      const impostor = new SoftAuthenticator(ORIGIN, RP_ID);
      await refused({ passkey: { ...impostor.assert(await assertionOptions(user)), id: authenticator.id, rawId: authenticator.id } });
      expect(await list(user)).toHaveLength(1);

      await remove(user, kept.id, { passkey: authenticator.assert(await assertionOptions(user)) }).expect(204);
      expect(await list(user)).toHaveLength(0);
      // Each challenge was taken by the one answer that presented it.
      expect(await t.ownerQuery('SELECT 1 FROM webauthn_challenges WHERE user_id = $1', [user.me.user.id])).toHaveLength(0);
    });

    it('refuses a replayed assertion and one answering another person’s challenge', async () => {
      const user = await signUp(t);
      const other = await signUp(t);
      const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
      const first = await register(user, authenticator, 'First');
      const second = await register(user, new SoftAuthenticator(ORIGIN, RP_ID), 'Second');
      await register(other, new SoftAuthenticator(ORIGIN, RP_ID), 'Theirs');
      await remove(user, second.id, { passkey: authenticator.assert(await assertionOptions(other)) }).expect(403);
      const good = authenticator.assert(await assertionOptions(user));
      await remove(user, second.id, { passkey: good }).expect(204);
      await remove(user, first.id, { passkey: good }).expect(403);
      // A counter that does not move past the one last seen (a cloned key) is refused too.
      await remove(user, first.id, { passkey: authenticator.assert(await assertionOptions(user), { counter: 1 }) }).expect(403);
      expect((await list(user)).map((p) => p.name)).toEqual(['First']);
      expect((await list(user))[0]!.lastUsedAt).not.toBeNull();
      // Removing with the password also works, and an account without passkeys gets no assertion options.
      await remove(user, first.id, { password: user.credentials.password }).expect(204);
      await as(t, user).post('/api/v1/auth/passkeys/assertion-options').expect(409);
    });

    it('completes a sign-in after the password with a passkey, recorded as password + passkey; another origin’s or a replayed assertion is a plain 401', async () => {
      const user = await signUp(t);
      const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
      await register(user, authenticator);
      const signIn = async () => {
        const res = await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(200);
        expect(res.body).toMatchObject({ secondFactorRequired: true, methods: expect.arrayContaining(['passkey']) });
        expect(res.headers['set-cookie']).toBeUndefined();
        return res.body.challenge as string;
      };
      const options = async (challenge: string) => (await t.http().post('/api/v1/auth/sign-in/passkey-options').send({ challenge }).expect(200)).body as PasskeyOptions;
      const answer = (challenge: string, passkey: PasskeyAssertion) => t.http().post('/api/v1/auth/sign-in/second-factor').send({ challenge, passkey });

      let challenge = await signIn();
      const foreign = await answer(challenge, authenticator.assert(await options(challenge), { origin: 'https://evil.example.net' })).expect(401);
      expect(foreign.body.error.code).toBe('UNAUTHENTICATED');
      expect(foreign.headers['set-cookie']).toBeUndefined();

      challenge = await signIn();
      const good = authenticator.assert(await options(challenge));
      const signedIn = await answer(challenge, good).expect(200);
      expect(MeResponseSchema.parse(signedIn.body).user.id).toBe(user.me.user.id);
      const [session] = await t.ownerQuery<{ auth_methods: string[] }>('SELECT auth_methods FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [user.me.user.id]);
      expect(session!.auth_methods).toEqual(['password', 'passkey']);

      // The same answer again, on a fresh sign-in: its challenge was used up.
      challenge = await signIn();
      await options(challenge);
      await answer(challenge, good).expect(401);
    });

    it('is refused to API tokens: passkeys are added and removed by a person in the web app', async () => {
      const user = await signUp(t);
      const { token } = (await as(t, user).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read_write' }).expect(201)).body as { token: string };
      const res = await t.http().post('/api/v1/auth/passkeys/registration-options').set('Authorization', `Bearer ${token}`).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      await t.http().get('/api/v1/auth/passkeys').set('Authorization', `Bearer ${token}`).expect(200);
    });
  });
});
