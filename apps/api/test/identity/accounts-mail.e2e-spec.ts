import { randomBytes } from 'node:crypto';

import {
  AccountSessionListSchema,
  CreateInvitationResponseSchema,
  InvitationPageSchema,
  PASSWORD_RESET_TOKEN_PREFIX,
  type PasswordResetRequestedResponse,
} from '@hoh/contracts';

import { AppConfig } from '../../src/config/app-config.js';
import { Clock } from '../../src/config/clock.js';
import { keyIdOf, LocalKeyProvider } from '../../src/modules/keyring/key-provider.js';
import { Keyring } from '../../src/modules/keyring/keyring.js';
import { MailTransport } from '../../src/modules/mail/mail-transport.js';
import { MailSender, MAX_ATTEMPTS } from '../../src/modules/mail/mail-sender.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { as, orgOf } from '../support/requests.js';
import { sessionCookieFrom, type SignedInUser, signUp } from '../support/session.js';
import { type ReceivedMail, startSmtp } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DataSource } from 'typeorm';

const PUBLIC_URL = 'https://hoh.example.org/board';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** The one link a message carries, read from its plain-text part. */
function linkIn(mail: ReceivedMail | undefined): string {
  const match = /https:\/\/hoh\.example\.org\/board\/\S+/.exec(mail?.text ?? '');
  if (!match) throw new Error(`no link in: ${mail?.text ?? '(no mail)'}`);
  return match[0];
}

