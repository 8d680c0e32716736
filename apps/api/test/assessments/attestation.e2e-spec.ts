import { AttestationCheckResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the hand-on-heart check and qualified sign-off', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    base = `/api/v1/orgs/${org}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  async function inReview(): Promise<string> {
    const id = (await as(t, owner).post(base).send({}).expect(201)).body.id as string;
    await as(t, assessor).put(`${base}/${id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 4 }).expect(200);
    await as(t, assessor).put(`${base}/${id}/answers/HASH-02`).set('If-None-Match', '*').send({ value: 'unknown' }).expect(200);
    await as(t, assessor).put(`${base}/${id}/answers/TRN-03`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'We are not eligible' }).expect(200);
    await as(t, owner).post(`${base}/${id}/submit`).expect(200);
    return id;
  }
  const check = async (id: string) => AttestationCheckResponseSchema.parse((await as(t, owner).get(`${base}/${id}/attestation-check`).expect(200)).body);

  it('lists every exception with a plain-words message and never offers the unqualified wording while any is open', async () => {
    const id = await inReview();
    const c = await check(id);
    const kinds = new Set(c.exceptions.map((e) => e.kind));
    for (const k of ['critical_below_target', 'unknown_answer', 'unsupported_claim', 'unapproved_not_applicable', 'unreviewed_answer']) expect(kinds).toContain(k);
    expect(c.exceptions.find((e) => e.kind === 'unsupported_claim')).toMatchObject({ questionId: 'GOV-01' });
    expect(c.unqualified).toBe(false);
    expect(c.statement).toMatch(/cannot give an unqualified attestation/);
    expect(c.statement).not.toMatch(/has done everything within its power/);
  });

  it('flags overdue P1/P2 actions and risk-accepted items', async () => {
    const id = await inReview();
    const overdue = (await as(t, owner).post(`/api/v1/orgs/${org}/actions`).send({ title: 'Deploy hash matching', questionIds: ['HASH-01'], dueDate: '2024-01-01' }).expect(201)).body;
    const minor = (await as(t, owner).post(`/api/v1/orgs/${org}/actions`).send({ title: 'Join industry body', questionIds: ['TRN-03'] }).expect(201)).body;
    await as(t, owner).patch(`/api/v1/orgs/${org}/actions/${minor.id}`).send({ status: 'risk_accepted', reason: 'Not proportionate' }).expect(200);
    const c = await check(id);
    expect(c.exceptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'overdue_action', actionId: overdue.id }),
        expect.objectContaining({ kind: 'risk_accepted', actionId: minor.id }),
      ]),
    );
  });

  it('refuses a signature that does not acknowledge every exception, or signs a changed statement', async () => {
    const id = await inReview();
    const c = await check(id);
    const partial = await as(t, owner).post(`${base}/${id}/sign-off`).send({ statement: c.statement, acknowledged: [c.exceptions[0]!.id], reauth: { password: owner.credentials.password } }).expect(400);
    expect(partial.body.error.details.length).toBe(c.exceptions.length - 1);
    const changed = await as(t, owner).post(`${base}/${id}/sign-off`).send({ statement: `${c.statement} (edited)`, acknowledged: c.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(409);
    expect(changed.body.current.statement).toBe(c.statement);
  });

  it('signs with open exceptions, storing the qualified statement and the acknowledgements, and records it in the audit log', async () => {
    const id = await inReview();
    const c = await check(id);
    const signed = await as(t, owner).post(`${base}/${id}/sign-off`).send({ statement: c.statement, acknowledged: c.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(200);
    expect(signed.body.signature).toMatchObject({ statement: c.statement, unqualified: false, acknowledged: c.exceptions.map((e) => e.id) });
    expect(signed.body.signature.exceptions).toHaveLength(c.exceptions.length);
    const after = await check(id);
    expect(after.statement).toBe(c.statement);
    const log = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log?limit=200`).expect(200);
    const entry = (log.body.items as { action: string; entityId: string; data: { signature: { statement: string } } }[]).find((e) => e.action === 'assessment.signed' && e.entityId === id)!;
    expect(entry.data.signature.statement).toBe(c.statement);
  });

  it('refuses sign-off with 409 ATTESTATION_BLOCKED and the list when the owner requires an empty check', async () => {
    const id = await inReview();
    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ requireEmptyAttestationCheck: true }).expect(200);
    await as(t, assessor).patch(`/api/v1/orgs/${org}`).send({ requireEmptyAttestationCheck: false }).expect(403);
    const c = await check(id);
    const res = await as(t, owner).post(`${base}/${id}/sign-off`).send({ statement: c.statement, acknowledged: c.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(409);
    expect(res.body.error.code).toBe('ATTESTATION_BLOCKED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(c.exceptions.map((e) => e.id));
    await as(t, owner).patch(`/api/v1/orgs/${org}`).send({ requireEmptyAttestationCheck: false }).expect(200);
  });
});
