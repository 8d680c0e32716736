import { DashboardResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /orgs/{orgId}/dashboard', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let org: string;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
  });
  afterAll(async () => {
    await t.close();
  });
  const dashboard = async (user = owner) => DashboardResponseSchema.parse((await as(t, user).get(`/api/v1/orgs/${org}/dashboard`).expect(200)).body);

  it('says what is missing for a new organisation: no profile, no assessment', async () => {
    const d = await dashboard();
    expect(d).toMatchObject({ organisation: { id: org }, profile: { described: false }, current: null, trend: [] });
    expect(d.actions.counts).toEqual({ open: 0, in_progress: 0, blocked: 0, done: 0, risk_accepted: 0 });
  });

  it('shows band, score and why, domains, critical controls, actions and readiness to attest in one response', async () => {
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const a = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body;
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${a.id}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/actions`).send({ title: 'Late', dueDate: '2024-01-01', questionIds: ['HASH-01'] }).expect(201);
    const d = await dashboard();
    expect(d.current).toMatchObject({ assessment: { id: a.id, status: 'draft' }, band: 'red', progress: { answered: 1 } });
    expect(d.current!.explanation.length).toBeGreaterThan(0);
    expect(d.current!.domains.length).toBe(9);
    expect(d.current!.criticalControls.find((c) => c.questionId === 'HASH-01')).toMatchObject({ claimed: 2, effectiveLevel: 2 });
    expect(d.current!.readyToAttest.ready).toBe(false);
    expect(d.current!.readyToAttest.exceptionCount).toBeGreaterThan(0);
    expect(d.actions).toMatchObject({ overdue: 1, openByPriority: { p1: 1 } });
    expect(d.actions.topOverdue[0]).toMatchObject({ title: 'Late', priority: 'p1' });
    expect(d.trend).toEqual([expect.objectContaining({ assessmentId: a.id, band: 'red' })]);
  });

  it('is readable by every role, including auditors', async () => {
    const auditor = await addMember(t, org, 'auditor');
    expect((await dashboard(auditor)).organisation.id).toBe(org);
  });

  it('answers 404 to non-members', async () => {
    const outsider = await signUp(t);
    await as(t, outsider).get(`/api/v1/orgs/${org}/dashboard`).expect(404);
  });
});
