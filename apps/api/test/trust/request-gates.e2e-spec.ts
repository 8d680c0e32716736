import { randomUUID } from 'node:crypto';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The gates a request passes before its fields are read (issue 20 §4), in docs/API.md §3's order: no
 * credentials 401 → CSRF 403 → not a member 404 → role 403 → content type 415 → body 400 → fields 400.
 */
describe('request gates: content type, JSON body and role messages', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let org: string;
  let orgUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    orgUrl = `/api/v1/orgs/${org}`;
  });
  afterAll(async () => {
    await t.close();
  });

  const orgName = async () => (await t.ownerQuery<{ name: string }>('SELECT name FROM organisations WHERE organisation_id = $1', [org]))[0]!.name;

  describe('a body of a content type the route does not read', () => {
    const TYPES = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml', 'text/html', 'application/json-patch+json', 'image/png'];

    it.each(TYPES)('answers an authenticated %s write with 415 UNSUPPORTED_MEDIA_TYPE saying to send JSON, and changes nothing', async (type) => {
      const before = await orgName();
      const res = await as(t, owner).patch(orgUrl).set('Content-Type', type).send(type.includes('form') ? 'name=Renamed' : '{"name":"Renamed"}');
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(res.body.error.message).toMatch(/send JSON with Content-Type: application\/json/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(await orgName()).toBe(before);
    });

    it('answers 401, not 415, when the caller is not signed in', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await t.http().patch(orgUrl).set('Content-Type', type).send('name=Renamed');
        expect({ type, status: res.status, code: res.body.error?.code }).toEqual({ type, status: 401, code: 'UNAUTHENTICATED' });
      }
      const token = await t.http().post('/api/v1/auth/tokens').set('Content-Type', 'text/plain').send('{"name":"x"}');
      expect(token.status).toBe(401);
    });

    it('answers the earlier gates first: missing CSRF token 403, another organisation 404, a role without the permission 403', async () => {
      const csrf = await t.http().patch(orgUrl).set('Cookie', owner.cookie).set('Content-Type', 'text/plain').send('x');
      expect({ status: csrf.status, code: csrf.body.error?.code }).toEqual({ status: 403, code: 'CSRF_FAILED' });
      const stranger = await signUp(t);
      const foreign = await as(t, stranger).patch(orgUrl).set('Content-Type', 'text/plain').send('x');
      expect({ status: foreign.status, code: foreign.body.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      const auditor = await addMember(t, org, 'auditor');
      const role = await as(t, auditor).patch(orgUrl).set('Content-Type', 'text/plain').send('x');
      expect({ status: role.status, code: role.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('refuses a cross-site-form content type on a route that ignores its body (submit), which stays a draft', async () => {
      await as(t, owner).put(`${orgUrl}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
      const id = (await as(t, owner).post(`${orgUrl}/assessments`).send({}).expect(201)).body.id as string;
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await as(t, owner).post(`${orgUrl}/assessments/${id}/submit`).set('Content-Type', type).send('');
        expect({ type, status: res.status, code: res.body.error?.code }).toEqual({ type, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      }
      const [row] = await t.ownerQuery<{ status: string }>('SELECT status FROM assessments WHERE id = $1', [id]);
      expect(row!.status).toBe('draft');
    });

    it('refuses multipart on a route that reads JSON only, and names multipart where the route takes files', async () => {
      const multipart = await as(t, owner).patch(orgUrl).field('name', 'Renamed');
      expect({ status: multipart.status, code: multipart.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(multipart.body.error.message).toBe('Content-Type multipart/form-data is not accepted here; send JSON with Content-Type: application/json.');
      const upload = await as(t, owner).post(`${orgUrl}/evidence`).set('Content-Type', 'text/plain').send('policy');
      expect({ status: upload.status, code: upload.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(upload.body.error.message).toMatch(/or the file as multipart\/form-data/);
      const [count] = await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM evidence WHERE organisation_id = $1', [org]);
      expect(count!.n).toBe(0);
    });

    it('answers 415 on public routes (sign-up, report verification) too, where there is no one to authenticate', async () => {
      const signUpRes = await t.http().post('/api/v1/auth/sign-up').set('Content-Type', 'application/x-www-form-urlencoded').send('email=a%40b.example&password=x');
      expect({ status: signUpRes.status, code: signUpRes.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      const verify = await t.http().post('/api/v1/reports/verify').set('Content-Type', 'text/plain').send('{"sha256":"00"}');
      expect({ status: verify.status, code: verify.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers a body sent without any Content-Type with 415', async () => {
      const res = await t.app.inject({ method: 'PATCH', url: orgUrl, headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-length': '17' }, payload: '{"name":"Renamed"}'.slice(0, 17) });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect({ status: res.statusCode, code: res.json<{ error: { code: string } }>().error.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers a Content-Type that is not a media type at all with 415 too (the HTTP layer refuses it before authentication)', async () => {
      const res = await t.http().patch(orgUrl).set('Content-Type', 'not a media type').send('x');
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('still accepts JSON (any charset parameter) and multipart evidence uploads', async () => {
      await as(t, owner).patch(orgUrl).set('Content-Type', 'application/json; charset=utf-8').send('{"name":"Acme Hosting"}').expect(200);
      expect(await orgName()).toBe('Acme Hosting');
      await as(t, owner)
        .post(`${orgUrl}/evidence`)
        .field('title', 'Policy')
        .field('kind', 'policy')
        .field('issuedAt', '2026-01-01T00:00:00Z')
        .attach('file', Buffer.from('Our moderation policy.\n'), 'policy.txt')
        .expect(201);
    });
  });

  describe('a JSON body with a prototype-rewriting key', () => {
    const POISONED: [body: string, path: string][] = [
      ['{"__proto__":{"isAdmin":true},"name":"Poisoned"}', '__proto__'],
      ['{"name":"Poisoned","nested":{"deeper":[{"__proto__":{"isAdmin":true}}]}}', 'nested.deeper.0.__proto__'],
      ['{"\\u005f\\u005fproto__":{"isAdmin":true},"name":"Poisoned"}', '__proto__'],
      ['{"constructor":{"prototype":{"isAdmin":true}},"name":"Poisoned"}', 'constructor.prototype'],
    ];

    it.each(POISONED)('refuses %s as a forbidden field at %s: 400 VALIDATION_FAILED, not "not valid JSON", changing nothing', async (body, path) => {
      const before = await orgName();
      const res = await as(t, owner).patch(orgUrl).set('Content-Type', 'application/json').send(body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.error.message).not.toMatch(/not valid JSON/);
      expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(/is not allowed as a field name anywhere in a body; remove it\./) }]);
      expect(await orgName()).toBe(before);
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    });

    it('answers 401 first when the caller is not signed in, and on sign-up names the key too', async () => {
      const res = await t.http().patch(orgUrl).set('Content-Type', 'application/json').send(POISONED[0]![0]);
      expect(res.status).toBe(401);
      const signUpRes = await t.http().post('/api/v1/auth/sign-up').set('Content-Type', 'application/json').send('{"__proto__":{"isAdmin":true}}');
      expect({ status: signUpRes.status, path: signUpRes.body.error?.details?.[0]?.path }).toEqual({ status: 400, path: '__proto__' });
    });

    it('still calls text that is not JSON invalid JSON (400), after authentication', async () => {
      const broken = await as(t, owner).patch(orgUrl).set('Content-Type', 'application/json').send('{"name": "x",}');
      expect({ status: broken.status, code: broken.body.error?.code, message: broken.body.error?.message }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'The body is not valid JSON. Check quotes, commas and brackets.',
      });
      const anonymous = await t.http().patch(orgUrl).set('Content-Type', 'application/json').send('{"name": "x",}');
      expect(anonymous.status).toBe(401);
    });
  });

  describe('the 403 message for a role without the permission', () => {
    it('tells an owner calling /verification that only an auditor can verify, and to invite one from Members', async () => {
      const res = await as(t, owner).post(`${orgUrl}/assessments/${randomUUID()}/verification`).send({});
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(res.body.error.message).toBe('Only an auditor can record an independent verification of a signed assessment; your role is owner. Invite an auditor from Members.');
    });

    it('names the allowed roles on every refusal: a contributor managing, an auditor contributing', async () => {
      const contributor = await addMember(t, org, 'contributor');
      const manage = await as(t, contributor).post(`${orgUrl}/assessments`).send({});
      expect({ status: manage.status, message: manage.body.error?.message }).toEqual({
        status: 403,
        message: expect.stringMatching(/^Only an owner or an assessor can .*; your role is contributor\. Ask an organisation owner to make you an owner or an assessor in Members if you need this\.$/),
      });
      const auditor = await addMember(t, org, 'auditor');
      const contribute = await as(t, auditor).post(`${orgUrl}/evidence`).send({ title: 'x', kind: 'policy', externalRef: 'x', issuedAt: '2026-01-01T00:00:00Z' });
      expect({ status: contribute.status, message: contribute.body.error?.message }).toEqual({
        status: 403,
        message: expect.stringMatching(/^Only an owner, an assessor or a contributor can .*; your role is auditor\./),
      });
    });
  });
});
