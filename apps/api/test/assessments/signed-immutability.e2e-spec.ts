import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The database, not only the application, keeps a signed assessment as it was signed: every direct
 * change to its row, answers, evidence links, targets or assignments is refused by PostgreSQL with
 * SQLSTATE HH409, for the role the API serves with and for the database owner alike. A draft's rows
 * stay writable.
 */
describe('a signed assessment is immutable in the database', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let orgId: string;
  let signedId: string;
  let draftId: string;
  let userId: string;
  let evidenceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    orgId = orgOf(owner);
    userId = owner.me.user.id;
    const assessor = await addMember(t, orgId, 'assessor');
    const base = `/api/v1/orgs/${orgId}`;
    await as(t, owner).put(`${base}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    evidenceId = (
      await as(t, owner)
        .post(`${base}/evidence`)
        .send({ title: 'Policy', kind: 'policy', externalRef: 'https://example.org/policy', issuedAt: '2026-01-01T00:00:00Z' })
        .expect(201)
    ).body.id as string;

    signedId = (await as(t, owner).post(`${base}/assessments`).send({}).expect(201)).body.id as string;
    const a = `${base}/assessments/${signedId}`;
    await as(t, owner).put(`${a}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).put(`${a}/answers/GOV-01/evidence/${evidenceId}`).expect((r) => expect([200, 204]).toContain(r.status));
    await as(t, owner).put(`${a}/targets/TRN-05`).send({ target: 2, reason: 'Small team' }).expect(200);
    await as(t, owner).post(`${a}/submit`).expect(200);
    await as(t, assessor).post(`${a}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }] }).expect(200);
    const check = (await as(t, owner).get(`${a}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, owner)
      .post(`${a}/sign-off`)
      .send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } })
      .expect(200);

    draftId = (await as(t, owner).post(`${base}/assessments`).send({}).expect(201)).body.id as string;
    await as(t, owner).put(`${base}/assessments/${draftId}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const forgeries: [string, string, (id: string) => unknown[]][] = [
    ['raise a signed answer', `UPDATE answers SET value = '4' WHERE organisation_id = $1 AND assessment_id = $2`, (id) => [orgId, id]],
    ['approve a signed answer again', `UPDATE answers SET review_status = 'approved', na_approved = true WHERE organisation_id = $1 AND assessment_id = $2`, (id) => [orgId, id]],
    ['delete a signed answer', `DELETE FROM answers WHERE organisation_id = $1 AND assessment_id = $2`, (id) => [orgId, id]],
    ['add an answer', `INSERT INTO answers (organisation_id, assessment_id, question_id, value, author_id) VALUES ($1, $2, 'GOV-02', '4', $3)`, (id) => [orgId, id, userId]],
    ['unlink evidence', `DELETE FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2`, (id) => [orgId, id]],
    [
      'link more evidence',
      `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by) VALUES ($1, $2, 'GOV-03', $3, $4)`,
      (id) => [orgId, id, evidenceId, userId],
    ],
    ['change a target', `UPDATE target_overrides SET target = 0 WHERE organisation_id = $1 AND assessment_id = $2`, (id) => [orgId, id]],
    ['assign a question', `INSERT INTO assignments (organisation_id, assessment_id, question_id, assignee_id, assigned_by) VALUES ($1, $2, 'OPS-01', $3, $3)`, (id) => [orgId, id, userId]],
    ['raise the signed score', `UPDATE assessments SET signed_score = 100, signed_band = 'green' WHERE organisation_id = $1 AND id = $2`, (id) => [orgId, id]],
    ['rewrite the frozen input', `UPDATE assessments SET signed_scoring_input = '{}'::jsonb WHERE organisation_id = $1 AND id = $2`, (id) => [orgId, id]],
    ['reopen it as a draft', `UPDATE assessments SET status = 'draft' WHERE organisation_id = $1 AND id = $2`, (id) => [orgId, id]],
    ['delete it', `DELETE FROM assessments WHERE organisation_id = $1 AND id = $2`, (id) => [orgId, id]],
  ];

  it.each(forgeries)('refuses to %s, as the API role and as the database owner', async (_what, sql, params) => {
    // hoh_app may not delete answers or assessments at all (42501); the trigger refuses everything else.
    const asApp = await t.appQueryAs(orgId, sql, params(signedId)).then(
      () => 'accepted',
      (e: { code?: string }) => e.code,
    );
    expect(['HH409', '42501']).toContain(asApp);
    await expect(t.ownerQuery(sql, params(signedId))).rejects.toMatchObject({ code: 'HH409' });
  });

  it('left the signed assessment exactly as signed', async () => {
    const [row] = await t.ownerQuery<{ status: string; answers: string }>(
      `SELECT a.status, (SELECT string_agg(question_id || '=' || value || ':' || review_status, ',') FROM answers x WHERE x.organisation_id = a.organisation_id AND x.assessment_id = a.id) AS answers
       FROM assessments a WHERE a.organisation_id = $1 AND a.id = $2`,
      [orgId, signedId],
    );
    expect(row).toEqual({ status: 'signed', answers: 'GOV-01=3:approved' });
  });

  it("still lets a draft's rows change", async () => {
    await t.appQueryAs(orgId, `UPDATE answers SET comment = 'edited' WHERE organisation_id = $1 AND assessment_id = $2`, [orgId, draftId]);
    await t.appQueryAs(orgId, `UPDATE assessments SET title = 'Renamed draft' WHERE organisation_id = $1 AND id = $2`, [orgId, draftId]);
    await t.ownerQuery(`DELETE FROM answers WHERE organisation_id = $1 AND assessment_id = $2`, [orgId, draftId]);
  });
});
