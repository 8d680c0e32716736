import { CreateApiTokenResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The access guard opens an organisation route's transaction before it knows the answer, so every
 * way a request can end must give the connection back. With a pool of two connections, a leak of
 * two would turn the next request into a 503 (pool wait): each test sends far more than that.
 */
describe('the organisation-route transaction opened by the access guard', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let outsider: SignedInUser;
  let auditor: SignedInUser;
  let orgId: string;
  let assessmentId: string;
  let bearer: string;

  beforeAll(async () => {
    t = await startTestApp({ DB_POOL_SIZE: '2' });
    owner = await signUp(t);
    outsider = await signUp(t);
    orgId = orgOf(owner);
    auditor = await addMember(t, orgId, 'auditor');
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body.id as string;
    bearer = CreateApiTokenResponseSchema.parse((await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'guard test', scope: 'read' }).expect(201)).body).token;
  });

  afterAll(async () => {
    await t?.close();
  });

  const score = `/api/v1/orgs/{org}/assessments/{id}/score`;
  const scorePath = () => score.replace('{org}', orgId).replace('{id}', assessmentId);
  const okAfterwards = async () => {
    for (let i = 0; i < 3; i++) await as(t, owner).get(scorePath()).expect(200);
  };

  it('gives the connection back after every kind of denial: not a member 404, role 403, CSRF 403, bad token 401, stale session 401', async () => {
    for (let i = 0; i < 5; i++) {
      await as(t, outsider).get(scorePath()).expect(404);
      await as(t, auditor).put(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(403);
      await t.http().put(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/answers/GOV-01`).set('Cookie', owner.cookie).send({ value: 3 }).expect(403);
      await t.http().get(scorePath()).set('Authorization', 'Bearer hoh_pat_not-a-real-token').expect(401);
      await t.http().get(scorePath()).set('Cookie', 'hoh_session=an-unknown-session-token-of-some-length').expect(401);
    }
    await okAfterwards();
  });

  it('gives it back after a handler error, a validation failure and a read-only token refused a write', async () => {
    for (let i = 0; i < 5; i++) {
      await as(t, owner).get(`/api/v1/orgs/${orgId}/assessments/00000000-0000-4000-8000-000000000000/score`).expect(404);
      await as(t, owner).put(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 'lots' }).expect(400);
      await t.http().put(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/answers/GOV-01`).set('Authorization', `Bearer ${bearer}`).set('If-None-Match', '*').send({ value: 3 }).expect(403);
    }
    await okAfterwards();
  });

  it('serves an API token and a cookie session on the same small pool at once', async () => {
    const reads = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? t.http().get(scorePath()).set('Authorization', `Bearer ${bearer}`).expect(200) : as(t, owner).get(scorePath()).expect(200),
    );
    await Promise.all(reads);
  });
});
