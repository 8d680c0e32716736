import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { CreateApiTokenResponseSchema } from '@hoh/contracts';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { SignUpFactory } from '../factories/user.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { sessionCookieFrom, signUp } from '../support/session.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Security headers and session behaviour (issue 8 §6, docs/API.md §2.1 and §14, docs/SECURITY.md ASVS table; this
 * stands in for a ZAP baseline scan).
 */
type Headers = Record<string, string | string[] | undefined>;

function cspDirectives(headers: Headers): Map<string, string[]> {
  const raw = String(headers['content-security-policy'] ?? '');
  return new Map(
    raw
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0]!, parts.slice(1)]),
  );
}

/** The headers every response of the app must carry, whatever its content. */
function expectBaselineHeaders(headers: Headers, what: string): void {
  const csp = cspDirectives(headers);
  expect({ what, frameAncestors: csp.get('frame-ancestors'), objectSrc: csp.get('object-src'), baseUri: csp.get('base-uri') }).toEqual({
    what,
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
  });
  for (const directive of ['script-src', 'style-src', 'default-src']) {
    expect({ what, directive, unsafeInline: (csp.get(directive) ?? []).includes("'unsafe-inline'") }).toEqual({ what, directive, unsafeInline: false });
  }
  expect(csp.get('script-src')).toBeDefined();
  expect(csp.get('style-src')).toBeDefined();
  expect({ what, nosniff: headers['x-content-type-options'], referrer: headers['referrer-policy'] }).toEqual({ what, nosniff: 'nosniff', referrer: 'no-referrer' });
  expect(headers['x-powered-by']).toBeUndefined();
  // Permissions-Policy: the powerful features the app never uses are denied to it and every frame.
  const allowed = new Map(
    String(headers['permissions-policy'] ?? '')
      .split(',')
      .map((d) => d.trim().split('='))
      .filter((parts) => parts[0])
      .map(([feature, allowlist]) => [feature!, allowlist ?? ''] as const),
  );
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'hid', 'bluetooth', 'display-capture', 'browsing-topics']) {
    expect({ what, feature, allowlist: allowed.get(feature) }).toEqual({ what, feature, allowlist: '()' });
  }
  // Passkeys: the app's own pages only (docs/PRODUCT.md §2.5), never a frame.
  expect({ what, allowlist: allowed.get('publickey-credentials-get') }).toEqual({ what, allowlist: '(self)' });
}

