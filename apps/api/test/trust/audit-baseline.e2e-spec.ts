import { DataSource } from 'typeorm';

import type { AssessmentResponse, AuditVerifyResponse } from '@hoh/contracts';

// migrations/ sits outside every Nx project (as in database/migrate.ts); this test runs one migration's up() itself.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { BaselineAuditedState1764346810000 } from '../../../../migrations/1764346810000-BaselineAuditedState.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Rows written before audited state existed carry none. The baseline migration chains their state
 * once, so an upgrade does not report every old row as drift, while an answer that already differed
 * from its last audited answer stays reported.
 */
describe('baseline of audited state for rows written before it existed (migration 1764346810000)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let orgId: string;
  let draft: string;
  const EVIDENCE = '00000000-0000-4000-8000-0000000000e1';

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    orgId = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    draft = ((await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body as AssessmentResponse).id;
    await as(t, owner).put(`/api/v1/orgs/${orgId}/assessments/${draft}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const verify = async () => (await as(t, owner).get(`/api/v1/orgs/${orgId}/audit-log/verify`).expect(200)).body as AuditVerifyResponse;

  async function runBaseline(): Promise<void> {
    const owned = new DataSource({ type: 'postgres', url: t.db.ownerUrl });
    await owned.initialize();
    const runner = owned.createQueryRunner();
    try {
      await runner.startTransaction();
      await new BaselineAuditedState1764346810000().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
      await owned.destroy();
    }
  }

  it('chains the state of rows that have none, leaves out answers that already differed from their audited answer, and keeps the chain intact', async () => {
    // As a database from before this release would hold them: rows with no audited state.
    await t.ownerQuery(`INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, uploaded_by) VALUES ($1, $2, 'Policy', 'policy', 'external', 'DMS-1', now(), $3)`, [orgId, EVIDENCE, owner.me.user.id]);
    await t.ownerQuery(`INSERT INTO answers (organisation_id, assessment_id, question_id, value, author_id) VALUES ($1, $2, 'GOV-02', '3', $3)`, [orgId, draft, owner.me.user.id]);
    // And an answer changed outside the API, which verify reported before this release too.
    await t.ownerQuery(`UPDATE answers SET value = '4' WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'GOV-01'`, [orgId, draft]);
    const before = await verify();
    expect(before.drift).toEqual(
      expect.arrayContaining([
        { table: 'evidence', id: EVIDENCE, reason: expect.stringMatching(/no audit entry/) },
        { table: 'answers', id: `${draft}/GOV-02`, reason: expect.stringMatching(/no audit entry/) },
        { table: 'answers', id: `${draft}/GOV-01`, field: 'value', reason: expect.stringMatching(/differs/) },
      ]),
    );

    await runBaseline();

    const after = await verify();
    expect(after.firstBreak).toBeUndefined();
    expect(after.drift).toEqual([
      { table: 'answers', id: `${draft}/GOV-01`, field: 'value', reason: expect.stringMatching(/differs/) },
      { table: 'answers', id: `${draft}/GOV-02`, reason: expect.stringMatching(/no audit entry/) },
    ]);
    const [entry] = await t.ownerQuery<{ actor_id: string | null; data: { leftOut: string[] } }>(`SELECT actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'audit.baseline'`, [orgId]);
    expect(entry).toMatchObject({ actor_id: null, data: { leftOut: [`answers/${draft}/GOV-01`, `answers/${draft}/GOV-02`] } });
  });
});
