import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { extractText, getDocumentProxy } from 'unpdf';

import { type Report, ReportPublicKeySchema, ReportSchema, ResultsExportSchema } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { evidenceFields, upload } from '../factories/evidence.factory.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { readCsv } from '../support/csv.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Supertest buffers binary bodies only when told to; this collects them as a Buffer. */
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(doc, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('reports: issue, render in the worker, download, verify; signed exports', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let base: string;
  let signedId: string;
  let draftId: string;
  let statement: string;
  let signedReport: Report;
  let signedPdf: Buffer;
  let evidence: { id: string; sha256: string };

  const waitReady = async (user: SignedInUser, url: string): Promise<Report> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const report = ReportSchema.parse((await as(t, user).get(url).expect(200)).body);
      if (report.status === 'ready' || report.status === 'failed') return report;
      if (Date.now() > deadline) throw new Error(`report still ${report.status} after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const download = async (user: SignedInUser, url: string) => as(t, user).get(url).buffer(true).parse(binary).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
    outsider = await signUp(t);
    base = `/api/v1/orgs/${org}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);

    const signed = (await as(t, owner).post(base).send({ title: 'Annual review 2026' }).expect(201)).body as { id: string };
    signedId = signed.id;
    await as(t, owner)
      .put(`${base}/${signedId}/answers/GOV-01`)
      .set('If-None-Match', '*')
      .send({ value: 3, comment: '=HYPERLINK("x"), with "quotes"\nand a new line' })
      .expect(200);
    await as(t, owner).put(`${base}/${signedId}/answers/GOV-02`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    const policy = Buffer.from('Board minutes: the accountable executive for CSAM prevention is named.\n');
    evidence = (await upload(t, owner, org, policy, 'minutes.txt', evidenceFields({ title: 'Board minutes' })).expect(201)).body as {
      id: string;
      sha256: string;
    };
    expect(evidence.sha256).toBe(sha256(policy));
    await as(t, owner).put(`${base}/${signedId}/answers/GOV-01/evidence/${evidence.id}`).expect(200);
    await as(t, owner).post(`${base}/${signedId}/submit`).expect(200);
    await as(t, assessor)
      .post(`${base}/${signedId}/reviews`)
      .send({
        items: [
          { questionId: 'GOV-01', decision: 'approve' },
          { questionId: 'GOV-02', decision: 'approve' },
        ],
      })
      .expect(200);
    const check = (await as(t, owner).get(`${base}/${signedId}/attestation-check`).expect(200)).body as {
      statement: string;
      exceptions: { id: string }[];
    };
    statement = check.statement;
    await as(t, owner)
      .post(`${base}/${signedId}/sign-off`)
      .send({ statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } })
      .expect(200);

    const draft = (await as(t, owner).post(base).send({ title: 'Draft review' }).expect(201)).body as { id: string };
    draftId = draft.id;
    await as(t, owner).put(`${base}/${draftId}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes the Ed25519 public key as PEM and JWK, with keyId derived from the raw key', async () => {
    const key = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    expect(key.pem).toMatch(/BEGIN PUBLIC KEY/);
    expect(key.keyId).toBe(sha256(Buffer.from(key.jwk.x, 'base64url')).slice(0, 16));
    expect(createPublicKey(key.pem).asymmetricKeyType).toBe('ed25519');
    // Persisted: a second read (and every other process) gets the same key.
    const again = (await t.http().get('/api/v1/reports/public-key').expect(200)).body as { keyId: string };
    expect(again.keyId).toBe(key.keyId);
  });

  it('lets only owners and assessors issue (403 for contributors and auditors) and hides other organisations (404)', async () => {
    await as(t, contributor).post(`${base}/${signedId}/reports`).expect(403);
    await as(t, auditor).post(`${base}/${signedId}/reports`).expect(403);
    await as(t, outsider)
      .post(`/api/v1/orgs/${orgOf(outsider)}/assessments/${signedId}/reports`)
      .expect(404);
    await as(t, owner).post(`${base}/not-a-uuid/reports`).expect(404);
    const withBody = await as(t, owner).post(`${base}/${signedId}/reports`).send({ title: 'ignored?' }).expect(400);
    expect(withBody.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('issues a signed report: 202 + Location, rendered by the worker, downloadable, hash and signature check out', async () => {
    const res = await as(t, assessor).post(`${base}/${signedId}/reports`).expect(202);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'queued', draft: false });
    expect(res.headers['location']).toBe(`/api/v1/orgs/${org}/reports/${res.body.id}`);

    const location = String(res.headers['location']);
    signedReport = await waitReady(owner, location);
    expect(signedReport).toMatchObject({ status: 'ready', draft: false, pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const pdf = await download(auditor, `${location}/pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    signedPdf = pdf.body as Buffer;
    expect(signedPdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(signedPdf)).toBe(signedReport.pdfSha256);
    expect(pdf.headers['x-report-sha256']).toBe(signedReport.pdfSha256);

    // The manifest verifies with the published public key alone.
    const key = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    const manifest = signedReport.manifest!;
    expect(manifest).toEqual({
      reportId: signedReport.id,
      organisationId: org,
      assessmentId: signedId,
      issuedAt: signedReport.issuedAt,
      pdfSha256: signedReport.pdfSha256,
      resultsSha256: signedReport.resultsSha256,
    });
    expect(signedReport.keyId).toBe(key.keyId);
    expect(
      verify(null, Buffer.from(canonicalJson(manifest)), createPublicKey(key.pem), Buffer.from(signedReport.signature!, 'base64url')),
    ).toBe(true);
    const forged = { ...manifest, pdfSha256: '0'.repeat(64) };
    expect(
      verify(null, Buffer.from(canonicalJson(forged)), createPublicKey(key.pem), Buffer.from(signedReport.signature!, 'base64url')),
    ).toBe(false);

    // The results hash in the manifest is the hash of the signed results export.
    const exported = ResultsExportSchema.parse((await as(t, auditor).get(`${base}/${signedId}/export/results.json`).expect(200)).body);
    expect(sha256(canonicalJson(exported.results))).toBe(manifest.resultsSha256);
  });

  it('prints the organisation, score, band and the signed statement, and passes qpdf --check', async () => {
    const text = await pdfText(signedPdf);
    const orgName = owner.me.memberships[0]!.organisationName;
    const score = (await as(t, owner).get(`${base}/${signedId}/score`).expect(200)).body as { overall: { rounded: number; band: string } };
    expect(text).toContain(orgName);
    expect(text).toContain(String(score.overall.rounded));
    expect(text.toLowerCase()).toContain(score.overall.band);
    expect(text).toContain(statement.replace(/\s+/g, ' ').slice(0, 60));
    expect(text).not.toContain('DRAFT');
    // The appendix lists evidence by id and hash, never its content.
    expect(text).toContain(evidence.id.slice(0, 8));
    expect(text).not.toContain('accountable executive for CSAM prevention is named');

    const probe = spawnSync('qpdf', ['--version']);
    if (probe.error) {
      if (process.env['CI'] === 'true') throw new Error('qpdf is not installed; CI must install it.');
      console.warn('SKIPPED: qpdf is not installed, so the structural check did not run.');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hoh-report-e2e-'));
    try {
      const file = join(dir, 'report.pdf');
      writeFileSync(file, signedPdf);
      const result = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies without sign-in by upload and by SHA-256; a one-byte change is not recognised; nothing else leaks', async () => {
    const orgName = owner.me.memberships[0]!.organisationName;
    const upload = await t
      .http()
      .post('/api/v1/reports/verify')
      .attach('file', signedPdf, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(upload.body).toEqual({ genuine: true, reportId: signedReport.id, organisation: orgName, issuedAt: signedReport.issuedAt });
    const byHash = await t.http().post('/api/v1/reports/verify').send({ sha256: signedReport.pdfSha256!.toUpperCase() }).expect(200);
    expect(byHash.body).toEqual(upload.body);

    const tampered = Buffer.from(signedPdf);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    const bad = await t
      .http()
      .post('/api/v1/reports/verify')
      .attach('file', tampered, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(bad.body).toEqual({ genuine: false });
    expect(
      (
        await t
          .http()
          .post('/api/v1/reports/verify')
          .send({ sha256: sha256(tampered) })
          .expect(200)
      ).body,
    ).toEqual({ genuine: false });

    const malformed = await t.http().post('/api/v1/reports/verify').send({ sha256: 'abc' }).expect(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('prints DRAFT on a report of an unsigned assessment', async () => {
    const res = await as(t, owner).post(`${base}/${draftId}/reports`).expect(202);
    expect(res.body.draft).toBe(true);
    const report = await waitReady(owner, `${base}/${draftId}/reports/${res.body.id}`);
    expect(report.status).toBe('ready');
    const pdf = await download(owner, `${base}/${draftId}/reports/${report.id}/pdf`);
    expect(await pdfText(pdf.body as Buffer)).toContain('DRAFT');
  });

  it('lists reports for auditors (organisation and assessment paths, paged) and answers 404 across organisations', async () => {
    const all = (await as(t, auditor).get(`/api/v1/orgs/${org}/reports?limit=1`).expect(200)).body as {
      items: Report[];
      nextCursor: string | null;
    };
    expect(all.items).toHaveLength(1);
    expect(all.nextCursor).not.toBeNull();
    const next = (await as(t, auditor).get(`/api/v1/orgs/${org}/reports?limit=1&cursor=${all.nextCursor}`).expect(200)).body as {
      items: Report[];
    };
    expect([...all.items, ...next.items].map((r) => r.id)).toContain(signedReport.id);
    const forSigned = (await as(t, auditor).get(`${base}/${signedId}/reports`).expect(200)).body as { items: Report[] };
    expect(forSigned.items.map((r) => r.id)).toEqual([signedReport.id]);
    await as(t, contributor).get(`/api/v1/orgs/${org}/reports/${signedReport.id}/pdf`).expect(200);

    await as(t, owner).get(`${base}/${draftId}/reports/${signedReport.id}`).expect(404);
    await as(t, outsider)
      .get(`/api/v1/orgs/${orgOf(outsider)}/reports/${signedReport.id}`)
      .expect(404);
    await as(t, outsider)
      .get(`/api/v1/orgs/${orgOf(outsider)}/reports/${signedReport.id}/pdf`)
      .expect(404);
    await as(t, outsider).get(`/api/v1/orgs/${org}/reports/${signedReport.id}`).expect(404);
    await as(t, outsider)
      .get(`/api/v1/orgs/${orgOf(outsider)}/assessments/${signedId}/export/results.json`)
      .expect(404);
  });

  it('answers 409 INVALID_STATE for the PDF of a report that is not ready', async () => {
    const [row] = await t.ownerQuery<{ id: string }>(
      `INSERT INTO reports (organisation_id, id, assessment_id, status, draft, requested_by, claimed_at)
       VALUES ($1, gen_random_uuid(), $2, 'rendering', true, $3, now()) RETURNING id`,
      [org, draftId, owner.me.user.id],
    );
    const res = await as(t, owner).get(`/api/v1/orgs/${org}/reports/${row!.id}/pdf`).expect(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect(res.body.error.message).toMatch(/poll/);
  });

  it('keeps issued reports immutable and records report.issued in the audit log (hashes only)', async () => {
    await expect(t.appQueryAs(org, `UPDATE reports SET pdf_sha256 = $2 WHERE id = $1`, [signedReport.id, '0'.repeat(64)])).rejects.toThrow(
      /immutable/,
    );
    await expect(t.appQueryAs(org, `UPDATE report_content SET bytes = '\\x00' WHERE report_id = $1`, [signedReport.id])).rejects.toThrow(
      /permission denied/,
    );
    const log = (await as(t, auditor).get(`/api/v1/orgs/${org}/audit-log?limit=200`).expect(200)).body as {
      items: { action: string; entityId: string; data: Record<string, unknown> }[];
    };
    const issued = log.items.find((e) => e.action === 'report.issued' && e.entityId === signedReport.id);
    expect(issued?.data).toMatchObject({
      pdfSha256: signedReport.pdfSha256,
      resultsSha256: signedReport.resultsSha256,
      assessmentId: signedId,
      renderMs: expect.any(Number),
    });
    expect((await as(t, auditor).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200)).body.intact).toBe(true);
  });

  it('exports results.json with a manifest signature that verifies and a resultsSha256 over the canonical results', async () => {
    const key = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    for (const id of [signedId, draftId]) {
      const body = ResultsExportSchema.parse((await as(t, auditor).get(`${base}/${id}/export/results.json`).expect(200)).body);
      expect(body.manifest.assessmentId).toBe(id);
      expect(body.keyId).toBe(key.keyId);
      expect(body.manifest.resultsSha256).toBe(sha256(canonicalJson(body.results)));
      expect(
        verify(null, Buffer.from(canonicalJson(body.manifest)), createPublicKey(key.pem), Buffer.from(body.signature, 'base64url')),
      ).toBe(true);
    }
  });

  it('exports answers.csv with every question and escapes formulas, quotes and new lines', async () => {
    const res = await as(t, auditor).get(`${base}/${signedId}/export/answers.csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = readCsv(res.text);
    const [header, ...data] = rows;
    expect(header).toEqual([
      'question_id',
      'domain',
      'question',
      'applicable',
      'critical',
      'value',
      'effective_level',
      'cap_reason',
      'target',
      'gap',
      'comment',
      'justification',
      'review_status',
      'evidence_ids',
      'evidence_sha256',
    ]);
    expect(data.length).toBeGreaterThan(20);
    expect(data.every((r) => r.length === header!.length)).toBe(true);
    const gov = data.find((r) => r[0] === 'GOV-01')!;
    expect(gov[5]).toBe('3');
    expect(gov[10]).toBe(`'=HYPERLINK("x"), with "quotes"\nand a new line`);
    expect(gov[12]).toBe('approved');
    expect(gov[13]).toBe(evidence.id);
    expect(gov[14]).toBe(evidence.sha256);
  });

  it('rate-limits verification per IP with 429 and Retry-After', async () => {
    await t.ownerQuery(`UPDATE auth_throttle SET attempts = 1000000 WHERE bucket LIKE 'report-verify:ip:%'`);
    const res = await t
      .http()
      .post('/api/v1/reports/verify')
      .send({ sha256: '0'.repeat(64) })
      .expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