describe('security headers and sessions', () => {
  let t: TestApp;
  let checks = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    console.log(`headers & sessions: ${checks} header/session checks`);
    await t.close();
  });

  it('sends the security headers (Permissions-Policy included) and no-store on authenticated API answers, errors included', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const responses = {
      health: await t.http().get('/api/health'),
      me: await as(t, owner).get('/api/v1/auth/me'),
      organisation: await as(t, owner).get(`/api/v1/orgs/${org}`),
      dashboard: await as(t, owner).get(`/api/v1/orgs/${org}/dashboard`),
      notFound: await as(t, owner).get(`/api/v1/orgs/${org}/no-such-thing`),
      unauthenticated: await t.http().get(`/api/v1/orgs/${org}`),
      validation: await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ name: 42 }),
      unsupportedMediaType: await as(t, owner).patch(`/api/v1/orgs/${org}`).set('Content-Type', 'text/plain').send('name'),
    };
    for (const [what, res] of Object.entries(responses)) {
      expectBaselineHeaders(res.headers, what);
      checks += 1;
      expect({ what, cacheControl: res.headers['cache-control'] }).toEqual({ what, cacheControl: 'no-store' });
      expect({ what, contentType: res.headers['content-type'] }).toEqual({ what, contentType: expect.stringMatching(/charset=utf-8/i) });
    }
  });

  it('scopes the looser style policy Swagger UI needs to /api/docs only', async () => {
    const docs = await t.http().get('/api/docs');
    const csp = cspDirectives(docs.headers);
    expect(csp.get('style-src')).toContain("'unsafe-inline'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    const api = cspDirectives((await t.http().get('/api/health')).headers);
    expect(api.get('style-src')).not.toContain("'unsafe-inline'");
    checks += 2;
  });

  it('sets the session cookie HttpOnly, SameSite=Strict and path-wide, never readable by scripts', async () => {
    const { email, password } = (await signUp(t)).credentials;
    const res = await t.http().post('/api/v1/auth/sign-in').send({ email, password }).expect(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.includes('hoh_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    checks += 1;
  });

  it('rotates the session id at sign-in, whatever cookie the browser presents', async () => {
    const user = await signUp(t);
    const credentials = { email: user.credentials.email, password: user.credentials.password };
    const res = await t.http().post('/api/v1/auth/sign-in').set('Cookie', user.cookie).send(credentials).expect(200);
    const rotated = sessionCookieFrom(res.headers['set-cookie']);
    expect(rotated).not.toBe(user.cookie);
    // An attacker-chosen value is never adopted: the server only ever issues ids it generated.
    const fixed = await t.http().post('/api/v1/auth/sign-in').set('Cookie', 'hoh_session=attacker-chosen-session-id-0123456789').send(credentials).expect(200);
    expect(sessionCookieFrom(fixed.headers['set-cookie'])).not.toContain('attacker-chosen');
    await t.http().get('/api/v1/auth/me').set('Cookie', 'hoh_session=attacker-chosen-session-id-0123456789').expect(401);
    await t.http().get('/api/v1/auth/me').set('Cookie', rotated).expect(200);
    checks += 4;
  });

  it('revokes the session on sign-out: the old cookie is refused on the very next request', async () => {
    const user = await signUp(t);
    await as(t, user).post('/api/v1/auth/sign-out').expect(204);
    const res = await as(t, user).get('/api/v1/auth/me').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    checks += 1;
  });

  it('revokes access on the very next request when the owner removes a member, and applies a role change at once', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const removed = await addMember(t, org, 'assessor');
    const demoted = await addMember(t, org, 'assessor');
    await as(t, removed).get(`/api/v1/orgs/${org}`).expect(200);
    await as(t, owner).delete(`/api/v1/orgs/${org}/members/${removed.me.user.id}`).expect((r) => expect([200, 204]).toContain(r.status));
    const gone = await as(t, removed).get(`/api/v1/orgs/${org}`);
    expect(gone.status).toBe(404);
    await as(t, removed).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(404);

    await as(t, demoted).post(`/api/v1/orgs/${org}/actions`).send({ title: 'Before the demotion' }).expect(201);
    await as(t, owner).patch(`/api/v1/orgs/${org}/members/${demoted.me.user.id}`).send({ role: 'auditor' }).expect(200);
    const refused = await as(t, demoted).post(`/api/v1/orgs/${org}/actions`).send({ title: 'After the demotion' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    checks += 4;
  });

  it('revokes a removed member’s personal API token on the very next request too', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const member = await addMember(t, org, 'assessor');
    const { token } = CreateApiTokenResponseSchema.parse((await as(t, member).post('/api/v1/auth/tokens').send({ name: 'CI', scope: 'read_write' }).expect(201)).body);
    await t.http().get(`/api/v1/orgs/${org}`).set('Authorization', `Bearer ${token}`).expect(200);
    await as(t, owner).delete(`/api/v1/orgs/${org}/members/${member.me.user.id}`).expect((r) => expect([200, 204]).toContain(r.status));
    await t.http().get(`/api/v1/orgs/${org}`).set('Authorization', `Bearer ${token}`).expect(404);
    await t.http().post(`/api/v1/orgs/${org}/actions`).set('Authorization', `Bearer ${token}`).send({ title: 'After removal' }).expect(404);
    checks += 3;
  });

  it('enforces CSRF on cookie-authenticated writes, and not on bearer tokens', async () => {
    const owner = await signUp(t);
    const org = orgOf(owner);
    const url = `/api/v1/orgs/${org}`;
    const missing = await t.http().patch(url).set('Cookie', owner.cookie).send({ name: 'Forged' });
    const wrong = await t.http().patch(url).set('Cookie', owner.cookie).set('X-CSRF-Token', 'x'.repeat(43)).send({ name: 'Forged' });
    const otherUsers = await signUp(t);
    const borrowed = await t.http().patch(url).set('Cookie', owner.cookie).set('X-CSRF-Token', otherUsers.csrf).send({ name: 'Forged' });
    for (const res of [missing, wrong, borrowed]) {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'CSRF_FAILED' });
    }
    const [row] = await t.ownerQuery<{ name: string }>('SELECT name FROM organisations WHERE organisation_id = $1', [org]);
    expect(row!.name).not.toBe('Forged');
    // A form post from another site cannot even be parsed: the API reads JSON only.
    const form = await t.http().patch(url).set('Cookie', owner.cookie).set('X-CSRF-Token', owner.csrf).type('form').send('name=Forged');
    expect({ status: form.status, code: form.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const { token } = CreateApiTokenResponseSchema.parse((await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'CI', scope: 'read_write' }).expect(201)).body);
    await t.http().patch(url).set('Authorization', `Bearer ${token}`).send({ name: 'Renamed by token' }).expect(200);
    checks += 5;
  });
});

