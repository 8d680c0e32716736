import { extractText, getDocumentProxy } from 'unpdf';

import { DataSource } from 'typeorm';

import { AssessmentResponseSchema, DashboardResponseSchema, type Report, ReportSchema } from '@hoh/contracts';

// migrations/ sits outside every Nx project (as in database/migrate.ts); this test runs one migration itself.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AddAssessmentPeriods1764347100000 } from '../../../../migrations/1764347100000-AddAssessmentPeriods.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 24 items 4 and 5: assessments by year, and a trend that does not mislead. */
describe('assessments by year: named periods, next year from a settled one, trend by period, reports for any year', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let base: string;
  let signedId: string;
  let nextId: string;

  const create = async (user: SignedInUser, body: Record<string, unknown>) => AssessmentResponseSchema.parse((await as(t, user).post(base).send(body).expect(201)).body);

  const waitReady = async (url: string): Promise<Report> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const report = ReportSchema.parse((await as(t, owner).get(url).expect(200)).body);
      if (report.status === 'ready' || report.status === 'failed') return report;
      if (Date.now() > deadline) throw new Error(`report still ${report.status} after 30 s`);
      // Polls the background worker (a separate loop), as the reports suite does.
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    base = `/api/v1/orgs/${org}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);

    // 2026, signed: GOV-05 marked N/A and its N/A approved, GOV-01 and GOV-03 at level 2 (two answers, so
    // the reset N/A still moves the rounded overall score by a point in a bank of 65 questions).
    const a = await create(owner, { title: 'CSAM controls review 2026', period: { start: '2026-01-01', end: '2026-12-31' } });
    signedId = a.id;
    await as(t, owner).put(`${base}/${signedId}/answers/GOV-05`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'No separate board here' }).expect(200);
    await as(t, owner).put(`${base}/${signedId}/answers/GOV-03`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, owner).put(`${base}/${signedId}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, owner).post(`${base}/${signedId}/submit`).expect(200);
    await as(t, assessor)
      .post(`${base}/${signedId}/reviews`)
      .send({ items: [{ questionId: 'GOV-05', decision: 'approve' }, { questionId: 'GOV-03', decision: 'approve' }, { questionId: 'GOV-01', decision: 'approve' }] })
      .expect(200);
    const check = (await as(t, owner).get(`${base}/${signedId}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, owner)
      .post(`${base}/${signedId}/sign-off`)
      .send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an assessment with a name and a period, labelled by the period (a financial year reads 2026/27)', async () => {
    const fy = await create(owner, { title: 'Trust & safety review FY26', period: { start: '2026-04-01', end: '2027-03-31' } });
    expect(fy).toMatchObject({ title: 'Trust & safety review FY26', period: { start: '2026-04-01', end: '2027-03-31', label: '2026/27' } });
    const list = (await as(t, owner).get(base).expect(200)).body as { items: { id: string; period: { label: string } }[] };
    expect(list.items.find((i) => i.id === fy.id)?.period.label).toBe('2026/27');
  });

  it('names a new assessment after its period when no name is given, this calendar year by default', async () => {
    const year = new Date().getUTCFullYear();
    const plain = await create(owner, {});
    expect(plain).toMatchObject({ title: `CSAM controls review ${String(year)}`, period: { start: `${String(year)}-01-01`, end: `${String(year)}-12-31`, label: String(year) } });
    const named = await create(owner, { period: { start: '2028-01-01', end: '2028-12-31' } });
    expect(named.title).toBe('CSAM controls review 2028');
  });

  it('refuses a period that ends before it starts, or that covers more than two years (400, says what to fix)', async () => {
    const backwards = await as(t, owner).post(base).send({ period: { start: '2027-01-01', end: '2026-12-31' } }).expect(400);
    expect(backwards.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(backwards.body.error.details)).toMatch(/ends on or after it starts/);
    const long = await as(t, owner).post(base).send({ period: { start: '2020-01-01', end: '2026-12-31' } }).expect(400);
    expect(JSON.stringify(long.body.error.details)).toMatch(/at most two years/);
    await as(t, owner).post(base).send({ period: { start: '2026-02-30', end: '2026-12-31' } }).expect(400);
  });

  it('refuses next year’s review from a draft: 409 saying to submit it first or start a blank one', async () => {
    const draft = await create(owner, { title: 'Unfinished draft' });
    const res = await as(t, owner).post(base).send({ fromAssessmentId: draft.id }).expect(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect(res.body.error.message).toMatch(/still a draft.*Submit it for review.*blank assessment/);
  });

  it('starts next year’s review from a signed one as "… review 2027" for the year after, never "(follow-up …)"', async () => {
    const next = await create(owner, { fromAssessmentId: signedId });
    nextId = next.id;
    expect(next).toMatchObject({ title: 'CSAM controls review 2027', fromAssessmentId: signedId, period: { start: '2027-01-01', end: '2027-12-31', label: '2027' } });
    expect(next.title).not.toMatch(/follow-up/);
    // Answers carried over, their reviews (and the N/A approval) reset for a fresh look.
    expect(next.answers.find((x) => x.questionId === 'GOV-05')).toMatchObject({ value: 'not_applicable', review: { status: 'pending', naApproved: false } });
  });

  it('labels the trend by period and calls a reset N/A approval a review reset, not a deterioration; a change of 0 is unchanged', async () => {
    const dashboard = DashboardResponseSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/dashboard`).expect(200)).body);
    const current = dashboard.current!;
    expect(current.assessment).toMatchObject({ title: 'CSAM controls review 2027', period: { label: '2027' } });
    const comparison = current.comparison!;
    expect(comparison.previous).toMatchObject({ id: signedId, status: 'signed', period: { label: '2026' } });
    const gov = comparison.domains.find((d) => d.domainId === 'GOV')!;
    expect(gov).toMatchObject({ direction: 'review_reset', reviewResetQuestionIds: ['GOV-05'], changedQuestionIds: [] });
    expect(gov.delta).toBeLessThan(0);
    for (const d of comparison.domains) {
      if (d.delta === 0) expect(d.direction).toBe('unchanged');
      expect(d.direction).not.toBe('deteriorated');
    }
    expect(comparison.overall.direction).toBe('review_reset');

    const signedPoint = dashboard.trend.find((p) => p.assessmentId === signedId)!;
    const currentPoint = dashboard.trend.at(-1)!;
    expect(currentPoint).toMatchObject({ assessmentId: current.assessment.id, label: '2027', change: { direction: 'review_reset' } });
    expect(signedPoint.label).toBe('2026');
    expect(dashboard.trend.map((p) => p.label)).not.toContain('2026 → 2026');
  });

  it('accepts next year’s review from an assessment in review', async () => {
    const other = await signUp(t);
    const otherBase = `/api/v1/orgs/${orgOf(other)}/assessments`;
    await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const a = AssessmentResponseSchema.parse((await as(t, other).post(otherBase).send({ period: { start: '2026-04-01', end: '2027-03-31' } }).expect(201)).body);
    expect(a.title).toBe('CSAM controls review 2026/27');
    await as(t, other).post(`${otherBase}/${a.id}/submit`).expect(200);
    const next = (await as(t, other).post(otherBase).send({ fromAssessmentId: a.id }).expect(201)).body as { title: string; period: { start: string; end: string } };
    expect(next).toMatchObject({ title: 'CSAM controls review 2027/28', period: { start: '2027-04-01', end: '2028-03-31' } });
  });

  it('re-issues a signed assessment’s report after a newer year exists: a new signed report of the same frozen result', async () => {
    const first = await waitReady(
      `/api/v1/orgs/${org}/reports/${(ReportSchema.parse((await as(t, owner).post(`${base}/${signedId}/reports`).expect(202)).body)).id}`,
    );
    const again = await waitReady(
      `/api/v1/orgs/${org}/reports/${(ReportSchema.parse((await as(t, assessor).post(`${base}/${signedId}/reports`).expect(202)).body)).id}`,
    );
    expect(first).toMatchObject({ status: 'ready', draft: false, assessmentId: signedId });
    expect(again).toMatchObject({ status: 'ready', draft: false, assessmentId: signedId });
    expect(again.id).not.toBe(first.id);
    expect(again.resultsSha256).toBe(first.resultsSha256);
    expect(again.signature).toEqual(expect.any(String));
    expect(again.manifest?.reportId).toBe(again.id);
  });

  it('prints the draft report’s trend by period with the engine’s labels: the reset N/A is a review reset, no "Improved" for 0', async () => {
    const queued = ReportSchema.parse((await as(t, owner).post(`${base}/${nextId}/reports`).expect(202)).body);
    const report = await waitReady(`/api/v1/orgs/${org}/reports/${queued.id}`);
    expect(report).toMatchObject({ status: 'ready', draft: true });
    const pdf = await as(t, owner)
      .get(`/api/v1/orgs/${org}/reports/${report.id}/pdf`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.body as Buffer)), { mergePages: true });
    const trend = text.replace(/\s+/g, ' ').split('Trend against earlier assessments')[1]!.split('Accountability and sign-off')[0]!;
    expect(trend).toMatch(/2026 .*This \(2027\)/);
    expect(trend).toMatch(/Review reset \(answers unchanged\) · GOV/);
    expect(trend).toMatch(/GOV-05 is an N\/A carried over from 2026/);
    expect(trend).not.toMatch(/Improved ·|Deteriorated ·/);
    expect(trend).not.toMatch(/2026 → 2026/);
    // Page 1's trend tile carries the same cause, whole.
    expect(text.replace(/\s+/g, ' ')).toMatch(/since 2026: \d+ Red → \d+ Red; review reset: answers unchanged/);
  });

  it('backfills periods for assessments made before periods existed: the year created, a follow-up the year after its source (signed rows included)', async () => {
    const owned = new DataSource({ type: 'postgres', url: t.db.ownerUrl });
    await owned.initialize();
    const runner = owned.createQueryRunner();
    const migration = new AddAssessmentPeriods1764347100000();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
      await owned.destroy();
    }
    const rows = await t.ownerQuery<{ id: string; period_start: string; period_end: string; created_year: number }>(
      `SELECT id, period_start::text AS period_start, period_end::text AS period_end, extract(year FROM created_at AT TIME ZONE 'UTC')::int AS created_year
       FROM assessments WHERE organisation_id = $1 AND id = ANY($2)`,
      [org, [signedId, nextId]],
    );
    const year = rows.find((r) => r.id === signedId)!.created_year;
    expect(rows.find((r) => r.id === signedId)).toMatchObject({ period_start: `${String(year)}-01-01`, period_end: `${String(year)}-12-31` });
    expect(rows.find((r) => r.id === nextId)).toMatchObject({ period_start: `${String(year + 1)}-01-01`, period_end: `${String(year + 1)}-12-31` });
    // The signed row is still locked after the backfill.
    await expect(t.ownerQuery(`UPDATE assessments SET title = 'x' WHERE organisation_id = $1 AND id = $2`, [org, signedId])).rejects.toThrow(/signed and immutable/);
  });
});
