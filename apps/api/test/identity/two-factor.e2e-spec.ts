import { randomBytes } from 'node:crypto';

import { generateSync } from 'otplib';
import { DataSource } from 'typeorm';

import {
  CreateApiTokenResponseSchema,
  MeResponseSchema,
  type PasskeyOptions,
  RecoveryCodesSchema,
  SecondFactorChallengeSchema,
  SecondFactorStatusSchema,
  TotpEnrolmentSchema,
} from '@hoh/contracts';

import { Clock } from '../../src/config/clock.js';
import { totpContext, TotpService } from '../../src/modules/auth/second-factor/totp.service.js';
import { keyIdOf, LocalKeyProvider } from '../../src/modules/keyring/key-provider.js';
import { Keyring } from '../../src/modules/keyring/keyring.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, sessionCookieFrom, signUp } from '../support/session.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const PUBLIC_URL = 'https://hoh.example.org/board';
const ORIGIN = 'https://hoh.example.org';
const RP_ID = 'hoh.example.org';

/**
 * Two factors (issue 27; docs/PRODUCT.md §2.7, docs/API.md §2.9): TOTP enrolment and recovery
 * codes, the second step of a sign-in, the owner's policy in the access guard, API tokens under it,
 * and sign-off re-authentication with a code. Codes are made with otplib at the injected clock's time.
 */
