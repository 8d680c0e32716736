import { ApplicabilityResponseSchema, ExposureResponseSchema, ProfileResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('organisation, profile, applicability and exposure', () => {
  let t: TestApp;
  let alice: SignedInUser;
  let bob: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp();
    alice = await signUp(t);
    bob = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns the organisation with an ETag of its version', async () => {
    const res = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}`).expect(200);
    expect(res.body).toMatchObject({ id: orgOf(alice), name: alice.credentials.organisationName, version: 1 });
    expect(res.headers['etag']).toBe('"1"');
  });

  it('answers 404 for another organisation, an unknown id and a malformed id alike', async () => {
    for (const id of [orgOf(bob), '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await as(t, alice).get(`/api/v1/orgs/${id}`).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('renames the organisation, refuses a stale If-Match with 412 and the current state', async () => {
    const url = `/api/v1/orgs/${orgOf(alice)}`;
    const renamed = await as(t, alice).patch(url).set('If-Match', '"1"').send({ name: 'Renamed Ltd' }).expect(200);
    expect(renamed.body.version).toBe(2);
    const stale = await as(t, alice).patch(url).set('If-Match', '"1"').send({ name: 'Lost update' }).expect(412);
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    expect(stale.body.current).toMatchObject({ name: 'Renamed Ltd', version: 2 });
  });

  it('starts with no profile and refuses applicability until there is one (409 with what to do)', async () => {
    const empty = await as(t, bob).get(`/api/v1/orgs/${orgOf(bob)}/profile`).expect(200);
    expect(ProfileResponseSchema.parse(empty.body)).toMatchObject({ profile: null, version: 0 });
    const res = await as(t, bob).get(`/api/v1/orgs/${orgOf(bob)}/applicability`).expect(409);
    expect(res.body.error.message).toMatch(/profile/);
  });

  it('saves a profile, stamps changed facts as confirmed now, and computes applicability with reasons', async () => {
    const profile = ProfileFactory.ukFileSharing({ confirmedAt: { services: '2026-01-15T00:00:00Z' } });
    const saved = await as(t, alice).put(`/api/v1/orgs/${orgOf(alice)}/profile`).send(profile).expect(200);
    const body = ProfileResponseSchema.parse(saved.body);
    expect(body.version).toBe(1);
    expect(body.profile?.confirmedAt.services).toBe('2026-01-15T00:00:00Z');
    expect(Date.parse(body.profile?.confirmedAt.ukMonthlyUsers ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const app = ApplicabilityResponseSchema.parse((await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/applicability`).expect(200)).body);
    expect(app.items.length).toBeGreaterThanOrEqual(45);
    expect(app.applicableCount).toBeGreaterThan(0);
    for (const item of app.items) expect(item.reason.length).toBeGreaterThan(0);
    const hash = app.items.find((i) => i.questionId === 'HASH-01');
    expect(hash).toMatchObject({ applicable: true });
  });

  it('previews applicability for a draft profile without saving it', async () => {
    const before = (await as(t, bob).get(`/api/v1/orgs/${orgOf(bob)}/profile`).expect(200)).body.version;
    const res = await as(t, bob).post(`/api/v1/orgs/${orgOf(bob)}/applicability/preview`).send(ProfileFactory.enterpriseOnly()).expect(200);
    const preview = ApplicabilityResponseSchema.parse(res.body);
    expect(preview.items.filter((i) => i.applicable).some((i) => i.questionId.startsWith('ENT-'))).toBe(true);
    expect((await as(t, bob).get(`/api/v1/orgs/${orgOf(bob)}/profile`).expect(200)).body.version).toBe(before);
  });

  it('maps regulatory exposure with a reason for every regime × measure', async () => {
    const res = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/exposure`).expect(200);
    const { items } = ExposureResponseSchema.parse(res.body);
    expect(items.length).toBeGreaterThan(10);
    expect(items.find((e) => e.regime === 'ofcom-icu' && e.id === 'C9')).toMatchObject({ applies: true });
  });

  it('rejects a malformed profile with field-level messages and keeps the stored one', async () => {
    const res = await as(t, alice)
      .put(`/api/v1/orgs/${orgOf(alice)}/profile`)
      .send({ ...ProfileFactory.ukFileSharing(), ukMonthlyUsers: -5, services: ['telepathy'], risk: { imageCsam: 'extreme' } })
      .expect(400);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['ukMonthlyUsers']));
    const stored = (await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/profile`).expect(200)).body;
    expect(stored.profile.ukMonthlyUsers).toBe(1_200_000);
  });

  it('records each change in a hash chain that verifies, and lists it to members', async () => {
    const log = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/audit-log?limit=1`).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.nextCursor).toEqual(expect.any(String));
    const next = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/audit-log?limit=50&cursor=${log.body.nextCursor}`).expect(200);
    expect((next.body.items as { action: string }[]).map((e) => e.action)).toContain('profile.updated');
    const verify = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true, checked: 2 });
  });

  it('detects an audit entry edited behind the API (trigger bypassed by the owner)', async () => {
    await t.ownerQuery(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await t.ownerQuery(`UPDATE audit_log SET data = '{"name":"forged"}' WHERE organisation_id = $1 AND seq = 1`, [orgOf(alice)]);
    await t.ownerQuery(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    const verify = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: false, firstBreak: { seq: 1, reason: expect.stringMatching(/hash/) } });
  });

  it('refuses UPDATE and DELETE on the audit log even for the API role', async () => {
    await expect(t.appQueryAs(orgOf(bob), `DELETE FROM audit_log`)).rejects.toThrow(/permission denied|append-only/);
    await expect(t.ownerQuery(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('lists members with their roles', async () => {
    const res = await as(t, alice).get(`/api/v1/orgs/${orgOf(alice)}/members`).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ userId: alice.me.user.id, role: 'owner', accountableIndividual: true })]);
  });

  it('serves the question bank to signed-in users', async () => {
    const list = await as(t, alice).get('/api/v1/frameworks').expect(200);
    const current = (list.body.items as { id: string; version: string; current: boolean; questionCount: number }[]).find((f) => f.current)!;
    const fw = await as(t, alice).get(`/api/v1/frameworks/${current.id}/versions/${current.version}`).expect(200);
    expect(fw.body.questions.length).toBe(current.questionCount);
    await as(t, alice).get('/api/v1/frameworks/hoh-csam/versions/9.9.9').expect(404);
    await t.http().get('/api/v1/frameworks').expect(401);
  });
});
