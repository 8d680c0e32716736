import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { MeResponse, SsoConfigRequest, SsoSettingsResponse, SsoStartResponse } from '@hoh/contracts';

import { DataSource } from 'typeorm';

import { keyIdOf, LocalKeyProvider } from '../../src/modules/keyring/key-provider.js';
import { Keyring } from '../../src/modules/keyring/keyring.js';
import { SsoSecretRotation } from '../../src/modules/sso/sso-secret-rotation.js';
import { secretContext } from '../../src/modules/sso/sso-settings.service.js';
import { SsoRepository } from '../../src/modules/sso/sso.repository.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { addMember } from '../support/members.js';
import { startTestOpenIdProvider, type TestAccount, type TestOpenIdProvider } from '../support/oidc-provider.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, sessionCookieFrom, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const PUBLIC_URL = 'http://hoh.test';
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/auth/sso/callback`;
const DOMAIN = 'acme-sso.example';

/** Everything a refused sign-in must leave as it was: accounts, memberships, sessions, audit entries. */
async function snapshot(t: TestApp) {
  const [row] = await t.ownerQuery<{ users: string; memberships: string; sessions: string; audit: string }>(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM memberships) AS memberships,
            (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM audit_log) AS audit`,
  );
  return row;
}

describe('single sign-on through OpenID Connect (docs/PRODUCT.md §2.6, docs/API.md §2.8)', () => {
  const clock = new TestClock();
  const masterKey = randomBytes(32);
  let t: TestApp;
  let idp: TestOpenIdProvider;
  let otherIdp: TestOpenIdProvider;
  let owner: SignedInUser;
  let org: string;

  const config = (patch: Partial<SsoConfigRequest> = {}): SsoConfigRequest => ({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowedDomains: [DOMAIN],
    defaultRole: 'contributor',
    trustProviderMfa: true,
    enabled: true,
    ...patch,
  });

  /** POST start, as the sign-in page does: the authorisation URL and the browser-binding cookie. */
  const start = async (email: string) => {
    const res = await t.http().post('/api/v1/auth/sso/start').send({ email }).expect(200);
    const body = res.body as SsoStartResponse;
    const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('hoh_sso='))?.split(';')[0];
    return { body, cookie };
  };

  /** The browser coming back from the provider to the product's callback. */
  const callback = async (url: URL, cookie: string | undefined) => {
    const req = t.http().get(`${url.pathname}${url.search}`);
    const res = await (cookie ? req.set('Cookie', cookie) : req).expect(303);
    return { location: res.headers['location'] as string, setCookie: res.headers['set-cookie'] as unknown as string[] | undefined };
  };

  /** start → provider (as `who`) → callback; `editUrl` changes the authorisation URL on its way (an attacker in between). */
  const signInThrough = async (who: TestAccount, options: { editUrl?: (u: URL) => void; email?: string } = {}) => {
    const { body, cookie } = await start(options.email ?? who.email);
    expect(body.sso).toBe(true);
    idp.nextLogin = who;
    const url = new URL(body.authorizationUrl!);
    options.editUrl?.(url);
    const back = await idp.authorize(url.href);
    return { back, cookie, ...(await callback(back, cookie)) };
  };

  const refusedWith = (location: string, code: string) => expect(location).toBe(`${PUBLIC_URL}/sign-in?sso_error=${code}`);

  beforeAll(async () => {
    idp = await startTestOpenIdProvider({ redirectUri: REDIRECT_URI });
    otherIdp = await startTestOpenIdProvider({ redirectUri: REDIRECT_URI, clientId: idp.clientId, clientSecret: idp.clientSecret });
    t = await startTestApp({ PUBLIC_URL, SSO_ALLOW_HTTP_LOOPBACK_ISSUERS: 'true', MASTER_KEY: masterKey.toString('base64') }, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
    await otherIdp?.close();
  });

  describe('configuration (owners only)', () => {
    it('discovers the issuer on save, keeps the client secret sealed and never returns it, and audits the change', async () => {
      const res = await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(config({ enabled: false })).expect(200);
      const body = res.body as SsoSettingsResponse;
      expect(body.redirectUri).toBe(REDIRECT_URI);
      expect(body.config).toMatchObject({ issuer: idp.issuer, clientId: idp.clientId, hasSecret: true, allowedDomains: [DOMAIN], defaultRole: 'contributor', enabled: false });
      expect(JSON.stringify(body)).not.toContain(idp.clientSecret);
      const [row] = await t.ownerQuery<{ client_secret_sealed: string; token_endpoint: string }>(
        `SELECT client_secret_sealed, provider_metadata->>'token_endpoint' AS token_endpoint FROM sso_configs WHERE organisation_id = $1`,
        [org],
      );
      expect(row!.client_secret_sealed).toMatch(/^hk1\./);
      expect(row!.client_secret_sealed).not.toContain(idp.clientSecret);
      expect(row!.token_endpoint).toBe(`${idp.issuer}/token`);
      const audit = await t.ownerQuery<{ action: string; data: Record<string, unknown> }>(`SELECT action, data FROM audit_log WHERE organisation_id = $1 AND action LIKE 'sso.%'`, [org]);
      expect(audit).toEqual([expect.objectContaining({ action: 'sso.configured', data: expect.objectContaining({ secretChanged: true, enabled: false }) })]);
      expect(JSON.stringify(audit)).not.toContain(idp.clientSecret);

      // Saved again without the secret: the stored one is kept (discovery still succeeds with it).
      const { clientSecret: _omitted, ...withoutSecret } = config();
      const again = await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(withoutSecret).expect(200);
      expect((again.body as SsoSettingsResponse).config).toMatchObject({ enabled: true, hasSecret: true });
      const [after] = await t.ownerQuery<{ client_secret_sealed: string }>('SELECT client_secret_sealed FROM sso_configs WHERE organisation_id = $1', [org]);
      expect(after!.client_secret_sealed).toBe(row!.client_secret_sealed);
    });

    it('refuses an issuer that is not an OpenID provider, cannot be reached or is not https, with a 400 on issuer and nothing saved', async () => {
      const notOidc: Server = createServer((_req, res) => {
        res.statusCode = 404;
        res.end('<html>not here</html>');
      });
      await new Promise<void>((resolve) => notOidc.listen(0, '127.0.0.1', resolve));
      const port = (notOidc.address() as AddressInfo).port;
      try {
        const other = await signUp(t);
        for (const issuer of [`http://localhost:${port}`, 'http://127.0.0.1:1', 'http://idp.example.org', `${idp.issuer}/elsewhere`]) {
          const res = await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/sso`).send(config({ issuer, allowedDomains: ['other-sso.example'] })).expect(400);
          expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'issuer' })]);
        }
        expect(await t.ownerQuery('SELECT 1 FROM sso_configs WHERE organisation_id = $1', [orgOf(other)])).toHaveLength(0);
      } finally {
        await new Promise<void>((resolve) => notOidc.close(() => resolve()));
      }
    });

    it('gives a domain to one organisation: another owner claiming it gets 409', async () => {
      const other = await signUp(t);
      const res = await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/sso`).send(config({ allowedDomains: ['free-sso.example', DOMAIN.toUpperCase()] })).expect(409);
      expect(res.body.error.code).toBe('INVALID_STATE');
      expect(res.body.error.details).toEqual([{ path: 'allowedDomains.1', message: `${DOMAIN} is claimed by another organisation` }]);
    });

    it('refuses owner as the default role, a first save without a secret, and malformed domains (400)', async () => {
      const other = await signUp(t);
      const url = `/api/v1/orgs/${orgOf(other)}/sso`;
      await as(t, other).put(url).send({ ...config(), defaultRole: 'owner' }).expect(400);
      const { clientSecret: _omitted, ...withoutSecret } = config({ allowedDomains: ['new-sso.example'] });
      const res = await as(t, other).put(url).send(withoutSecret).expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'clientSecret' })]);
      await as(t, other).put(url).send(config({ allowedDomains: ['@acme.example'] })).expect(400);
      await as(t, other).put(url).send(config({ allowedDomains: [] })).expect(400);
    });

    it('is closed to other roles (403), other organisations (404) and API tokens (403)', async () => {
      const assessor = await addMember(t, org, 'assessor');
      await as(t, assessor).get(`/api/v1/orgs/${org}/sso`).expect(403);
      await as(t, assessor).put(`/api/v1/orgs/${org}/sso`).send(config()).expect(403);
      await as(t, assessor).delete(`/api/v1/orgs/${org}/sso`).expect(403);
      const stranger = await signUp(t);
      await as(t, stranger).get(`/api/v1/orgs/${org}/sso`).expect(404);
      await as(t, stranger).put(`/api/v1/orgs/${org}/sso`).send(config()).expect(404);
      await as(t, stranger).delete(`/api/v1/orgs/${org}/sso`).expect(404);
      const token = await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'script', scope: 'read_write' }).expect(201);
      const bearer = `Bearer ${token.body.token as string}`;
      await t.http().put(`/api/v1/orgs/${org}/sso`).set('Authorization', bearer).send(config()).expect(403);
      await t.http().delete(`/api/v1/orgs/${org}/sso`).set('Authorization', bearer).expect(403);
      const [row] = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM sso_configs WHERE organisation_id = $1', [org]);
      expect(row!.n).toBe('1');
    });
  });

  it('documents its routes in OpenAPI: reading with cookie or bearer, changing with the cookie and CSRF header, start and callback public', async () => {
    type Operation = { security?: Record<string, string[]>[]; parameters?: { name: string; in: string }[] };
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    const settings = doc.paths['/api/v1/orgs/{orgId}/sso']!;
    const schemes = (op: Operation) => op.security!.flatMap((s) => Object.keys(s));
    const csrf = (op: Operation) => op.parameters?.some((p) => p.in === 'header' && p.name === 'X-CSRF-Token') ?? false;
    expect({ get: schemes(settings['get']!), put: schemes(settings['put']!), delete: schemes(settings['delete']!) }).toEqual({ get: ['cookie', 'bearer'], put: ['cookie'], delete: ['cookie'] });
    expect({ get: csrf(settings['get']!), put: csrf(settings['put']!), delete: csrf(settings['delete']!) }).toEqual({ get: false, put: true, delete: true });
    expect(doc.paths['/api/v1/auth/sso/start']!['post']!.security).toBeUndefined();
    expect(doc.paths['/api/v1/auth/sso/callback']!['get']!.security).toBeUndefined();
  });

  describe('sign-in', () => {
    it('answers sso: false for a domain no organisation signs in, the same whether or not an account exists', async () => {
      expect((await start(owner.me.user.email)).body).toEqual({ sso: false, authorizationUrl: null });
      expect((await start('nobody@unknown-domain.example')).body).toEqual({ sso: false, authorizationUrl: null });
    });

    it('signs a new person in just in time: an account verified by the provider, a member with the default role, audited, a session with sso', async () => {
      const email = `new.person@${DOMAIN}`;
      const { body, cookie } = await start(email);
      const url = new URL(body.authorizationUrl!);
      expect(url.origin).toBe(idp.issuer);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('state')).toBeTruthy();
      expect(url.searchParams.get('nonce')).toBeTruthy();
      expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
      idp.nextLogin = { email, emailVerified: true, name: 'New Person' };
      const back = await idp.authorize(url.href);
      const { location, setCookie } = await callback(back, cookie);
      expect(location).toBe(`${PUBLIC_URL}/`);
      const session = sessionCookieFrom(setCookie);
      const me = (await t.http().get('/api/v1/auth/me').set('Cookie', session).expect(200)).body as MeResponse;
      expect(me.user).toMatchObject({ email, name: 'New Person' });
      expect(me.memberships).toEqual([expect.objectContaining({ organisationId: org, role: 'contributor', accountableIndividual: false })]);
      const [user] = await t.ownerQuery<{ verified: boolean; methods: string[] }>(
        `SELECT u.email_verified_at IS NOT NULL AS verified, s.auth_methods AS methods FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.email = $1`,
        [email],
      );
      expect(user).toEqual({ verified: true, methods: ['sso'] });
      const audit = await t.ownerQuery<{ action: string; actor_id: string; data: Record<string, unknown> }>(
        `SELECT action, actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'sso.member_joined'`,
        [org],
      );
      expect(audit).toEqual([{ action: 'sso.member_joined', actor_id: me.user.id, data: { role: 'contributor', accountCreated: true } }]);
      // A password cannot open an account made by single sign-on.
      await t.http().post('/api/v1/auth/sign-in').send({ email, password: '!sso' }).expect(401);

      // Signing in again finds the same account and membership.
      const again = await signInThrough({ email, emailVerified: true });
      expect(again.location).toBe(`${PUBLIC_URL}/`);
      const [count] = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1', [email]);
      expect(count!.n).toBe('1');
    });

    it('records sso-mfa only when the provider reports multi-factor (amr) and the owner trusts it', async () => {
      const email = `mfa.person@${DOMAIN}`;
      const methodsOfLatest = async () =>
        (await t.ownerQuery<{ m: string[] }>(`SELECT s.auth_methods AS m FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 ORDER BY s.created_at DESC LIMIT 1`, [email]))[0]!.m;
      await signInThrough({ email, emailVerified: true, amr: ['pwd', 'otp'] });
      expect(await methodsOfLatest()).toEqual(['sso', 'sso-mfa']);
      await signInThrough({ email, emailVerified: true, amr: ['pwd'] });
      expect(await methodsOfLatest()).toEqual(['sso']);
      await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(config({ trustProviderMfa: false })).expect(200);
      try {
        await signInThrough({ email, emailVerified: true, amr: ['pwd', 'mfa'] });
        expect(await methodsOfLatest()).toEqual(['sso']);
      } finally {
        await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(config()).expect(200);
      }
    });

    it('satisfies the owner\'s second-factor policy with a trusted provider\'s multi-factor sign-in, only with it, and only in that organisation', async () => {
      const email = `policy.person@${DOMAIN}`;
      const mfa = sessionCookieFrom((await signInThrough({ email, emailVerified: true, amr: ['pwd', 'hwk'] })).setCookie);
      const single = sessionCookieFrom((await signInThrough({ email, emailVerified: true, amr: ['pwd'] })).setCookie);
      // Set as the database owner: through the API the owner, signed in with a password alone, would lock themself out.
      await t.ownerQuery(`UPDATE organisations SET second_factor_policy = 'everyone' WHERE organisation_id = $1`, [org]);
      try {
        await t.http().get(`/api/v1/orgs/${org}`).set('Cookie', mfa).expect(200);
        const refused = await t.http().get(`/api/v1/orgs/${org}`).set('Cookie', single).expect(403);
        expect(refused.body.error.code).toBe('SECOND_FACTOR_REQUIRED');

        // The provider vouches for its own organisation only: in another organisation of the same
        // person, with the same policy, the session has no second factor.
        const elsewhere = orgOf(await signUp(t));
        const [person] = await t.ownerQuery<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
        await t.ownerQuery(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'assessor')`, [elsewhere, person!.id]);
        await t.ownerQuery(`UPDATE organisations SET second_factor_policy = 'everyone' WHERE organisation_id = $1`, [elsewhere]);
        const there = await t.http().get(`/api/v1/orgs/${elsewhere}`).set('Cookie', mfa).expect(403);
        expect(there.body.error.code).toBe('SECOND_FACTOR_REQUIRED');
      } finally {
        await t.ownerQuery(`UPDATE organisations SET second_factor_policy = 'off' WHERE organisation_id = $1`, [org]);
      }
    });

    it('signs an existing member in, but refuses an unverified email claim for their address, and an account that is not a member', async () => {
      const member = await addMember(t, org, 'assessor');
      await t.ownerQuery('UPDATE users SET email = $1 WHERE id = $2', [`member@${DOMAIN}`, member.me.user.id]);
      const before = await snapshot(t);
      refusedWith((await signInThrough({ email: `member@${DOMAIN}`, emailVerified: false })).location, 'email_unverified');
      expect(await snapshot(t)).toEqual(before);
      expect((await signInThrough({ email: `member@${DOMAIN}`, emailVerified: true })).location).toBe(`${PUBLIC_URL}/`);

      // An account of someone who never joined this organisation: its provider cannot open it, verified or not.
      const outsider = await signUp(t, SignUpFactory.new().with({ email: `outsider@${DOMAIN}` }).build());
      await t.ownerQuery('UPDATE users SET email_verified_at = now() WHERE id = $1', [outsider.me.user.id]);
      const beforeOutsider = await snapshot(t);
      refusedWith((await signInThrough({ email: `outsider@${DOMAIN}`, emailVerified: true })).location, 'account_exists');
      expect(await snapshot(t)).toEqual(beforeOutsider);
    });

    it('refuses an address whose domain the organisation does not allow', async () => {
      const before = await snapshot(t);
      refusedWith((await signInThrough({ email: 'someone@not-allowed.example', emailVerified: true }, { email: `someone@${DOMAIN}` })).location, 'domain');
      expect(await snapshot(t)).toEqual(before);
    });

    it('refuses a wrong, replayed or foreign-browser state, changing nothing', async () => {
      const email = `state.person@${DOMAIN}`;
      const { body, cookie } = await start(email);
      idp.nextLogin = { email, emailVerified: true };
      const back = await idp.authorize(body.authorizationUrl!);
      const before = await snapshot(t);

      const wrong = new URL(back);
      wrong.searchParams.set('state', 'not-the-state-we-sent');
      refusedWith((await callback(wrong, cookie)).location, 'expired');
      refusedWith((await callback(back, undefined)).location, 'expired');
      const { cookie: otherBrowser } = await start(email);
      refusedWith((await callback(back, otherBrowser)).location, 'expired');
      expect(await snapshot(t)).toEqual(before);

      expect((await callback(back, cookie)).location).toBe(`${PUBLIC_URL}/`);
      const afterFirst = await snapshot(t);
      refusedWith((await callback(back, cookie)).location, 'expired');
      expect(await snapshot(t)).toEqual(afterFirst);
    });

    it('refuses an ID token with the wrong nonce, issuer or audience, or expired, and a response from another issuer, changing nothing', async () => {
      const email = `attacked.person@${DOMAIN}`;
      const who = { email, emailVerified: true };
      const before = await snapshot(t);

      refusedWith((await signInThrough(who, { editUrl: (u) => u.searchParams.set('nonce', 'a-nonce-we-never-issued') })).location, 'invalid');
      try {
        idp.tamper = (c) => ({ ...c, iss: 'http://localhost:1' });
        refusedWith((await signInThrough(who)).location, 'invalid');
        idp.tamper = (c) => ({ ...c, aud: 'another-client' });
        refusedWith((await signInThrough(who)).location, 'invalid');
        idp.tamper = (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 });
        refusedWith((await signInThrough(who)).location, 'invalid');
        // The tamper proves itself: with claims unchanged but re-signed, the same flow succeeds.
        idp.tamper = (c) => c;
        expect((await signInThrough({ email: `control.person@${DOMAIN}`, emailVerified: true })).location).toBe(`${PUBLIC_URL}/`);
      } finally {
        idp.tamper = null;
      }
      const afterControl = await snapshot(t);
      expect(Number(afterControl!.users)).toBe(Number(before!.users) + 1);

      // The iss response parameter (RFC 9207) says another issuer answered.
      const { back, cookie } = await (async () => {
        const s = await start(email);
        idp.nextLogin = who;
        return { back: await idp.authorize(s.body.authorizationUrl!), cookie: s.cookie };
      })();
      back.searchParams.set('iss', otherIdp.issuer);
      refusedWith((await callback(back, cookie)).location, 'invalid');

      // The whole flow run at another provider with the same client id: its code and tokens are not ours.
      const s = await start(email);
      otherIdp.nextLogin = who;
      const elsewhere = await otherIdp.authorize(s.body.authorizationUrl!.replace(idp.issuer, otherIdp.issuer));
      refusedWith((await callback(elsewhere, s.cookie)).location, 'invalid');
      expect(await snapshot(t)).toEqual(afterControl);
    });

    it('refuses a provider error (the person cancelled) and a sign-in started before SSO was turned off', async () => {
      const email = `cancel.person@${DOMAIN}`;
      const s = await start(email);
      const state = new URL(s.body.authorizationUrl!).searchParams.get('state')!;
      const cancelled = new URL(`${REDIRECT_URI}?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`);
      refusedWith((await callback(cancelled, s.cookie)).location, 'provider');

      const pending = await start(email);
      idp.nextLogin = { email, emailVerified: true };
      const back = await idp.authorize(pending.body.authorizationUrl!);
      await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(config({ enabled: false })).expect(200);
      try {
        expect((await start(email)).body).toEqual({ sso: false, authorizationUrl: null });
        refusedWith((await callback(back, pending.cookie)).location, 'unavailable');
      } finally {
        await as(t, owner).put(`/api/v1/orgs/${org}/sso`).send(config()).expect(200);
      }
    });

    it('answers hostile callback queries with the sign-in page, never an error', async () => {
      for (const query of ['', '?state=', '?state=%ZZ%00', `?state=${'a'.repeat(5000)}`, '?state[]=x&state[]=y', '?code=x&state=%F0%9F%AB%B6&iss=javascript:alert(1)']) {
        const res = await t.http().get(`/api/v1/auth/sso/callback${query}`).set('Cookie', 'hoh_sso=forged').expect(303);
        expect(res.headers['location']).toBe(`${PUBLIC_URL}/sign-in?sso_error=expired`);
      }
    });

    it('ends a started sign-in after 10 minutes', async () => {
      const email = `slow.person@${DOMAIN}`;
      const s = await start(email);
      idp.nextLogin = { email, emailVerified: true };
      const back = await idp.authorize(s.body.authorizationUrl!);
      clock.advance(10 * 60_000 + 1);
      refusedWith((await callback(back, s.cookie)).location, 'expired');
    });

    it('removing the configuration frees its domains and ends sign-ins under way (audited)', async () => {
      const other = await signUp(t);
      await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/sso`).send(config({ allowedDomains: ['leaving-sso.example'] })).expect(200);
      const s = await start('x@leaving-sso.example');
      expect(s.body.sso).toBe(true);
      await as(t, other).delete(`/api/v1/orgs/${orgOf(other)}/sso`).expect(204);
      await as(t, other).delete(`/api/v1/orgs/${orgOf(other)}/sso`).expect(204);
      expect(await t.ownerQuery('SELECT 1 FROM sso_logins WHERE organisation_id = $1', [orgOf(other)])).toHaveLength(0);
      expect((await start('x@leaving-sso.example')).body.sso).toBe(false);
      expect((await as(t, other).get(`/api/v1/orgs/${orgOf(other)}/sso`).expect(200)).body).toEqual({ redirectUri: REDIRECT_URI, config: null });
      const actions = await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_log WHERE organisation_id = $1 AND action LIKE 'sso.%' ORDER BY seq`, [orgOf(other)]);
      expect(actions.map((a) => a.action)).toEqual(['sso.configured', 'sso.removed']);
    });
  });

  // Last: afterwards the app's own keyring (the old key only) can no longer open the secrets.
  it('re-wraps every client secret under a new master key on rotation, leaving the secret itself unchanged (docs/SECURITY.md)', async () => {
    const before = await t.ownerQuery<{ organisation_id: string; client_secret_sealed: string }>('SELECT organisation_id, client_secret_sealed FROM sso_configs ORDER BY organisation_id');
    expect(before.length).toBeGreaterThan(0);
    const newKey = randomBytes(32);
    const rotating = new SsoSecretRotation(t.app.get(DataSource), new Keyring(new LocalKeyProvider(newKey, [masterKey])), t.app.get(SsoRepository));
    expect(await rotating.rewrapPending()).toBe(before.length);
    expect(await rotating.rewrapPending()).toBe(0);
    const after = await t.ownerQuery<{ organisation_id: string; client_secret_sealed: string }>('SELECT organisation_id, client_secret_sealed FROM sso_configs ORDER BY organisation_id');
    const oldOnly = new Keyring(new LocalKeyProvider(masterKey));
    const newOnly = new Keyring(new LocalKeyProvider(newKey));
    for (const [i, row] of after.entries()) {
      expect(newOnly.keyIdOf(row.client_secret_sealed)).toBe(keyIdOf(newKey));
      expect(await newOnly.openText(row.client_secret_sealed, secretContext(row.organisation_id))).toBe(await oldOnly.openText(before[i]!.client_secret_sealed, secretContext(row.organisation_id)));
    }
  });
});