describe('mail that is sent, password reset and change, sessions (issue 27; docs/SECURITY.md "Mail and secrets")', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  let owner: SignedInUser;
  const masterKey = randomBytes(32);
  const deliver = (at?: Date) => t.app.get(MailSender).deliverDue(at);

  beforeAll(async () => {
    smtp = await startSmtp({ user: 'relay', password: 'relay-password' });
    t = await startTestApp({
      PUBLIC_URL,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_SECURITY: 'none',
      SMTP_USER: 'relay',
      SMTP_PASSWORD: 'relay-password',
      MAIL_FROM: 'Hand on Heart <no-reply@hoh.example.org>',
      MASTER_KEY: masterKey.toString('base64'),
      THROTTLE_PASSWORD_RESET_PER_IP: '1000',
    });
    owner = await signUp(t);
    // The owner's address-confirmation mail (sent at sign-up) goes now, out of the counts below.
    await deliver();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  describe('invitations', () => {
    it('mails the invitation over SMTP with a working accept link that the outbox only ever held sealed', async () => {
      const email = SignUpFactory.new().build().email;
      const created = CreateInvitationResponseSchema.parse(
        (await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email, role: 'contributor' }).expect(201)).body,
      );
      const [queued] = await t.ownerQuery<{ id: string; link_sealed: string; body: string }>('SELECT id, link_sealed, body FROM outbox WHERE recipient = $1', [email]);
      expect(queued!.link_sealed).toMatch(new RegExp(`^hk1\\.${t.app.get(Keyring).activeKeyId}\\.`));
      expect(JSON.stringify(await t.ownerQuery('SELECT * FROM outbox'))).not.toContain(created.token.slice(8));

      expect(await deliver()).toMatchObject({ sent: 1, retrying: 0, parked: 0 });
      const [mail] = smtp.to(email);
      expect(mail!.subject).toContain(owner.credentials.organisationName);
      expect(mail!.headers.get('from')).toMatchObject({ value: [{ name: 'Hand on Heart', address: 'no-reply@hoh.example.org' }] });
      const link = linkIn(mail);
      expect(link).toBe(`${PUBLIC_URL}/invitations/${created.token}`);
      expect(mail!.html).toContain(`<a href="${link}">`);
      expect(mail!.html).not.toMatch(/<img|src=/i);

      // Sent: marked, and the sealed link is gone (nothing left to leak or rotate).
      const [sent] = await t.ownerQuery<{ sent_at: Date | null; link_sealed: string | null; attempts: number }>('SELECT sent_at, link_sealed, attempts FROM outbox WHERE id = $1', [queued!.id]);
      expect(sent).toMatchObject({ link_sealed: null, attempts: 1 });
      expect(sent!.sent_at).toBeInstanceOf(Date);

      // Following the link: the web page's token opens the invitation and accepting it joins.
      const token = new URL(link).pathname.split('/').pop()!;
      await t.http().get(`/api/v1/invitations/${token}`).expect(200);
      const accepted = await t.http().post(`/api/v1/invitations/${token}/accept`).send({ name: 'Ivy Invitee', email, password: 'a long new passphrase' }).expect(200);
      expect(accepted.body).toMatchObject({ organisationId: orgOf(owner), role: 'contributor', accountCreated: true });
      expect(await deliver()).toMatchObject({ sent: 0 });
      expect(smtp.to(email)).toHaveLength(1);
    });

    it('sends each message once when two workers deliver at the same moment', async () => {
      const emails = Array.from({ length: 6 }, () => SignUpFactory.new().build().email);
      for (const email of emails) await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email, role: 'auditor' }).expect(201);
      const runs = await Promise.all([deliver(), deliver(), deliver()]);
      expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(6);
      for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
    });

    it('retries a refused message with backoff, then parks it with the error kept and its link erased', async () => {
      const retried = SignUpFactory.new().build().email;
      await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email: retried, role: 'auditor' }).expect(201);
      smtp.refuseNext(451);
      const now = new Date();
      expect(await deliver(now)).toMatchObject({ sent: 0, retrying: 1 });
      const [row] = await t.ownerQuery<{ attempts: number; last_error: string; next_attempt_at: Date; parked_at: Date | null }>(
        'SELECT attempts, last_error, next_attempt_at, parked_at FROM outbox WHERE recipient = $1',
        [retried],
      );
      expect(row).toMatchObject({ attempts: 1, parked_at: null });
      expect(row!.last_error).toMatch(/451/);
      expect(row!.next_attempt_at.getTime() - now.getTime()).toBe(60_000);
      // Not due before its backoff has passed; sent once it has.
      expect(await deliver(new Date(now.getTime() + 30_000))).toMatchObject({ sent: 0, retrying: 0 });
      expect(await deliver(new Date(now.getTime() + 61_000))).toMatchObject({ sent: 1 });
      expect(smtp.to(retried)).toHaveLength(1);

      // A permanent refusal (5yz) parks at once; a temporary one parks after MAX_ATTEMPTS tries.
      const unknown = SignUpFactory.new().build().email;
      await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email: unknown, role: 'auditor' }).expect(201);
      smtp.refuseNext(550);
      expect(await deliver()).toMatchObject({ parked: 1 });
      const [parked] = await t.ownerQuery<{ parked_at: Date | null; last_error: string; link_sealed: string | null; sent_at: Date | null }>(
        'SELECT parked_at, last_error, link_sealed, sent_at FROM outbox WHERE recipient = $1',
        [unknown],
      );
      expect(parked).toMatchObject({ link_sealed: null, sent_at: null });
      expect(parked!.parked_at).toBeInstanceOf(Date);
      expect(parked!.last_error).toMatch(/550/);
      // The owner sees how each invitation's email fared, the refusal included.
      const listed = InvitationPageSchema.parse((await as(t, owner).get(`/api/v1/orgs/${orgOf(owner)}/invitations?limit=100`).expect(200)).body).items;
      expect(listed.find((i) => i.email === unknown)?.delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/550/), sentAt: null });
      expect(listed.find((i) => i.email === retried)?.delivery).toMatchObject({ status: 'sent', attempts: 2, lastError: null });

      const flaky = SignUpFactory.new().build().email;
      await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email: flaky, role: 'auditor' }).expect(201);
      smtp.refuseNext(...Array<number>(MAX_ATTEMPTS).fill(421));
      let at = Date.now();
      const outcomes = [];
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        outcomes.push(await deliver(new Date(at)));
        at += 3_600_000;
      }
      expect(outcomes.map((o) => o.retrying + 2 * o.parked)).toEqual([1, 1, 1, 1, 1, 2]);
      expect(await deliver(new Date(at + 86_400_000))).toMatchObject({ sent: 0, retrying: 0, parked: 0 });
      expect(smtp.to(flaky)).toHaveLength(0);
    });
  });

  it('rotation: a pending link sealed under the old key is re-wrapped under the new one, then sent with the new key alone', async () => {
    const email = SignUpFactory.new().build().email;
    const created = CreateInvitationResponseSchema.parse(
      (await as(t, owner).post(`/api/v1/orgs/${orgOf(owner)}/invitations`).send({ email, role: 'auditor' }).expect(201)).body,
    );
    const sealedOf = async () => (await t.ownerQuery<{ link_sealed: string }>('SELECT link_sealed FROM outbox WHERE recipient = $1', [email]))[0]!.link_sealed;
    const before = await sealedOf();
    expect(before.split('.')[1]).toBe(keyIdOf(masterKey));
    // A process started with MASTER_KEY=new and MASTER_KEY_PREVIOUS=old, the same parts otherwise.
    const newKey = randomBytes(32);
    const senderWith = (keyring: Keyring) => new MailSender(t.app.get(DataSource), t.app.get(MailTransport), keyring, t.app.get(AppConfig), t.app.get(Clock));
    expect(await senderWith(new Keyring(new LocalKeyProvider(newKey, [masterKey]))).rewrapPending()).toBe(1);
    const after = await sealedOf();
    expect(after.split('.')[1]).toBe(keyIdOf(newKey));
    expect(after.split('.')[4]).toBe(before.split('.')[4]); // the ciphertext is kept; only the data key was re-wrapped
    // The old key is retired: the new one alone opens and sends it.
    expect(await senderWith(new Keyring(new LocalKeyProvider(newKey))).deliverDue()).toMatchObject({ sent: 1 });
    expect(linkIn(smtp.to(email)[0])).toBe(`${PUBLIC_URL}/invitations/${created.token}`);
  });

  describe('password reset', () => {
    const requestReset = (email: string) => t.http().post('/api/v1/auth/password-reset').send({ email });

    it('answers the same for an address with and without an account, and mails only the account', async () => {
      const user = await signUp(t);
      const stranger = SignUpFactory.new().build().email;
      const known = (await requestReset(user.credentials.email).expect(202)).body as PasswordResetRequestedResponse;
      const unknown = (await requestReset(stranger).expect(202)).body as PasswordResetRequestedResponse;
      expect(unknown).toEqual(known);
      await deliver();
      expect(smtp.to(stranger)).toHaveLength(0);
      const link = linkIn(smtp.to(user.credentials.email).at(-1));
      expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/reset-password#token=${PASSWORD_RESET_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
      // Stored as a hash; the mail's sealed link was erased once sent.
      const token = new URL(link).hash.slice('#token='.length);
      expect(JSON.stringify(await t.ownerQuery('SELECT * FROM password_resets'))).not.toContain(token.slice(8));
      expect(JSON.stringify(await t.ownerQuery('SELECT * FROM account_outbox'))).not.toContain(token.slice(8));
    });

    it('sets the new password with the mailed link once, ends every session, and refuses the link again', async () => {
      const user = await signUp(t);
      await requestReset(user.credentials.email).expect(202);
      await deliver();
      const token = new URL(linkIn(smtp.to(user.credentials.email).at(-1))).hash.slice('#token='.length);
      await t.http().post('/api/v1/auth/password-reset/confirm').send({ token, password: 'a brand new passphrase' }).expect(204);
      await t.http().get('/api/v1/auth/me').set('Cookie', user.cookie).expect(401);
      await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(401);
      await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: 'a brand new passphrase' }).expect(200);

      const reused = await t.http().post('/api/v1/auth/password-reset/confirm').send({ token, password: 'another passphrase here' }).expect(400);
      expect(reused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/unknown, already used or expired/) });
      await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: 'a brand new passphrase' }).expect(200);
    });

    it('refuses expired, forged and withdrawn links with the same 400 and changes nothing', async () => {
      const user = await signUp(t);
      await requestReset(user.credentials.email).expect(202);
      await deliver();
      const first = new URL(linkIn(smtp.to(user.credentials.email).at(-1))).hash.slice('#token='.length);
      // Asking again withdraws the first link.
      await requestReset(user.credentials.email).expect(202);
      await deliver();
      const second = new URL(linkIn(smtp.to(user.credentials.email).at(-1))).hash.slice('#token='.length);
      expect(second).not.toBe(first);
      const confirm = (token: string) => t.http().post('/api/v1/auth/password-reset/confirm').send({ token, password: 'never gets stored' });
      expect((await confirm(first).expect(400)).body.error.details).toEqual([{ path: 'token', message: expect.any(String) }]);
      await confirm(`${PASSWORD_RESET_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`).expect(400);
      await confirm('not even a token').expect(400);
      await t.ownerQuery(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.me.user.id]);
      await confirm(second).expect(400);
      await t.http().get('/api/v1/auth/me').set('Cookie', user.cookie).expect(200);
      await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(200);
    });

    it('is throttled per address (known or not) with Retry-After, and sends nothing more', async () => {
      const user = await signUp(t);
      await deliver();
      const before = smtp.to(user.credentials.email).length;
      for (let i = 0; i < 3; i++) await requestReset(user.credentials.email).expect(202);
      const throttled = await requestReset(user.credentials.email).expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      const stranger = SignUpFactory.new().build().email;
      for (let i = 0; i < 3; i++) await requestReset(stranger).expect(202);
      await requestReset(stranger).expect(429);
      await deliver();
      // Each request withdraws the previous link, but each was mailed: three, not four.
      expect(smtp.to(user.credentials.email).length - before).toBe(3);
    });
  });

  it('documents the account routes in OpenAPI with their security (cookie or bearer) and the CSRF header on writes', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[]; parameters?: { name: string; in: string }[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const [path, method, write] of [
      ['/api/v1/auth/password', 'post', true],
      ['/api/v1/auth/sessions', 'get', false],
      ['/api/v1/auth/sessions/end-others', 'post', true],
      ['/api/v1/auth/sessions/{sessionId}', 'delete', true],
    ] as const) {
      const operation = doc.paths[path]![method]!;
      const named = operation.security!.flatMap((s) => Object.keys(s));
      expect({ path, named }).toEqual({ path, named: ['cookie', 'bearer'] });
      expect(named.every((n) => schemes.includes(n))).toBe(true);
      expect(operation.parameters?.some((p) => p.in === 'header' && p.name === 'X-CSRF-Token') ?? false).toBe(write);
    }
    expect(doc.paths['/api/v1/auth/password-reset']!['post']!.security).toBeUndefined();
  });

  describe('password change and sessions', () => {
    const signInAs = async (user: SignedInUser, userAgent: string) => {
      const res = await t.http().post('/api/v1/auth/sign-in').set('User-Agent', userAgent).send({ email: user.credentials.email, password: user.credentials.password }).expect(200);
      return { ...user, cookie: sessionCookieFrom(res.headers['set-cookie']), csrf: (res.body as { csrfToken: string }).csrfToken };
    };

    it('lists your sessions with their device and marks this one; ends one, then all the others', async () => {
      const user = await signUp(t);
      const laptop = await signInAs(user, FIREFOX);
      const phone = await signInAs(user, SAFARI_IPHONE);
      const list = AccountSessionListSchema.parse((await as(t, laptop).get('/api/v1/auth/sessions').expect(200)).body);
      expect(list.items).toHaveLength(3);
      expect(list.items.filter((s) => s.current)).toEqual([expect.objectContaining({ device: 'Firefox on Windows' })]);
      const phoneSession = list.items.find((s) => s.device === 'Safari on iPhone')!;
      expect(Object.keys(phoneSession).sort()).toEqual(['createdAt', 'current', 'device', 'expiresAt', 'id', 'lastSeenAt']);

      // Someone else cannot end it, nor see it.
      const other = await signUp(t);
      await as(t, other).delete(`/api/v1/auth/sessions/${phoneSession.id}`).expect(404);
      expect(AccountSessionListSchema.parse((await as(t, other).get('/api/v1/auth/sessions').expect(200)).body).items).toHaveLength(1);

      await as(t, laptop).delete(`/api/v1/auth/sessions/${phoneSession.id}`).expect(204);
      await as(t, phone).get('/api/v1/auth/me').expect(401);
      await as(t, laptop).delete(`/api/v1/auth/sessions/${phoneSession.id}`).expect(404);
      await as(t, laptop).delete('/api/v1/auth/sessions/not-a-uuid').expect(404);
      await t.http().delete(`/api/v1/auth/sessions/${phoneSession.id}`).set('Cookie', laptop.cookie).expect(403);

      expect((await as(t, laptop).post('/api/v1/auth/sessions/end-others').expect(200)).body).toEqual({ ended: 1 });
      await as(t, user).get('/api/v1/auth/me').expect(401);
      await as(t, laptop).get('/api/v1/auth/me').expect(200);

      // Ending your own session signs this browser out.
      const mine = AccountSessionListSchema.parse((await as(t, laptop).get('/api/v1/auth/sessions').expect(200)).body).items[0]!;
      const res = await as(t, laptop).delete(`/api/v1/auth/sessions/${mine.id}`).expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(/hoh_session=;/);
      await as(t, laptop).get('/api/v1/auth/me').expect(401);
    });

    it('changes the password with the current one, keeps this session and ends every other', async () => {
      const user = await signUp(t);
      const elsewhere = await signInAs(user, SAFARI_IPHONE);
      const wrong = await as(t, user).post('/api/v1/auth/password').send({ currentPassword: 'not my password', newPassword: 'a fresh passphrase' }).expect(403);
      expect(wrong.body.error.code).toBe('REAUTH_FAILED');
      await as(t, elsewhere).get('/api/v1/auth/me').expect(200);
      await as(t, user).post('/api/v1/auth/password').send({ currentPassword: user.credentials.password, newPassword: 'short' }).expect(400);
      await t.http().post('/api/v1/auth/password').set('Cookie', user.cookie).send({ currentPassword: user.credentials.password, newPassword: 'a fresh passphrase' }).expect(403);

      const changed = await as(t, user).post('/api/v1/auth/password').send({ currentPassword: user.credentials.password, newPassword: 'a fresh passphrase' }).expect(200);
      expect(changed.body).toEqual({ endedSessions: 1 });
      await as(t, user).get('/api/v1/auth/me').expect(200);
      await as(t, elsewhere).get('/api/v1/auth/me').expect(401);
      await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: 'a fresh passphrase' }).expect(200);
    });

    it('throttles wrong current passwords per account (429) and refuses API tokens', async () => {
      const user = await signUp(t);
      for (let i = 0; i < 5; i++) await as(t, user).post('/api/v1/auth/password').send({ currentPassword: `wrong ${i}`, newPassword: 'a fresh passphrase' }).expect(403);
      await as(t, user).post('/api/v1/auth/password').send({ currentPassword: user.credentials.password, newPassword: 'a fresh passphrase' }).expect(429);

      const other = await signUp(t);
      const token = (await as(t, other).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read_write' }).expect(201)).body as { token: string };
      const refused = await t.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${token.token}`).send({ currentPassword: other.credentials.password, newPassword: 'a fresh passphrase' }).expect(403);
      expect(refused.body.error.message).toMatch(/API tokens cannot change a password/);
    });
  });
});
