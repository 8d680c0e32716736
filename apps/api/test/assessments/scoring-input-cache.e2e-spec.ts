import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { runAsMember, tenantManager } from '../../src/database/tenant-context.js';
import { ScoringInputRepository } from '../../src/modules/scoring/scoring-input.repository.js';
import { ScoringService } from '../../src/modules/scoring/scoring.service.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The API keeps each assessment's scoring input between reads and skips re-reading it while its
 * database version stands (scoring_input_versions, bumped by triggers). The oracle here is a second
 * API process on the same database with the cache turned off: after every kind of change, made
 * through the first process or behind its back, both must answer the same score and dashboard.
 */
describe('scoring input held between reads', () => {
  // Both processes read the same clock, which the expiry test moves forward.
  const clock = new TestClock();
  let t: TestApp;
  let cold: NestFastifyApplication;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let assessmentId: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', REPORT_WORKER: 'false', SCORING_CACHE_ENTRIES: '0' });
    cold = await createApp(buildConfig(env, { ownerUrl: t.db.ownerUrl, appUrl: t.db.appUrl, embedded: null }, null, clock));
    await cold.getHttpAdapter().getInstance().ready();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id as string;
    base = `/api/v1/orgs/${org}/assessments/${assessmentId}`;
  });

  afterAll(async () => {
    await cold?.close();
    await t?.close();
  });

  const held = () => t.app.get(ScoringInputRepository).known(org);
  // Drafts are scored as of the request: the two processes answer a few milliseconds apart.
  const withoutAsOf = (body: unknown): unknown => JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'asOf' ? undefined : value));
  const fromCold = (path: string) => request(cold.getHttpServer()).get(path).set('cookie', owner.cookie).expect(200);

  /** Reads through both processes; the warm one must already hold the input it is about to check. */
  async function bothAgree(): Promise<unknown> {
    const warmScore = (await as(t, owner).get(`${base}/score`).expect(200)).body;
    const warmDashboard = (await as(t, owner).get(`/api/v1/orgs/${org}/dashboard`).expect(200)).body;
    expect(held().ids).toContain(assessmentId);
    expect(withoutAsOf(warmScore)).toEqual(withoutAsOf((await fromCold(`${base}/score`)).body));
    expect(withoutAsOf(warmDashboard)).toEqual(withoutAsOf((await fromCold(`/api/v1/orgs/${org}/dashboard`)).body));
    return withoutAsOf(warmScore);
  }

  it('answers a change to the input after it was held, whichever path made the change', async () => {
    const seen = [await bothAgree()];
    const changed = async (what: string) => {
      const now = await bothAgree();
      // The change must show in the score (a stale input would answer the previous one).
      expect({ what, same: JSON.stringify(now) === JSON.stringify(seen.at(-1)) }).toEqual({ what, same: false });
      seen.push(now);
    };

    // An answer written through this process.
    await as(t, owner).put(`${base}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 4 }).expect(200);
    await changed('answer written');

    // Reviewed by another member: reviewed answers count towards the level.
    await as(t, assessor).post(`${base}/reviews`).send({ items: [{ questionId: 'HASH-01', decision: 'approve' }] }).expect(200);
    await changed('answer reviewed');

    // Evidence linked, then accepted (a status change on the evidence row, not on the assessment's rows).
    const evidence = await as(t, assessor)
      .post(`/api/v1/orgs/${org}/evidence`)
      .send({ title: 'Hash list contract', kind: 'contract', externalRef: 'DMS-4711', issuedAt: '2026-01-15T00:00:00Z' })
      .expect(201);
    await as(t, owner).put(`${base}/answers/HASH-01/evidence/${evidence.body.id}`).expect(200);
    await bothAgree();
    // Accepting requires opening: the owner records looking the document id up (not a scoring input).
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${evidence.body.id}/opens`).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${evidence.body.id}/review`).send({ decision: 'accept' }).expect(200);
    await changed('evidence accepted');
    await as(t, owner).delete(`${base}/answers/HASH-01/evidence/${evidence.body.id}`).expect(204);
    await changed('evidence unlinked');

    // A target override (on an answered item, so its gap moves).
    await as(t, owner).put(`${base}/answers/TRN-05`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
    await changed('another answer written');
    await as(t, owner).put(`${base}/targets/TRN-05`).send({ target: 1, reason: 'Small team, phased roll-out' }).expect(200);
    await changed('target lowered');

    // Behind this process's back: another process or an operator changing a row directly.
    await t.ownerQuery(`UPDATE answers SET value = '1' WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'HASH-01'`, [org, assessmentId]);
    await changed('answer changed by another process');
  });

  it('never takes a version a rolled-back transaction read as committed', async () => {
    await as(t, owner).put(`${base}/answers/GOV-03`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
    const before = (await as(t, owner).get(`${base}/score`).expect(200)).body;
    const member = { organisationId: org, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    // Inside one transaction: change an answer, read the score (the uncommitted input is now held), roll back.
    await expect(
      runAsMember(t.app.get(DataSource), member, async () => {
        await tenantManager().query(`UPDATE answers SET value = '4' WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'GOV-03'`, [org, assessmentId]);
        const inside = await t.app.get(ScoringService).scoreAssessment(org, assessmentId);
        expect(inside.overall.score).not.toBe(before.overall.score);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // The next committed change, with no read in between, takes a new version from the sequence and
    // never the one the rolled-back transaction read (a per-assessment counter would hand it out again).
    await as(t, owner).put(`${base}/answers/URL-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    const after = withoutAsOf((await as(t, owner).get(`${base}/score`).expect(200)).body);
    expect(after).toEqual(withoutAsOf((await fromCold(`${base}/score`)).body));
    expect(after).not.toEqual(withoutAsOf(before));
  });

  it('reuses a score only until the next evidence date: an expiry takes effect with no change in the database', async () => {
    await as(t, owner).put(`${base}/answers/NOV-01`).set('If-None-Match', '*').send({ value: 4 }).expect(200);
    const evidence = await as(t, assessor)
      .post(`/api/v1/orgs/${org}/evidence`)
      .send({ title: 'Classifier metrics', kind: 'metrics', externalRef: 'DMS-4712', issuedAt: '2026-01-15T00:00:00Z' })
      .expect(201);
    await as(t, owner).put(`${base}/answers/NOV-01/evidence/${evidence.body.id}`).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${evidence.body.id}/opens`).expect(200);
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${evidence.body.id}/review`).send({ decision: 'accept' }).expect(200);
    // The evidence stops counting in three seconds' time, by the clock alone.
    await t.ownerQuery(`UPDATE evidence SET expires_at = $2 WHERE id = $1`, [evidence.body.id, new Date(clock.now().getTime() + 3_000)]);
    const nov01 = (body: { items: { questionId: string; effectiveLevel: number }[] }) => body.items.find((i) => i.questionId === 'NOV-01')!.effectiveLevel;

    const first = (await as(t, owner).get(`${base}/score`).expect(200)).body;
    const version = held().versions[held().ids.indexOf(assessmentId)];
    clock.advance(20);
    const again = (await as(t, owner).get(`${base}/score`).expect(200)).body;
    // Each read is as of its own request, and the rest is the same result.
    expect(Date.parse(again.asOf)).toBeGreaterThan(Date.parse(first.asOf));
    expect(withoutAsOf(again)).toEqual(withoutAsOf(first));
    expect(nov01(first)).toBe(4);

    clock.advance(3_100);
    const expired = (await as(t, owner).get(`${base}/score`).expect(200)).body;
    expect(held().versions[held().ids.indexOf(assessmentId)]).toBe(version);
    expect(nov01(expired)).toBeLessThan(4);
    expect(withoutAsOf(expired)).toEqual(withoutAsOf((await fromCold(`${base}/score`)).body));
  });

  it("holds a signed assessment's frozen input under the assessment's version, and reads it again once that changes", async () => {
    const signedId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id as string;
    const path = `/api/v1/orgs/${org}/assessments/${signedId}`;
    await as(t, owner).put(`${path}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).post(`${path}/submit`).expect(200);
    await as(t, assessor).post(`${path}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }] }).expect(200);
    const check = (await as(t, owner).get(`${path}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, owner).post(`${path}/sign-off`).send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(200);
    const dashboard = `/api/v1/orgs/${org}/dashboard`;
    /** The score and the dashboard (whose latest assessment this is), from this process and from one without the cache. */
    const bothAnswer = async () => {
      const warm = [(await as(t, owner).get(`${path}/score`).expect(200)).body, (await as(t, owner).get(dashboard).expect(200)).body];
      expect(warm).toEqual([(await fromCold(`${path}/score`)).body, (await fromCold(dashboard)).body]);
      return warm[0] as { asOf: string; confidence: unknown };
    };

    const signed = await bothAnswer();
    const held = () => t.app.get(ScoringInputRepository).known(org).signed;
    expect(held().ids).toEqual([signedId]);
    // In place of what was held for it as a draft (sign-off read it), within the same bound.
    expect(t.app.get(ScoringInputRepository).known(org).ids).not.toContain(signedId);
    // Held with the bank every draft of the same framework shares, not a copy of it per signed input.
    const member = { organisationId: org, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    const draft = await runAsMember(t.app.get(DataSource), member, () => t.app.get(ScoringService).loadInput(org, assessmentId, new Date()));
    expect(held().entries.get(signedId)!.frozen.bank).toBe(draft.input.bank);

    // Verification is read with every row: the held input answers as verified at once.
    const auditor = await addMember(t, org, 'auditor');
    await as(t, auditor).post(`${path}/verification`).send({ note: 'Sampled every item' }).expect(200);
    const verified = await bothAnswer();
    expect(verified.confidence).not.toEqual(signed.confidence);

    // The frozen input rewritten behind this process's back, the row's version unchanged: this process
    // answers what it holds (it did not read the column again), the other one what it reads.
    const rewritten = '2026-01-01T00:00:00.000Z';
    // PostgreSQL refuses any change to a signed assessment (FreezeSignedAssessments); only a superuser
    // who turns triggers off for the transaction can still make one, which is what this simulates.
    const bypassingTriggers = (sql: string) => t.ownerQuery(`BEGIN; SET LOCAL session_replication_role = replica; ${sql}; COMMIT`);
    await bypassingTriggers(`UPDATE assessments SET signed_scoring_input = jsonb_set(signed_scoring_input, '{asOf}', to_jsonb('${rewritten}'::text)) WHERE id = '${signedId}'`);
    expect((await as(t, owner).get(`${path}/score`).expect(200)).body.asOf).toBe(signed.asOf);
    expect((await fromCold(`${path}/score`)).body.asOf).toBe(rewritten);
    // With the version moved on, as every write through the API moves it, this process reads it again.
    await bypassingTriggers(`UPDATE assessments SET version = version + 1 WHERE id = '${signedId}'`);
    expect((await bothAnswer()).asOf).toBe(rewritten);
  });

  it('holds nothing for another organisation, whatever it asks for', async () => {
    const other = await signUp(t);
    const otherOrg = orgOf(other);
    const repository = t.app.get(ScoringInputRepository);
    expect(repository.known(otherOrg)).toMatchObject({ ids: [], signed: { ids: [] } });
    await as(t, other).get(`/api/v1/orgs/${otherOrg}/assessments/${assessmentId}/score`).expect(404);
    expect(repository.known(otherOrg)).toMatchObject({ ids: [], signed: { ids: [] } });
  });
});