describe('two factors: TOTP, recovery codes, the sign-in step and the owner policy', () => {
  const clock = new TestClock();
  const masterKey = randomBytes(32);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL, THROTTLE_SIGN_UP_PER_IP: '1000', MASTER_KEY: masterKey.toString('base64') }, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const epoch = (offsetSeconds = 0) => Math.floor(clock.now().getTime() / 1000) + offsetSeconds;
  const codeFor = (secret: string, offsetSeconds = 0) => generateSync({ secret: secret.replace(/ /g, ''), epoch: epoch(offsetSeconds) });
  /** Moves the clock to the start of the next 30 s step, so the next code is a new one. */
  const nextStep = () => clock.advance((30 - (epoch() % 30)) * 1000);

  /** Turns TOTP on for `user` and answers its secret and recovery codes. */
  async function enrol(user: SignedInUser): Promise<{ secret: string; recoveryCodes: string[] }> {
    const enrolment = TotpEnrolmentSchema.parse((await as(t, user).post('/api/v1/auth/two-factor/totp').expect(200)).body);
    const confirmed = await as(t, user).post('/api/v1/auth/two-factor/totp/confirm').send({ code: codeFor(enrolment.secret) }).expect(200);
    nextStep();
    return { secret: enrolment.secret, recoveryCodes: RecoveryCodesSchema.parse(confirmed.body).recoveryCodes };
  }

  const passwordStep = async (user: SignedInUser) => {
    const res = await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    return SecondFactorChallengeSchema.parse(res.body);
  };
  const secondStep = (body: Record<string, unknown>) => t.http().post('/api/v1/auth/sign-in/second-factor').send(body);
  const methodsOfSession = async (cookie: string) => {
    const rows = await t.ownerQuery<{ auth_methods: string[] }>(`SELECT auth_methods FROM sessions WHERE token_hash = sha256(convert_to($1, 'utf8'))`, [cookie.split('=')[1]]);
    return rows[0]?.auth_methods;
  };
  const auditActions = async (userId: string) =>
    (await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 ORDER BY occurred_at, seq`, [userId])).map((r) => r.action);

  it('enrols TOTP: the secret is sealed with its key id, counts only after a first right code, and answers ten hashed one-time recovery codes', async () => {
    const user = await signUp(t);
    const enrolment = TotpEnrolmentSchema.parse((await as(t, user).post('/api/v1/auth/two-factor/totp').expect(200)).body);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Hand%20on%20Heart:.+\?secret=[A-Z2-7]{32}&issuer=Hand%20on%20Heart$/);
    expect(enrolment.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const [row] = await t.ownerQuery<{ secret_sealed: string; key_id: string; confirmed_at: Date | null }>('SELECT secret_sealed, key_id, confirmed_at FROM totp_factors WHERE user_id = $1', [user.me.user.id]);
    expect(row!.secret_sealed).toMatch(/^hk1\./);
    expect(row!.secret_sealed).not.toContain(enrolment.secret.replace(/ /g, ''));
    expect(row!.key_id).toMatch(/^mk-[0-9a-f]{16}$/);
    expect(row!.confirmed_at).toBeNull();
    // Not on yet: a password still signs in alone.
    MeResponseSchema.parse((await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(200)).body);

    const wrong = await as(t, user).post('/api/v1/auth/two-factor/totp/confirm').send({ code: codeFor(enrolment.secret, 120) }).expect(400);
    expect(wrong.body.error.code).toBe('VALIDATION_FAILED');
    await as(t, user).post('/api/v1/auth/two-factor/totp/confirm').send({ code: '12345' }).expect(400);

    const { recoveryCodes } = RecoveryCodesSchema.parse((await as(t, user).post('/api/v1/auth/two-factor/totp/confirm').send({ code: codeFor(enrolment.secret) }).expect(200)).body);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}$/);
    const stored = await t.ownerQuery<{ code_hash: Buffer }>('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [user.me.user.id]);
    expect(stored).toHaveLength(10);
    expect(stored.every((s) => s.code_hash.length === 32)).toBe(true);

    const status = SecondFactorStatusSchema.parse((await as(t, user).get('/api/v1/auth/two-factor').expect(200)).body);
    expect(status).toMatchObject({ totp: { enabled: true }, recoveryCodesLeft: 10, passkeys: 0, sessionHasSecondFactor: true });
    // The code just proved the factor in this session.
    expect(await methodsOfSession(user.cookie)).toEqual(['password', 'totp']);
    // On already: a second enrolment would replace the secret silently, so it is refused.
    expect((await as(t, user).post('/api/v1/auth/two-factor/totp').expect(409)).body.error.code).toBe('INVALID_STATE');
    expect(await auditActions(user.me.user.id)).toEqual(['account.totp_enabled']);
  });

  it('signs in in two steps: a right password answers a challenge and no session; a current code completes it; a replayed, far-off or wrong code does not', async () => {
    const user = await signUp(t);
    const { secret } = await enrol(user);
    const challenge = await passwordStep(user);
    expect(challenge).toMatchObject({ secondFactorRequired: true, methods: ['totp', 'recovery-code'] });
    expect(challenge.challenge).toMatch(/^hoh_chl_[A-Za-z0-9_-]{43}$/);

    const wrong = await secondStep({ challenge: challenge.challenge, totp: codeFor(secret, 90) }).expect(401);
    expect(wrong.body.error.message).toMatch(/not right/);
    const code = codeFor(secret);
    const done = await secondStep({ challenge: challenge.challenge, totp: code.replace(/(\d{3})/, '$1 ') }).expect(200);
    const me = MeResponseSchema.parse(done.body);
    expect(me.user.id).toBe(user.me.user.id);
    const cookie = sessionCookieFrom(done.headers['set-cookie']);
    expect(await methodsOfSession(cookie)).toEqual(['password', 'totp']);
    await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(200);

    // Single use: the same challenge again, even with a good recovery code, is gone.
    const reused = await secondStep({ challenge: challenge.challenge, totp: codeFor(secret, 30) }).expect(401);
    expect(reused.body.error.message).toMatch(/expired|already/);

    // Replay: the same code on a new challenge within its window is refused.
    const again = await passwordStep(user);
    await secondStep({ challenge: again.challenge, totp: code }).expect(401);
    // ±1 step: the next step's code (a phone 30 s ahead) is accepted ...
    await secondStep({ challenge: again.challenge, totp: codeFor(secret, 30) }).expect(200);
    // ... and a code two steps away is not.
    const third = await passwordStep(user);
    await secondStep({ challenge: third.challenge, totp: codeFor(secret, 90) }).expect(401);
  });

  it('lets a challenge live 5 minutes by the clock and dies after 5 wrong answers', async () => {
    const user = await signUp(t);
    const { secret } = await enrol(user);
    const challenge = await passwordStep(user);
    clock.advance(5 * 60 * 1000 + 1000);
    const expired = await secondStep({ challenge: challenge.challenge, totp: codeFor(secret) }).expect(401);
    expect(expired.body.error.message).toMatch(/expired/);

    const fresh = await passwordStep(user);
    for (let i = 0; i < 4; i += 1) await secondStep({ challenge: fresh.challenge, totp: codeFor(secret, 300 + i * 30) }).expect(401);
    const [left] = await t.ownerQuery<{ failures: number }>('SELECT failures FROM sign_in_challenges WHERE user_id = $1', [user.me.user.id]);
    expect(left?.failures).toBe(4);
    // The fifth wrong answer reaches the per-account throttle (5 per window) or ends the challenge: either way no session.
    const fifth = await secondStep({ challenge: fresh.challenge, totp: codeFor(secret, 500) });
    expect([401, 429]).toContain(fifth.status);
    expect(await t.ownerQuery('SELECT 1 FROM sign_in_challenges WHERE user_id = $1', [user.me.user.id])).toHaveLength(0);
    await t.ownerQuery(`DELETE FROM auth_throttle WHERE bucket = $1`, [`second-factor:user:${user.me.user.id}`]);
    await secondStep({ challenge: fresh.challenge, totp: codeFor(secret) }).expect(401);
  });

  it('takes a recovery code once (audited), in any case and spacing; the status counts what is left', async () => {
    const user = await signUp(t);
    const { recoveryCodes } = await enrol(user);
    const first = await passwordStep(user);
    const done = await secondStep({ challenge: first.challenge, recoveryCode: ` ${recoveryCodes[0]!.toUpperCase()} ` }).expect(200);
    const cookie = sessionCookieFrom(done.headers['set-cookie']);
    expect(await methodsOfSession(cookie)).toEqual(['password', 'recovery-code']);
    const second = await passwordStep(user);
    await secondStep({ challenge: second.challenge, recoveryCode: recoveryCodes[0] }).expect(401);
    await secondStep({ challenge: second.challenge, recoveryCode: 'aaaaa-bbbbb-ccccc-ddddd' }).expect(401);
    expect((await secondStep({ challenge: second.challenge, recoveryCode: 'not a code' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const status = SecondFactorStatusSchema.parse((await as(t, user).get('/api/v1/auth/two-factor').expect(200)).body);
    expect(status.recoveryCodesLeft).toBe(9);
    expect(await auditActions(user.me.user.id)).toEqual(['account.totp_enabled', 'account.recovery_code_used']);
  });

  it('refuses bodies that carry no factor or two, and challenges it did not make', async () => {
    await secondStep({ challenge: 'hoh_chl_x', totp: '123456', recoveryCode: 'aaaaa-bbbbb-ccccc-ddddd' }).expect(400);
    await secondStep({ challenge: 'hoh_chl_x' }).expect(400);
    await secondStep({ totp: '123456' }).expect(400);
    const forged = await secondStep({ challenge: `hoh_chl_${'A'.repeat(43)}`, totp: '123456' }).expect(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('turns TOTP off only with a current second factor (audited); then a password signs in alone', async () => {
    const user = await signUp(t);
    const { secret } = await enrol(user);
    const refused = await as(t, user).post('/api/v1/auth/two-factor/totp/disable').send({ totp: codeFor(secret, 120) }).expect(403);
    expect(refused.body.error.code).toBe('REAUTH_FAILED');
    await as(t, user).post('/api/v1/auth/two-factor/totp/disable').send({}).expect(400);
    await as(t, user).post('/api/v1/auth/two-factor/totp/disable').send({ totp: codeFor(secret) }).expect(204);
    expect(await t.ownerQuery('SELECT 1 FROM recovery_codes WHERE user_id = $1', [user.me.user.id])).toHaveLength(0);
    MeResponseSchema.parse((await t.http().post('/api/v1/auth/sign-in').send({ email: user.credentials.email, password: user.credentials.password }).expect(200)).body);
    expect(await auditActions(user.me.user.id)).toEqual(['account.totp_enabled', 'account.totp_disabled']);
    expect((await as(t, user).post('/api/v1/auth/two-factor/totp/disable').send({ totp: codeFor(secret, 30) }).expect(409)).body.error.code).toBe('INVALID_STATE');
  });

  it('regenerates recovery codes with a current factor: the old ones stop working', async () => {
    const user = await signUp(t);
    const { secret, recoveryCodes } = await enrol(user);
    const fresh = RecoveryCodesSchema.parse(
      (await as(t, user).post('/api/v1/auth/two-factor/recovery-codes').send({ recoveryCode: recoveryCodes[3] }).expect(200)).body,
    ).recoveryCodes;
    expect(fresh).not.toContain(recoveryCodes[4]);
    const challenge = await passwordStep(user);
    await secondStep({ challenge: challenge.challenge, recoveryCode: recoveryCodes[4] }).expect(401);
    await secondStep({ challenge: challenge.challenge, recoveryCode: fresh[0] }).expect(200);
    expect((await as(t, user).post('/api/v1/auth/two-factor/recovery-codes').send({ totp: codeFor(secret, 150) }).expect(403)).body.error.code).toBe('REAUTH_FAILED');
  });

  it("applies the owner's policy in the guard: 403 SECOND_FACTOR_REQUIRED on the organisation's routes, enrolment still reachable", async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const contributor = await addMember(t, org, 'contributor');
    const ownerSecret = (await enrol(owner)).secret;

    const patched = await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'signers' }).expect(200);
    expect(patched.body.settings.secondFactorPolicy).toBe('signers');
    expect((await as(t, contributor).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'off' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'sometimes' }).expect(400);
    // 'signers' covers the accountable owner (enrolled: passes), not a contributor.
    await as(t, contributor).get(`/api/v1/orgs/${org}`).expect(200);
    await as(t, owner).get(`/api/v1/orgs/${org}`).expect(200);

    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'everyone' }).expect(200);
    const blocked = await as(t, contributor).get(`/api/v1/orgs/${org}/assessments`).expect(403);
    expect(blocked.body.error).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', message: expect.stringMatching(/Account → Two-factor authentication/) });
    // A non-member still gets 404 first: the policy tells an outsider nothing.
    const outsider = await signUp(t);
    await as(t, outsider).get(`/api/v1/orgs/${org}`).expect(404);
    // What the member needs to comply is outside the organisation's routes, so reachable.
    await as(t, contributor).get('/api/v1/auth/me').expect(200);
    expect(SecondFactorStatusSchema.parse((await as(t, contributor).get('/api/v1/auth/two-factor').expect(200)).body).sessionHasSecondFactor).toBe(false);
    await enrol(contributor);
    await as(t, contributor).get(`/api/v1/orgs/${org}/assessments`).expect(200);

    // A password-only session of an enrolled owner (e.g. from before enrolment) is refused too.
    const challenge = await passwordStep(owner);
    const signedIn = await secondStep({ challenge: challenge.challenge, totp: codeFor(ownerSecret) }).expect(200);
    expect(signedIn.body.user.id).toBe(owner.me.user.id);
    await t.ownerQuery(`UPDATE sessions SET auth_methods = '{password}' WHERE user_id = $1`, [owner.me.user.id]);
    expect((await as(t, owner).get(`/api/v1/orgs/${org}`).expect(403)).body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    await t.ownerQuery(`UPDATE sessions SET auth_methods = '{password,totp}' WHERE user_id = $1`, [owner.me.user.id]);
    const entries = await t.ownerQuery<{ data: { before: { secondFactorPolicy: string }; after: { secondFactorPolicy: string } } }>(
      `SELECT data FROM audit_log WHERE organisation_id = $1 AND action = 'organisation.updated' ORDER BY seq`,
      [org],
    );
    expect(entries.map((e) => [e.data.before.secondFactorPolicy, e.data.after.secondFactorPolicy])).toEqual([
      ['off', 'signers'],
      ['signers', 'everyone'],
    ]);
  });

  it('makes API tokens only from a session with a second factor when a policy covers the person, and holds older tokens to it', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const member = await addMember(t, org, 'assessor');
    const before = CreateApiTokenResponseSchema.parse((await as(t, member).post('/api/v1/auth/tokens').send({ name: 'before', scope: 'read' }).expect(201)).body);
    await t.http().get(`/api/v1/orgs/${org}`).set('Authorization', `Bearer ${before.token}`).expect(200);
    await enrol(owner);
    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'everyone' }).expect(200);

    // A token made without a second factor does not walk around the policy made later.
    expect((await t.http().get(`/api/v1/orgs/${org}`).set('Authorization', `Bearer ${before.token}`).expect(403)).body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    const refused = await as(t, member).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read' }).expect(403);
    expect(refused.body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    await enrol(member);
    const made = CreateApiTokenResponseSchema.parse((await as(t, member).post('/api/v1/auth/tokens').send({ name: 'ci', scope: 'read' }).expect(201)).body);
    await t.http().get(`/api/v1/orgs/${org}`).set('Authorization', `Bearer ${made.token}`).expect(200);
    // Tokens cannot change second factors.
    await t.http().post('/api/v1/auth/two-factor/totp').set('Authorization', `Bearer ${made.token}`).expect(403);
  });

  it('asks a signer with TOTP under a policy for password and code at sign-off; the password alone is 403 REAUTH_FAILED', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const { secret } = await enrol(owner);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const draft = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id as string;
    const signOff = (reauth: Record<string, unknown>) => as(t, owner).post(`/api/v1/orgs/${org}/assessments/${draft}/sign-off`).send({ statement: 'I confirm', reauth });
    // Policy off: the password alone still proves presence (the state check then answers 409).
    expect((await signOff({ password: owner.credentials.password }).expect(409)).body.error.code).toBe('INVALID_STATE');
    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ secondFactorPolicy: 'signers' }).expect(200);
    const alone = await signOff({ password: owner.credentials.password }).expect(403);
    expect(alone.body.error).toMatchObject({ code: 'REAUTH_FAILED', message: expect.stringMatching(/code from your authenticator app/) });
    expect((await signOff({ password: owner.credentials.password, totp: codeFor(secret, 120) }).expect(403)).body.error.code).toBe('REAUTH_FAILED');
    expect((await signOff({ password: 'wrong', totp: codeFor(secret) }).expect(403)).body.error.code).toBe('REAUTH_FAILED');
    expect((await signOff({ password: owner.credentials.password, totp: codeFor(secret) }).expect(409)).body.error.code).toBe('INVALID_STATE');
    // The code is used up: the same one again is refused.
    expect((await signOff({ password: owner.credentials.password, totp: codeFor(secret) }).expect(403)).body.error.code).toBe('REAUTH_FAILED');
  });

  it('completes a sign-in with a passkey through the same step (the verifier seam)', async () => {
    const user = await signUp(t);
    const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
    const options = (await as(t, user).post('/api/v1/auth/passkeys/registration-options').expect(200)).body as PasskeyOptions;
    await as(t, user).post('/api/v1/auth/passkeys').send({ name: 'Laptop', response: authenticator.register(options) }).expect(201);
    const challenge = await passwordStep(user);
    expect(challenge.methods).toEqual(['passkey']);
    const assertionOptions = (await t.http().post('/api/v1/auth/sign-in/passkey-options').send({ challenge: challenge.challenge }).expect(200)).body as PasskeyOptions;
    const other = new SoftAuthenticator('https://evil.example.net', RP_ID);
    await secondStep({ challenge: challenge.challenge, passkey: other.assert(assertionOptions) }).expect(401);
    const fresh = (await t.http().post('/api/v1/auth/sign-in/passkey-options').send({ challenge: challenge.challenge }).expect(200)).body as PasskeyOptions;
    const done = await secondStep({ challenge: challenge.challenge, passkey: authenticator.assert(fresh) }).expect(200);
    expect(await methodsOfSession(sessionCookieFrom(done.headers['set-cookie']))).toEqual(['password', 'passkey']);
  });

  // Last: afterwards the app's own keyring (the old key only) can no longer open the secrets.
  it('re-wraps every TOTP secret under a new master key on rotation, leaving the secret itself unchanged (docs/SECURITY.md)', async () => {
    const before = await t.ownerQuery<{ user_id: string; secret_sealed: string }>('SELECT user_id, secret_sealed FROM totp_factors ORDER BY user_id');
    expect(before.length).toBeGreaterThan(0);
    const newKey = randomBytes(32);
    const rotating = new TotpService(t.app.get(DataSource), new Keyring(new LocalKeyProvider(newKey, [masterKey])), t.app.get(Clock));
    expect(await rotating.rewrapPending()).toBe(before.length);
    expect(await rotating.rewrapPending()).toBe(0);
    const after = await t.ownerQuery<{ user_id: string; secret_sealed: string; key_id: string }>('SELECT user_id, secret_sealed, key_id FROM totp_factors ORDER BY user_id');
    const oldOnly = new Keyring(new LocalKeyProvider(masterKey));
    const newOnly = new Keyring(new LocalKeyProvider(newKey));
    for (const [i, row] of after.entries()) {
      expect(row.key_id).toBe(keyIdOf(newKey));
      expect(await newOnly.openText(row.secret_sealed, totpContext(row.user_id))).toBe(await oldOnly.openText(before[i]!.secret_sealed, totpContext(row.user_id)));
    }
  });
});
