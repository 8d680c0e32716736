import { AssessmentResponseSchema, BankChangesResponseSchema } from '@hoh/contracts';
import { getFramework } from '@hoh/question-bank';
import { QUESTION_CHANGE_EFFECTS } from '@hoh/scoring-engine';

import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET …/frameworks/{id}/changes: what a new bank version changes for this organisation', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let stranger: SignedInUser;
  let url: string;
  let assessmentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    stranger = await signUp(t);
    const org = orgOf(owner);
    url = `/api/v1/orgs/${org}/frameworks/hoh-csam/changes`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const created = AssessmentResponseSchema.parse((await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({ title: 'On 1.0.0' }).expect(201)).body);
    assessmentId = created.id;
    // An assessment from before 1.1.0 was published: on 1.0.0 (its own organisation, as the lifecycle spec does).
    await t.ownerQuery(`UPDATE assessments SET framework_version = '1.0.0' WHERE organisation_id = $1 AND id = $2`, [org, assessmentId]);
    for (const [q, value] of [['GOV-01', 3], ['RA-01', 2], ['HASH-01', 2], ['OPS-01', 1]] as const) {
      await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${assessmentId}/answers/${q}`).set('If-None-Match', '*').send({ value }).expect(200);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('accounts for every 1.0.0 question once, carries unchanged answers, and names the assessment it read', async () => {
    const body = BankChangesResponseSchema.parse((await as(t, owner).get(url).query({ from: '1.0.0', to: '1.1.0' }).expect(200)).body);
    expect(body.assessment).toMatchObject({ id: assessmentId, title: 'On 1.0.0' });
    const old = getFramework('hoh-csam', '1.0.0')!;
    const listed = body.questions.flatMap((q) => q.previousIds);
    expect([...listed].sort()).toEqual(old.questions.map((q) => q.id).sort());
    expect(body.questions.find((q) => q.questionId === 'GOV-01')).toMatchObject({ answer: 'carries', mapping: 'unchanged' });
    for (const effect of QUESTION_CHANGE_EFFECTS) {
      expect(body.counts[effect]).toBe(body.questions.filter((q) => q.effects.includes(effect)).length);
    }
    expect(body.questions.every((q) => q.text.length >= 10)).toBe(true);
  });

  it("predicts the score change from the engine: before is the assessment's own score now", async () => {
    const body = BankChangesResponseSchema.parse((await as(t, owner).get(url).query({ from: '1.0.0', to: '1.1.0' }).expect(200)).body);
    const scored = await as(t, owner).get(`/api/v1/orgs/${orgOf(owner)}/assessments/${assessmentId}/score`).expect(200);
    expect(body.score.before).toBeCloseTo(scored.body.overall.score, 9);
    expect(body.score.delta).toBeCloseTo(body.score.after - body.score.before, 9);
    // The same answers on a bank whose references were corrected: nothing here is answered differently.
    expect(Math.abs(body.score.delta)).toBeLessThan(25);
  });

  it('refuses what it cannot answer with what to do: no published step (400), unknown version (404), malformed version (400)', async () => {
    const backwards = await as(t, owner).get(url).query({ from: '1.1.0', to: '1.0.0' }).expect(400);
    expect(backwards.body.error.message).toMatch(/1\.0\.0 → 1\.1\.0/);
    await as(t, owner).get(url).query({ from: '1.0.0', to: '9.9.9' }).expect(404);
    await as(t, owner).get(`/api/v1/orgs/${orgOf(owner)}/frameworks/no-such-bank/changes`).query({ from: '1.0.0', to: '1.1.0' }).expect(404);
    const malformed = await as(t, owner).get(url).query({ from: 'latest', to: '1.1.0' }).expect(400);
    expect(malformed.body.error.details.map((d: { path: string }) => d.path)).toContain('from');
    await as(t, owner).get(url).query({ from: '1.0.0' }).expect(400);
  });

  it("answers 404 for another organisation's id, and reads a profile-only comparison where there is no assessment", async () => {
    await as(t, stranger).get(url).query({ from: '1.0.0', to: '1.1.0' }).expect(404);
    const own = `/api/v1/orgs/${orgOf(stranger)}/frameworks/hoh-csam/changes`;
    const body = BankChangesResponseSchema.parse((await as(t, stranger).get(own).query({ from: '1.0.0', to: '1.1.0' }).expect(200)).body);
    expect(body.assessment).toBeNull();
    expect(body.score).toEqual({ before: 0, after: 0, delta: 0 });
  });
});
