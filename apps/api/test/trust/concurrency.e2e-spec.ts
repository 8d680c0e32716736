import { createHash } from 'node:crypto';

import { type Report, ReportSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Races (issue 8 §4, docs/API.md §7 and §12): optimistic locking must hold when many
 * clients write the same version at the same moment, and the audit chain must stay linear.
 */
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Supertest buffers binary bodies only when told to; this collects them as a Buffer. */
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('concurrent writers', () => {
  let t: TestApp;
  let cases = 0;

  beforeAll(async () => {
    // 40 public verifications from one IP in the report race; the per-IP limit is not what is tested here.
    t = await startTestApp({ REPORT_VERIFY_PER_IP: '1000' });
  });
  afterAll(async () => {
    console.log(`concurrency: ${cases} concurrent requests across the race cases`);
    await t.close();
  });

  /** A new organisation with a profile and a draft assessment. */
  async function draftAssessment(): Promise<{ owner: SignedInUser; base: string; assessmentId: string }> {
    const owner = await signUp(t);
    const base = `/api/v1/orgs/${orgOf(owner)}`;
    await as(t, owner).put(`${base}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const assessmentId = (await as(t, owner).post(`${base}/assessments`).send({}).expect(201)).body.id as string;
    return { owner, base, assessmentId };
  }

  async function verifyAudit(owner: SignedInUser, base: string): Promise<void> {
    const verify = await as(t, owner).get(`${base}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true });
    const seqs = await t.ownerQuery<{ seq: string }>('SELECT seq FROM audit_log WHERE organisation_id = $1 ORDER BY seq', [orgOf(owner)]);
    expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_r, i) => i + 1));
  }

  it('lets exactly one of 50 answer updates with the same If-Match win; 49 get 412 and the winner is what is stored', async () => {
    const { owner, base, assessmentId } = await draftAssessment();
    const url = `${base}/assessments/${assessmentId}/answers/GOV-01`;
    await as(t, owner).put(url).set('If-None-Match', '*').send({ value: 1, comment: 'first' }).expect(200);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_v, i) => as(t, owner).put(url).set('If-Match', '"1"').send({ value: (i % 5) as 0 | 1 | 2 | 3 | 4, comment: `writer ${i}` })),
    );
    cases += 50;
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = responses.find((r) => r.status === 200)!;
    for (const loser of responses.filter((r) => r.status === 412)) expect(loser.body.error.code).toBe('PRECONDITION_FAILED');
    const stored = await as(t, owner).get(url).expect(200);
    expect(stored.headers['etag']).toBe('"2"');
    expect(stored.body).toMatchObject({ version: 2, comment: winner.body.comment, value: winner.body.value });
    await verifyAudit(owner, base);
  });

  it('lets exactly one of two concurrent first answers (If-None-Match: *) win; the other gets 412', async () => {
    const { owner, base, assessmentId } = await draftAssessment();
    const url = `${base}/assessments/${assessmentId}/answers/GOV-02`;
    const [x, y] = await Promise.all([
      as(t, owner).put(url).set('If-None-Match', '*').send({ value: 4, comment: 'x' }),
      as(t, owner).put(url).set('If-None-Match', '*').send({ value: 0, comment: 'y' }),
    ]);
    cases += 2;
    expect([x.status, y.status].sort()).toEqual([200, 412]);
    const stored = await as(t, owner).get(url).expect(200);
    expect(stored.body).toMatchObject({ version: 1, comment: (x.status === 200 ? x : y).body.comment });
  });

  it('lets exactly one of 20 action PATCHes with the same If-Match win', async () => {
    const { owner, base } = await draftAssessment();
    const action = (await as(t, owner).post(`${base}/actions`).send({ title: 'Deploy hash matching' }).expect(201)).body as { id: string; version: number };
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_v, i) => as(t, owner).patch(`${base}/actions/${action.id}`).set('If-Match', `"${action.version}"`).send({ title: `Title ${i}` })),
    );
    cases += 20;
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = responses.find((r) => r.status === 200)!;
    const stored = await as(t, owner).get(`${base}/actions/${action.id}`).expect(200);
    expect(stored.body).toMatchObject({ title: winner.body.title, version: action.version + 1 });
  });

  it('keeps the audit chain intact and gap-free under 40 concurrent audited writes of one organisation', async () => {
    // Actions and first answers are independent and must all succeed; renames race on one row, and a
    // rename that loses answers 412 (never a silent lost update).
    const { owner, base, assessmentId } = await draftAssessment();
    const questions = ['GOV-01', 'GOV-02', 'GOV-03', 'OPS-01', 'OPS-02'];
    const responses = await Promise.all([
      ...Array.from({ length: 30 }, (_v, i) => as(t, owner).post(`${base}/actions`).send({ title: `Concurrent action ${i}` })),
      ...questions.map((q) => as(t, owner).put(`${base}/assessments/${assessmentId}/answers/${q}`).set('If-None-Match', '*').send({ value: 2 })),
      ...Array.from({ length: 5 }, (_v, i) => as(t, owner).patch(base).send({ name: `Renamed ${i}` })),
    ]);
    cases += responses.length;
    const [independent, renames] = [responses.slice(0, 35), responses.slice(35)];
    expect(independent.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(renames.filter((r) => r.status !== 200 && r.status !== 412).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(renames.some((r) => r.status === 200)).toBe(true);
    await verifyAudit(owner, base);
  });

  it('issues 20 reports requested at the same moment as 20 distinct, downloadable reports, each verifiable by file and by hash', async () => {
    const { owner, base, assessmentId } = await draftAssessment();
    for (const q of ['GOV-01', 'GOV-02', 'OPS-01']) {
      await as(t, owner).put(`${base}/assessments/${assessmentId}/answers/${q}`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    }
    const started = Date.now();
    const issued = await Promise.all(Array.from({ length: 20 }, () => as(t, owner).post(`${base}/assessments/${assessmentId}/reports`)));
    cases += 20;
    expect(issued.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 202));
    const locations = issued.map((r) => String(r.headers['location']));
    expect(new Set(issued.map((r) => (r.body as { id: string }).id)).size).toBe(20);

    // Wait for the worker to render all 20 (one at a time per process: that is the design).
    const deadline = Date.now() + 120_000;
    let reports: Report[] = [];
    for (;;) {
      reports = await Promise.all(locations.map(async (l) => ReportSchema.parse((await as(t, owner).get(l).expect(200)).body)));
      if (reports.every((r) => r.status === 'ready' || r.status === 'failed')) break;
      if (Date.now() > deadline) throw new Error(`reports still pending after 120 s: ${reports.map((r) => r.status).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const renderedMs = Date.now() - started;
    expect(reports.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 'ready'));

    const hashes = new Set<string>();
    let verified = 0;
    for (const [i, report] of reports.entries()) {
      const pdf = (await as(t, owner).get(`${locations[i]}/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
      expect(sha256(pdf)).toBe(report.pdfSha256);
      hashes.add(sha256(pdf));
      const issuedAt = report.issuedAt;
      const expected = { genuine: true, reportId: report.id, issuedAt };
      const byFile = await t.http().post('/api/v1/reports/verify').attach('file', pdf, { filename: 'report.pdf', contentType: 'application/pdf' }).expect(200);
      expect(byFile.body).toMatchObject(expected);
      const byHash = await t.http().post('/api/v1/reports/verify').send({ sha256: report.pdfSha256 }).expect(200);
      expect(byHash.body).toMatchObject(expected);
      verified += 2;
    }
    cases += verified;
    expect(hashes.size).toBe(20);
    expect(new Set(reports.map((r) => r.id)).size).toBe(20);
    const audited = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE organisation_id = $1 AND action = 'report.issued'`, [orgOf(owner)]);
    expect(Number(audited[0]!.n)).toBe(20);
    console.log(`concurrency: 20 parallel report requests rendered and verified (${verified} verifications) in ${renderedMs} ms`);
    await verifyAudit(owner, base);
  }, 180_000);
});