describe('security headers on the single-page app', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let dist: string;

  beforeAll(async () => {
    // The shared harness serves no web build; this app gets a minimal one, exactly as main.ts would.
    dist = mkdtempSync(join(tmpdir(), 'hoh-web-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>Hand on Heart</title><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
    db = await createTestDatabase();
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false' });
    app = await createApp(buildConfig(env, { ownerUrl: db.ownerUrl, appUrl: db.appUrl, embedded: null }, dist));
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the SPA index with a strict CSP (no unsafe-inline for scripts or styles), nosniff, no-referrer and a Permissions-Policy', async () => {
    for (const path of ['/', '/app/overview', '/sign-in']) {
      const res = await request(app.getHttpServer()).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expectBaselineHeaders(res.headers, path);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });
});

describe('behind a TLS-terminating proxy (TRUST_PROXY)', () => {
  let behindProxy: TestApp;
  let direct: TestApp;
  let checks = 0;

  beforeAll(async () => {
    [behindProxy, direct] = await Promise.all([startTestApp({ TRUST_PROXY: 'true' }), startTestApp({ TRUST_PROXY: 'false' })]);
  });
  afterAll(async () => {
    console.log(`headers & sessions behind TLS: ${checks} HSTS/cookie checks`);
    await Promise.all([behindProxy.close(), direct.close()]);
  });

  it('sends HSTS (≥ 1 year, includeSubDomains) and a Secure __Host- session cookie when the proxy says the client used https', async () => {
    const health = await behindProxy.http().get('/api/health').set('X-Forwarded-Proto', 'https').expect(200);
    const hsts = String(health.headers['strict-transport-security'] ?? '');
    expect(hsts).toMatch(/includeSubDomains/i);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0)).toBeGreaterThanOrEqual(31_536_000);
    const signUp = await behindProxy.http().post('/api/v1/auth/sign-up').set('X-Forwarded-Proto', 'https').send(SignUpFactory.new().build()).expect(201);
    const cookie = ([] as string[]).concat(signUp.headers['set-cookie'] ?? []).find((c) => c.includes('hoh_session='))!;
    expect(cookie).toMatch(/^__Host-hoh_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Domain=/i);
    // The __Host- cookie authenticates the next request over the same proxy.
    await behindProxy.http().get('/api/v1/auth/me').set('X-Forwarded-Proto', 'https').set('Cookie', cookie.split(';')[0]!).expect(200);
    checks += 4;
  });

  it('ignores a forged X-Forwarded-Proto when no proxy is trusted: no HSTS, no Secure cookie claimed', async () => {
    const health = await direct.http().get('/api/health').set('X-Forwarded-Proto', 'https').expect(200);
    expect(health.headers['strict-transport-security']).toBeUndefined();
    const signUp = await direct.http().post('/api/v1/auth/sign-up').set('X-Forwarded-Proto', 'https').send(SignUpFactory.new().build()).expect(201);
    const cookie = ([] as string[]).concat(signUp.headers['set-cookie'] ?? []).find((c) => c.includes('hoh_session='))!;
    expect(cookie).toMatch(/^hoh_session=/);
    checks += 2;
  });
});
