import { type SignInRequest } from '@hoh/contracts';

import { SignUpFactory } from '../factories/user.factory.js';
import { sessionCookieFrom, type SignedInUser } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sha256Hex } from './identity-helpers.js';

const PER_ACCOUNT = 3;
const PER_IP = 5;
const SIGN_UPS_PER_IP = 4;

describe('sign-in and sign-up throttling (per account and per IP, in PostgreSQL)', () => {
  let t: TestApp;
  let ipCounter = 0;
  // Every test gets its own client addresses, so the per-IP buckets of one never affect another.
  const freshIp = () => `198.51.100.${++ipCounter}`;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      THROTTLE_SIGN_IN_PER_ACCOUNT: String(PER_ACCOUNT),
      THROTTLE_SIGN_IN_PER_IP: String(PER_IP),
      THROTTLE_SIGN_UP_PER_IP: String(SIGN_UPS_PER_IP),
      THROTTLE_WINDOW_MINUTES: '15',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  // Sign-ups are throttled per IP here too, so each test user arrives from an address of its own.
  const signUp = async (): Promise<SignedInUser> => {
    const payload = SignUpFactory.new().build();
    const res = await t.http().post('/api/v1/auth/sign-up').set('X-Forwarded-For', freshIp()).send(payload).expect(201);
    return { cookie: sessionCookieFrom(res.headers['set-cookie']), csrf: res.body.csrfToken, me: res.body, credentials: payload };
  };
  const signIn = (body: SignInRequest, ip: string) => t.http().post('/api/v1/auth/sign-in').set('X-Forwarded-For', ip).send(body);

  it('refuses an account with 429 and Retry-After after N failures, even when the right password follows', async () => {
    const user = await signUp();
    const { email, password } = user.credentials;
    // Each failure from a different address: this is the per-account limit, not the per-IP one.
    for (let i = 0; i < PER_ACCOUNT; i++) await signIn({ email, password: 'wrong password entirely' }, freshIp()).expect(401);
    const refused = await signIn({ email, password }, freshIp()).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toMatch(/Wait \d+ minutes? and try again/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('throttles an unknown address exactly like a registered one (no enumeration through the limit)', async () => {
    const known = await signUp();
    const unknownEmail = `nobody.${Date.now()}@example.org`;
    const answers: { status: number; message: string }[][] = [];
    for (const email of [known.credentials.email, unknownEmail]) {
      const seq: { status: number; message: string }[] = [];
      for (let i = 0; i <= PER_ACCOUNT; i++) {
        const res = await signIn({ email, password: 'wrong password entirely' }, freshIp());
        seq.push({ status: res.status, message: res.body.error.message as string });
      }
      answers.push(seq);
    }
    expect(answers[0]!.map((a) => a.status)).toEqual([...Array<number>(PER_ACCOUNT).fill(401), 429]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('answers a throttled attempt without hashing: quicker than any argon2 verification', async () => {
    const user = await signUp();
    for (let i = 0; i < PER_ACCOUNT; i++)
      await signIn({ email: user.credentials.email, password: 'wrong password entirely' }, freshIp()).expect(401);
    const verifyTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = process.hrtime.bigint();
      await signIn({ email: `fresh.${i}.${Date.now()}@example.org`, password: 'wrong password entirely' }, freshIp()).expect(401);
      verifyTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const throttledTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = process.hrtime.bigint();
      await signIn({ email: user.credentials.email, password: user.credentials.password }, freshIp()).expect(429);
      throttledTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    // Medians, so one scheduling hiccup does not decide the outcome.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    expect(median(throttledTimes)).toBeLessThan(median(verifyTimes));
  });

  it('resets the account counter on a successful sign-in', async () => {
    const user = await signUp();
    const { email, password } = user.credentials;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PER_ACCOUNT - 1; i++) await signIn({ email, password: 'wrong password entirely' }, freshIp()).expect(401);
      await signIn({ email, password }, freshIp()).expect(200);
    }
  });

  it('limits failures per client IP across many accounts, and leaves other addresses alone', async () => {
    const ip = freshIp();
    for (let i = 0; i < PER_IP; i++) {
      await signIn({ email: `spray.${i}.${Date.now()}@example.org`, password: 'wrong password entirely' }, ip).expect(401);
    }
    const refused = await signIn({ email: `spray.last.${Date.now()}@example.org`, password: 'wrong password entirely' }, ip).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A real user on another network is unaffected.
    const user = await signUp();
    await signIn({ email: user.credentials.email, password: user.credentials.password }, freshIp()).expect(200);
  });

  it('does not charge a client IP for successful sign-ins', async () => {
    const user = await signUp();
    const ip = freshIp();
    for (let i = 0; i < PER_IP + 2; i++)
      await signIn({ email: user.credentials.email, password: user.credentials.password }, ip).expect(200);
  });

  it('limits sign-ups per client IP with 429 and Retry-After, before hashing or checking the address', async () => {
    const ip = freshIp();
    const existing = await signUp();
    for (let i = 0; i < SIGN_UPS_PER_IP; i++) {
      await t.http().post('/api/v1/auth/sign-up').set('X-Forwarded-For', ip).send(SignUpFactory.new().build()).expect(201);
    }
    // Even the EMAIL_IN_USE answer (the accepted enumeration risk) is no longer given.
    const refused = await t
      .http()
      .post('/api/v1/auth/sign-up')
      .set('X-Forwarded-For', ip)
      .send(SignUpFactory.new().with({ email: existing.credentials.email }).build())
      .expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().post('/api/v1/auth/sign-up').set('X-Forwarded-For', freshIp()).send(SignUpFactory.new().build()).expect(201);
  });

  it('lets the account in again once its window has passed', async () => {
    const user = await signUp();
    const { email, password } = user.credentials;
    for (let i = 0; i <= PER_ACCOUNT; i++) await signIn({ email, password: 'wrong password entirely' }, freshIp());
    await signIn({ email, password }, freshIp()).expect(429);
    await t.ownerQuery(`UPDATE auth_throttle SET window_started_at = now() - interval '16 minutes' WHERE bucket = $1`, [
      `sign-in:account:${sha256Hex(email)}`,
    ]);
    await signIn({ email, password }, freshIp()).expect(200);
  });

  it('keeps the counters in a shared PostgreSQL table, keyed by a hash rather than the address', async () => {
    const user = await signUp();
    await signIn({ email: user.credentials.email, password: 'wrong password entirely' }, freshIp()).expect(401);
    const rows = await t.ownerQuery<{ bucket: string; attempts: number }>('SELECT bucket, attempts FROM auth_throttle');
    expect(rows).toEqual(expect.arrayContaining([{ bucket: `sign-in:account:${sha256Hex(user.credentials.email)}`, attempts: 1 }]));
    expect(rows.some((r) => r.bucket.includes(user.credentials.email))).toBe(false);
  });
});
