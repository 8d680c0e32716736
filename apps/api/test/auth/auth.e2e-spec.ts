import { MeResponseSchema, type SignInRequest } from '@hoh/contracts';

import { SignUpFactory } from '../factories/user.factory.js';
import { sessionCookieFrom, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('identity: sign-up, sign-in, me, sign-out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: string) => Number((await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  it('sign-up creates the person, their organisation and an owner membership, and signs them in', async () => {
    const payload = SignUpFactory.new().with({ email: '  Mixed.Case@Example.ORG ' }).build();
    const res = await t.http().post('/api/v1/auth/sign-up').send(payload).expect(201);
    const me = MeResponseSchema.parse(res.body);
    expect(me.user.email).toBe('mixed.case@example.org');
    expect(me.memberships).toEqual([
      { organisationId: expect.any(String), organisationName: payload.organisationName, role: 'owner', accountableIndividual: true },
    ]);
    const cookie = sessionCookieFrom(res.headers['set-cookie']);
    const again = await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
    expect(again.body.user.id).toBe(me.user.id);
  });

  it('stores an argon2id hash (19 MiB, t=2), never the password', async () => {
    const user = await signUp(t);
    const [row] = await t.ownerQuery<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.me.user.id]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row!.password_hash).not.toContain(user.credentials.password);
  });

  it('refuses a second sign-up with the same email with 409 EMAIL_IN_USE and creates nothing', async () => {
    const first = await signUp(t);
    const before = await count('organisations');
    const res = await t.http().post('/api/v1/auth/sign-up').send(SignUpFactory.new().with({ email: first.credentials.email }).build()).expect(409);
    expect(res.body.error.code).toBe('EMAIL_IN_USE');
    expect(await count('organisations')).toBe(before);
  });

  it('rejects malformed sign-up input with 400 and a message per field, changing nothing', async () => {
    const before = await count('users');
    const res = await t.http().post('/api/v1/auth/sign-up').send({ name: '', email: 'not-an-email', password: 'short', organisationName: 'x', extra: 1 }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', 'password']));
    expect(await count('users')).toBe(before);
  });

  it('answers an unknown email and a wrong password with the same 401 message', async () => {
    const user = await signUp(t);
    const wrong = await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: 'not the password at all' } satisfies SignInRequest).expect(401);
    const unknown = await t.http().post('/api/v1/auth/sign-in').send({ email: 'nobody@example.org', password: 'not the password at all' } satisfies SignInRequest).expect(401);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('issues a new HttpOnly SameSite=Strict session on every sign-in', async () => {
    const user = await signUp(t);
    const creds = { email: user.credentials.email, password: user.credentials.password } satisfies SignInRequest;
    const a = await t.http().post('/api/v1/auth/sign-in').send(creds).expect(200);
    const b = await t.http().post('/api/v1/auth/sign-in').send(creds).expect(200);
    const rawCookie = ([] as string[]).concat(a.headers['set-cookie'] ?? [])[0]!;
    expect(rawCookie).toMatch(/HttpOnly/i);
    expect(rawCookie).toMatch(/SameSite=Strict/i);
    expect(sessionCookieFrom(a.headers['set-cookie'])).not.toBe(sessionCookieFrom(b.headers['set-cookie']));
    expect(a.body.csrfToken).not.toBe(b.body.csrfToken);
  });

  it('stores only a hash of the session token', async () => {
    const user = await signUp(t);
    const token = user.cookie.split('=')[1]!;
    const rows = await t.ownerQuery<{ hex: string }>(`SELECT encode(token_hash, 'hex') AS hex FROM sessions`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.hex.includes(Buffer.from(token).toString('hex')))).toBe(false);
  });

  it('answers 401 without credentials before it looks at CSRF', async () => {
    const res = await t.http().post('/api/v1/auth/sign-out').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a cookie-authenticated write without the CSRF token (403 CSRF_FAILED)', async () => {
    const user = await signUp(t);
    const res = await t.http().post('/api/v1/auth/sign-out').set('Cookie', user.cookie).expect(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    await t.http().get('/api/v1/auth/me').set('Cookie', user.cookie).expect(200);
  });

  it('sign-out revokes the session server-side', async () => {
    const user = await signUp(t);
    await t.http().post('/api/v1/auth/sign-out').set('Cookie', user.cookie).set('X-CSRF-Token', user.csrf).expect(204);
    await t.http().get('/api/v1/auth/me').set('Cookie', user.cookie).expect(401);
  });

  it('treats a made-up session cookie as no credentials', async () => {
    await t.http().get('/api/v1/auth/me').set('Cookie', 'hoh_session=made-up-token-value-that-is-long-enough').expect(401);
  });
});
