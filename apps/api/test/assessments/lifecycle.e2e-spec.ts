import { AssessmentResponseSchema, ScoringResultSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('assessment lifecycle: answers, concurrency, review, sign-off, verification', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
    outsider = await signUp(t);
    base = `/api/v1/orgs/${org}/assessments`;
  });
  afterAll(async () => {
    await t.close();
  });

  const newAssessment = async (body: Record<string, unknown> = {}) => AssessmentResponseSchema.parse((await as(t, owner).post(base).send(body).expect(201)).body);

  it('refuses to start an assessment before the organisation is described (409, says what to do)', async () => {
    const res = await as(t, owner).post(base).send({}).expect(409);
    expect(res.body.error.message).toMatch(/profile/);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  });

  it('creates a draft on the current bank, scored red while nothing is answered', async () => {
    const a = await newAssessment({ title: 'Annual review 2026' });
    expect(a).toMatchObject({ status: 'draft', framework: { id: 'hoh-csam', version: '1.2.0' }, band: 'red', score: 0, answers: [] });
    const list = await as(t, auditor).get(base).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
  });

  it.each(['1.0.0', '1.1.0'])('starts a follow-up of a %s assessment on the current bank, its answers moved by the published mappings', async (version) => {
    // Its own organisation: the older draft is made by editing the row, which that org's audit check reports as drift.
    const other = await signUp(t);
    const otherBase = `/api/v1/orgs/${orgOf(other)}/assessments`;
    await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const create = async (body: Record<string, unknown> = {}) => AssessmentResponseSchema.parse((await as(t, other).post(otherBase).send(body).expect(201)).body);
    const old = await create({ title: `Review on the ${version} bank` });
    // Assessments made before the current bank was published are on an older version.
    await t.ownerQuery(`UPDATE assessments SET framework_version = $3 WHERE organisation_id = $1 AND id = $2`, [orgOf(other), old.id, version]);
    await as(t, other).put(`${otherBase}/${old.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    // Next year's review starts only from a submitted or signed one (§5.7).
    await as(t, other).post(`${otherBase}/${old.id}/submit`).expect(200);
    const next = await create({ fromAssessmentId: old.id });
    // Through the same migration as an upgrade (docs/PRODUCT.md §3.4, §5.7); the source keeps its version.
    expect(next).toMatchObject({ framework: { id: 'hoh-csam', version: '1.2.0' }, fromAssessmentId: old.id });
    expect(next.answers.map((x) => [x.questionId, x.value])).toEqual([['GOV-01', 2]]);
    // A question new in 1.2.0 can be answered in the follow-up, not in the older source.
    await as(t, other).put(`${otherBase}/${next.id}/answers/TRN-06`).set('If-None-Match', '*').send({ value: 4 }).expect(200);
    await as(t, other).get(`${otherBase}/${old.id}/answers/TRN-06`).expect(404);
    expect((await as(t, other).get(`${otherBase}/${old.id}`).expect(200)).body.framework.version).toBe(version);
    expect((await create()).framework.version).toBe('1.2.0');
  });

  it('answers with If-None-Match on the first write, then needs If-Match: missing → 428, stale → 412 with the current answer', async () => {
    const a = await newAssessment();
    const url = `${base}/${a.id}/answers/GOV-01`;
    const first = await as(t, owner).put(url).set('If-None-Match', '*').send({ value: 3, comment: 'Board minutes' }).expect(200);
    expect(first.body).toMatchObject({ value: 3, version: 1, answered: true });
    expect(first.headers['etag']).toBe('"1"');
    const missing = await as(t, owner).put(url).send({ value: 2 }).expect(428);
    expect(missing.body.error.code).toBe('PRECONDITION_REQUIRED');
    await as(t, owner).put(url).set('If-Match', '"1"').send({ value: 2 }).expect(200);
    const stale = await as(t, owner).put(url).set('If-Match', '"1"').send({ value: 4 }).expect(412);
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    expect(stale.body.current).toMatchObject({ value: 2, version: 2 });
    const again = await as(t, owner).put(url).set('If-None-Match', '*').send({ value: 4 }).expect(412);
    expect(again.body.current.version).toBe(2);
    const read = await as(t, auditor).get(url).expect(200);
    expect(read.headers['etag']).toBe('"2"');
  });

  it('lets exactly one of many concurrent writers with the same If-Match win; the rest get 412', async () => {
    const a = await newAssessment();
    const url = `${base}/${a.id}/answers/GOV-02`;
    await as(t, owner).put(url).set('If-None-Match', '*').send({ value: 1 }).expect(200);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => as(t, owner).put(url).set('If-Match', '"1"').send({ value: 2, comment: `writer ${i}` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(11);
    const final = await as(t, owner).get(url).expect(200);
    expect(final.body.version).toBe(2);
  });

  it('rejects answers that do not fit the question with 400 and changes nothing', async () => {
    const a = await newAssessment();
    const legal = await as(t, owner).put(`${base}/${a.id}/answers/REP-01`).set('If-None-Match', '*').send({ value: 3 }).expect(400);
    expect(legal.body.error.details[0].path).toBe('value');
    const na = await as(t, owner).put(`${base}/${a.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 'not_applicable' }).expect(400);
    expect(na.body.error.details.map((d: { path: string }) => d.path)).toContain('justification');
    await as(t, owner).put(`${base}/${a.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 7 }).expect(400);
    await as(t, owner).put(`${base}/${a.id}/answers/NOPE-99`).set('If-None-Match', '*').send({ value: 1 }).expect(404);
    expect((await as(t, owner).get(`${base}/${a.id}`).expect(200)).body.answers).toEqual([]);
  });

  it('lets contributors answer only what is assigned to them, and auditors nothing', async () => {
    const a = await newAssessment();
    const url = `${base}/${a.id}/answers/OPS-01`;
    await as(t, contributor).put(url).set('If-None-Match', '*').send({ value: 2 }).expect(403);
    await as(t, contributor).post(`${base}/${a.id}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: ['OPS-01'] }).expect(403);
    await as(t, assessor).post(`${base}/${a.id}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: ['OPS-01'] }).expect(200);
    const ok = await as(t, contributor).put(url).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    expect(ok.body.assigneeId).toBe(contributor.me.user.id);
    await as(t, auditor).put(`${base}/${a.id}/answers/OPS-02`).set('If-None-Match', '*').send({ value: 2 }).expect(403);
  });

  it('answers carry their assignee and linked evidence (in link order) on write and on read; an unanswered question reads as version 0', async () => {
    const a = await newAssessment();
    const url = `${base}/${a.id}/answers/OPS-03`;
    const blank = await as(t, owner).get(url).expect(200);
    expect(blank.body).toMatchObject({ answered: false, value: null, version: 0, assigneeId: null, evidenceIds: [] });
    expect(blank.headers['etag']).toBe('"0"');
    const evidence = `/api/v1/orgs/${org}/evidence`;
    const first = await as(t, owner).post(evidence).send({ title: 'Escalation runbook', kind: 'procedure', externalRef: 'DMS-31', issuedAt: '2026-01-01T00:00:00Z' }).expect(201);
    const second = await as(t, owner).post(evidence).send({ title: 'Escalation contract', kind: 'contract', externalRef: 'DMS-32', issuedAt: '2026-01-02T00:00:00Z' }).expect(201);
    await as(t, owner).put(`${url}/evidence/${first.body.id}`).expect(200);
    await as(t, owner).put(`${url}/evidence/${second.body.id}`).expect(200);
    await as(t, assessor).post(`${base}/${a.id}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: ['OPS-03'] }).expect(200);

    const written = await as(t, contributor).put(url).set('If-None-Match', '*').send({ value: 3, justification: 'Runbook tested quarterly.' }).expect(200);
    const expected = { answered: true, value: 3, justification: 'Runbook tested quarterly.', version: 1, authorId: contributor.me.user.id, assigneeId: contributor.me.user.id, evidenceIds: [first.body.id, second.body.id] };
    expect(written.body).toMatchObject(expected);
    const read = await as(t, owner).get(url).expect(200);
    expect(read.body).toEqual(written.body);
    const updated = await as(t, owner).put(url).set('If-Match', '"1"').send({ value: 2 }).expect(200);
    expect(updated.body).toMatchObject({ ...expected, value: 2, justification: null, version: 2, authorId: owner.me.user.id });
  });

  it('hides another organisation’s assessment behind 404, whatever the id', async () => {
    const a = await newAssessment();
    await as(t, outsider).get(`/api/v1/orgs/${orgOf(outsider)}/assessments/${a.id}`).expect(404);
    await as(t, outsider).get(`${base}/${a.id}`).expect(404);
    await as(t, owner).get(`${base}/not-a-uuid`).expect(404);
  });

  it('runs review and sign-off, then locks every write with 409 ASSESSMENT_LOCKED and freezes the score', async () => {
    const a = await newAssessment();
    await as(t, owner).put(`${base}/${a.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).put(`${base}/${a.id}/answers/NOV-05`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'No signal-sharing partners exist for our sector' }).expect(200);
    await as(t, owner).post(`${base}/${a.id}/sign-off`).send({ statement: 'x', reauth: { password: owner.credentials.password } }).expect(409);
    await as(t, owner).post(`${base}/${a.id}/submit`).expect(200);
    await as(t, owner).post(`${base}/${a.id}/submit`).expect(409);

    const self = await as(t, owner).post(`${base}/${a.id}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }] }).expect(409);
    expect(self.body.error.message).toMatch(/different owner or assessor/);
    await as(t, assessor).post(`${base}/${a.id}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'return' }] }).expect(400);
    const reviewed = await as(t, assessor)
      .post(`${base}/${a.id}/reviews`)
      .send({ items: [{ questionId: 'GOV-01', decision: 'approve' }, { questionId: 'NOV-05', decision: 'approve', comment: 'Agreed' }] })
      .expect(200);
    const nov = reviewed.body.answers.find((x: { questionId: string }) => x.questionId === 'NOV-05');
    expect(nov.review).toMatchObject({ status: 'approved', naApproved: true, reviewerId: assessor.me.user.id });

    await as(t, assessor).post(`${base}/${a.id}/sign-off`).send({ statement: 'I attest.' }).expect(403);
    const check = (await as(t, owner).get(`${base}/${a.id}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    const ids = check.exceptions.map((e) => e.id);
    const signed = await as(t, owner).post(`${base}/${a.id}/sign-off`).send({ statement: check.statement, acknowledged: ids, reauth: { password: owner.credentials.password } }).expect(200);
    expect(signed.body).toMatchObject({ status: 'signed', signature: { statement: check.statement, acknowledged: ids, signerId: owner.me.user.id, signerRole: 'owner' } });
    const scoreAtSigning = ScoringResultSchema.parse((await as(t, owner).get(`${base}/${a.id}/score`).expect(200)).body);

    const locked = await as(t, owner).put(`${base}/${a.id}/answers/GOV-01`).set('If-Match', '"1"').send({ value: 4 }).expect(409);
    expect(locked.body.error.code).toBe('ASSESSMENT_LOCKED');
    await as(t, owner).put(`${base}/${a.id}/targets/TRN-05`).send({ target: 1, reason: 'x' }).expect(409);
    await as(t, owner).post(`${base}/${a.id}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }] }).expect(409);

    // Evidence expiring or the profile changing later must not move a signed score.
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.enterpriseOnly()).expect(200);
    const later = ScoringResultSchema.parse((await as(t, owner).get(`${base}/${a.id}/score`).expect(200)).body);
    expect(later.overall).toEqual(scoreAtSigning.overall);
    expect(later.asOf).toBe(scoreAtSigning.asOf);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);

    await as(t, owner).post(`${base}/${a.id}/verification`).send({}).expect(403);
    const verified = await as(t, auditor).post(`${base}/${a.id}/verification`).send({ note: 'Sampled 10 items' }).expect(200);
    expect(verified.body.confidence).toBe('independently_verified');
    expect(verified.body.verifications).toHaveLength(1);
  });

  it('starts next year’s review from last year’s answers and keeps the link', async () => {
    const a = await newAssessment();
    await as(t, owner).put(`${base}/${a.id}/answers/GOV-03`).set('If-None-Match', '*').send({ value: 2, comment: 'carry me' }).expect(200);
    await as(t, owner).post(`${base}/${a.id}/submit`).expect(200);
    const next = await newAssessment({ fromAssessmentId: a.id });
    expect(next.fromAssessmentId).toBe(a.id);
    expect(next.answers).toEqual([expect.objectContaining({ questionId: 'GOV-03', value: 2, comment: 'carry me', version: 1 })]);
    await as(t, owner).post(base).send({ fromAssessmentId: '00000000-0000-4000-8000-000000000000' }).expect(404);
  });

  it('overrides a non-critical target with a reason and refuses one on a critical control', async () => {
    const a = await newAssessment();
    const ok = await as(t, assessor).put(`${base}/${a.id}/targets/TRN-05`).send({ target: 2, reason: 'Small team; horizon scanning via our law firm' }).expect(200);
    expect(ok.body.targets).toEqual([{ questionId: 'TRN-05', target: 2, reason: 'Small team; horizon scanning via our law firm' }]);
    const critical = await as(t, assessor).put(`${base}/${a.id}/targets/HASH-01`).send({ target: 1, reason: 'Too costly' }).expect(409);
    expect(critical.body.error.message).toMatch(/critical/);
    await as(t, assessor).put(`${base}/${a.id}/targets/TRN-05`).send({ target: 2 }).expect(400);
  });

  it('returns the engine’s full result with an explanation, as of now for a draft', async () => {
    const a = await newAssessment();
    await as(t, owner).put(`${base}/${a.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 4 }).expect(200);
    const result = ScoringResultSchema.parse((await as(t, contributor).get(`${base}/${a.id}/score`).expect(200)).body);
    const gov01 = result.items.find((i) => i.questionId === 'GOV-01')!;
    expect(gov01).toMatchObject({ claimed: 4, effectiveLevel: 2, capReason: 'no_counting_evidence' });
    expect(result.explanation.length).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(result.asOf) - Date.now())).toBeLessThan(60_000);
  });

  it('pages the assessment list with a cursor that neither repeats nor skips an assessment', async () => {
    const all = (await as(t, owner).get(`${base}?limit=200`).expect(200)).body.items.map((i: { id: string }) => i.id) as string[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await as(t, owner).get(`${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(page.body.items as { id: string }[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(all);
    await as(t, owner).get(`${base}?cursor=not-a-cursor`).expect(400);
  });

  it('keeps the audit chain intact across the whole lifecycle', async () => {
    const verify = await as(t, auditor).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true, drift: [] });
    expect(verify.body.checked).toBeGreaterThan(20);
  });

  it('reports an answer edited directly in the database, bypassing the API', async () => {
    const a = await newAssessment();
    await as(t, owner).put(`${base}/${a.id}/answers/URL-01`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
    await t.ownerQuery(`UPDATE answers SET value = '4' WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'URL-01'`, [org, a.id]);
    const verify = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200);
    expect(verify.body.intact).toBe(false);
    expect(verify.body.drift).toEqual([{ table: 'answers', id: `${a.id}/URL-01`, field: 'value', reason: expect.stringMatching(/differs/) }]);
  });
});
