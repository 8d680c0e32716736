import { AssessmentResponseSchema, AuditLogPageSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The review list shows each answer's history (issue 24 §2) from the audit log, filtered to that
// answer: GET …/audit-log?entityType=answer&entityId=<assessmentId>/<questionId>.
describe('audit log filtered to one entity: an answer’s history', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let assessmentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    auditor = await addMember(t, org, 'auditor');
    outsider = await signUp(t);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = AssessmentResponseSchema.parse((await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body).id;
    const answers = `/api/v1/orgs/${org}/assessments/${assessmentId}/answers`;
    await as(t, owner).put(`${answers}/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, owner).put(`${answers}/GOV-01`).set('If-Match', '"1"').send({ value: 3, comment: 'Board minutes of March' }).expect(200);
    await as(t, owner).put(`${answers}/GOV-02`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessmentId}/submit`).expect(200);
    await as(t, assessor)
      .post(`/api/v1/orgs/${org}/assessments/${assessmentId}/reviews`)
      .send({ items: [{ questionId: 'GOV-01', decision: 'return', comment: 'Attach the minutes' }] })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const history = (user: SignedInUser, query: string) => as(t, user).get(`/api/v1/orgs/${org}/audit-log?${query}`);

  it('lists exactly one answer’s entries, oldest first: created, updated, returned', async () => {
    const res = await history(auditor, `entityType=answer&entityId=${assessmentId}/GOV-01`).expect(200);
    const page = AuditLogPageSchema.parse(res.body);
    expect(page.items.map((e) => e.action)).toEqual(['answer.created', 'answer.updated', 'answer.returned']);
    expect(page.items.every((e) => e.entityId === `${assessmentId}/GOV-01`)).toBe(true);
    expect(page.items.map((e) => e.seq)).toEqual([...page.items.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('pages a filtered list with the same cursor as the whole log', async () => {
    const first = AuditLogPageSchema.parse((await history(owner, `entityType=answer&entityId=${assessmentId}/GOV-01&limit=2`).expect(200)).body);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = AuditLogPageSchema.parse((await history(owner, `entityType=answer&entityId=${assessmentId}/GOV-01&limit=2&cursor=${first.nextCursor}`).expect(200)).body);
    expect(rest.items.map((e) => e.action)).toEqual(['answer.returned']);
    expect(rest.nextCursor).toBeNull();
  });

  it('filters by kind alone, and the unfiltered log still holds every kind', async () => {
    const answers = AuditLogPageSchema.parse((await history(owner, 'entityType=answer&limit=200').expect(200)).body);
    expect(answers.items.length).toBeGreaterThanOrEqual(4);
    expect(new Set(answers.items.map((e) => e.entityType))).toEqual(new Set(['answer']));
    const all = AuditLogPageSchema.parse((await history(owner, 'limit=200').expect(200)).body);
    expect(new Set(all.items.map((e) => e.entityType)).size).toBeGreaterThan(1);
  });

  it('refuses an entityId without its entityType, and hostile text, with field messages (400)', async () => {
    const res = await history(owner, `entityId=${assessmentId}/GOV-01`).expect(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'entityType' })]);
    const bidi = await history(owner, `entityType=answer&entityId=${encodeURIComponent('\u202Egov')}`).expect(400);
    expect(bidi.body.error.details[0].path).toBe('entityId');
    await history(owner, 'entityType=answer&colour=red').expect(400);
  });

  it('shows another organisation nothing of this one, whatever entity it names (404 for the org, empty for its own log)', async () => {
    await history(outsider, `entityType=answer&entityId=${assessmentId}/GOV-01`).expect(404);
    const own = AuditLogPageSchema.parse((await as(t, outsider).get(`/api/v1/orgs/${orgOf(outsider)}/audit-log?entityType=answer&entityId=${assessmentId}/GOV-01`).expect(200)).body);
    expect(own.items).toEqual([]);
  });
});
