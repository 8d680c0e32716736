import { createHash } from 'node:crypto';

import { AttestationCheckResponseSchema, CreateApiTokenResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PER_ACCOUNT = 3;

/**
 * Sign-off re-authentication (issue 24 item 6; docs/API.md §2.6 and §3.5):
 * the body's 400 first, then the proof (403 REAUTH_FAILED, or 429 over the sign-in throttle), then
 * the assessment's 404/409. Only a person signs: an API token is refused. Nothing is signed by a
 * refused request, and the session survives a wrong password.
 */
describe('sign-off re-authentication', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_SIGN_IN_PER_ACCOUNT: String(PER_ACCOUNT) });
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    base = `/api/v1/orgs/${org}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const password = () => owner.credentials.password;
  const accountBucket = () => `sign-in:account:${createHash('sha256').update(owner.credentials.email).digest('hex')}`;
  const failuresCounted = async () =>
    (await t.ownerQuery<{ attempts: number }>('SELECT attempts FROM auth_throttle WHERE bucket = $1', [accountBucket()]))[0]?.attempts ?? 0;
  const statusOf = async (id: string) => (await as(t, owner).get(`${base}/${id}`).expect(200)).body.status as string;
  const signedEntries = async (id: string) =>
    (await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'assessment.signed' AND entity_id = $1`, [id]))[0]?.n;

  async function inReview(): Promise<string> {
    const id = (await as(t, owner).post(base).send({}).expect(201)).body.id as string;
    await as(t, assessor).put(`${base}/${id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).post(`${base}/${id}/submit`).expect(200);
    return id;
  }
  async function signable(id: string) {
    const c = AttestationCheckResponseSchema.parse((await as(t, owner).get(`${base}/${id}/attestation-check`).expect(200)).body);
    return { statement: c.statement, acknowledged: c.exceptions.map((e) => e.id) };
  }

  it('judges the body first: a malformed body is 400 whatever the password, and costs no attempt', async () => {
    const id = await inReview();
    const body = await signable(id);
    const missing = await as(t, owner).post(`${base}/${id}/sign-off`).send(body).expect(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'reauth', message: expect.stringMatching(/password/) })]);
    await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, statement: '', reauth: { password: 'wrong password' } }).expect(400);
    await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: password(), webauthn: {} } }).expect(400);
    await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: password() }).expect(400);
    expect(await failuresCounted()).toBe(0);
    expect(await statusOf(id)).toBe('in_review');
  });

  it('judges the proof before the state: a wrong password on a draft is 403 REAUTH_FAILED, the right one 409', async () => {
    const draft = (await as(t, owner).post(base).send({}).expect(201)).body.id as string;
    const wrong = await as(t, owner).post(`${base}/${draft}/sign-off`).send({ statement: 'I confirm', reauth: { password: 'not my password' } }).expect(403);
    expect(wrong.body.error.code).toBe('REAUTH_FAILED');
    const right = await as(t, owner).post(`${base}/${draft}/sign-off`).send({ statement: 'I confirm', reauth: { password: password() } }).expect(409);
    expect(right.body.error.code).toBe('INVALID_STATE');
    // The right password clears the account's count, exactly as a successful sign-in does.
    expect(await failuresCounted()).toBe(0);
  });

  it('answers a wrong or empty password with 403 REAUTH_FAILED, signs nothing, and keeps the session', async () => {
    const id = await inReview();
    const body = await signable(id);
    const wrong = await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: `${password()}x` } }).expect(403);
    expect(wrong.body.error).toMatchObject({ code: 'REAUTH_FAILED', message: expect.stringMatching(/nothing was signed/) });
    const empty = await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: '' } }).expect(403);
    expect(empty.body.error).toMatchObject({ code: 'REAUTH_FAILED', message: expect.stringMatching(/Enter the password/) });
    expect(await statusOf(id)).toBe('in_review');
    expect(await signedEntries(id)).toBe('0');
    // Not 401: the same cookie still works.
    await as(t, owner).get('/api/v1/auth/me').expect(200);
    // The wrong password counted as a failed sign-in; the empty one was no guess and did not.
    expect(await failuresCounted()).toBe(1);
    await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: password() } }).expect(200);
    expect(await failuresCounted()).toBe(0);
  });

  it('refuses sign-off with an API token (403), even with the right password: only a person signs', async () => {
    const id = await inReview();
    const token = CreateApiTokenResponseSchema.parse((await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read_write' }).expect(201)).body).token;
    const res = await t
      .http()
      .post(`${base}/${id}/sign-off`)
      .set('Authorization', `Bearer ${token}`)
      .send({ ...(await signable(id)), reauth: { password: password() } })
      .expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Only a person signs/) });
    expect(await statusOf(id)).toBe('in_review');
    // The token was refused before its password was looked at: no attempt counted, no oracle.
    expect(await failuresCounted()).toBe(0);
  });

  it('signs with the right password: 200, signed, and one assessment.signed entry in the audit log', async () => {
    const id = await inReview();
    const body = await signable(id);
    const res = await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: password() } }).expect(200);
    expect(res.body).toMatchObject({ status: 'signed', signature: { statement: body.statement, signerId: owner.me.user.id } });
    expect(await signedEntries(id)).toBe('1');
    // Never stored: the password is not in the signature nor the audit entry.
    const [entry] = await t.ownerQuery<{ data: unknown }>(`SELECT data FROM audit_log WHERE action = 'assessment.signed' AND entity_id = $1`, [id]);
    expect(JSON.stringify(entry?.data)).not.toContain(password());
    expect(JSON.stringify(res.body)).not.toContain(password());
  });

  // Last: it leaves the owner's account throttled.
  it('throttles like sign-in and shares its budget: after N failures even the right password is 429, and so is signing in', async () => {
    const id = await inReview();
    const body = await signable(id);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: `guess ${i}` } }).expect(403);
    }
    const limited = await as(t, owner).post(`${base}/${id}/sign-off`).send({ ...body, reauth: { password: password() } }).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().post('/api/v1/auth/sign-in').send({ email: owner.credentials.email, password: password() }).expect(429);
    expect(await statusOf(id)).toBe('in_review');
    expect(await signedEntries(id)).toBe('0');
  });
});
