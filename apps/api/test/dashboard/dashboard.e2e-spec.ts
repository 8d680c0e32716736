import { ActionListResponseSchema, AttestationCheckResponseSchema, DashboardResponseSchema, ScoringResultSchema } from '@hoh/contracts';

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

  it('agrees with the routes it summarises: the score, the attestation check and the action list', async () => {
    const d = await dashboard();
    const id = d.current!.assessment.id;
    const base = `/api/v1/orgs/${org}`;
    const scored = ScoringResultSchema.parse((await as(t, owner).get(`${base}/assessments/${id}/score`).expect(200)).body);
    expect({ score: d.current!.score, band: d.current!.band, rawBand: d.current!.rawBand, cappedBy: d.current!.cappedBy, explanation: d.current!.explanation }).toEqual({
      score: scored.overall.score,
      band: scored.overall.band,
      rawBand: scored.overall.rawBand,
      cappedBy: scored.overall.cappedBy,
      explanation: scored.explanation,
    });
    expect(d.current!.domains.map((x) => [x.domainId, x.score])).toEqual(scored.domains.map((x) => [x.domainId, x.score]));
    const check = AttestationCheckResponseSchema.parse((await as(t, owner).get(`${base}/assessments/${id}/attestation-check`).expect(200)).body);
    expect(d.current!.readyToAttest.exceptionCount).toBe(check.exceptions.length);
    const list = ActionListResponseSchema.parse((await as(t, owner).get(`${base}/actions`).expect(200)).body);
    const { overdue, ...counts } = list.counts;
    expect(d.actions.counts).toEqual(counts);
    expect(d.actions.overdue).toBe(overdue);
    expect(d.actions.topOverdue.map((a) => [a.id, a.priority])).toEqual(
      list.items.filter((a) => a.overdue).map((a) => [a.id, a.priority]).slice(0, 5),
    );
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
