import { createHash } from 'node:crypto';

import { EvidencePageSchema, EvidenceResponseSchema } from '@hoh/contracts';

import { buildDocx, buildOdt, buildPdf, buildPlainZip, buildRealPdf, fakeMedia } from '../factories/evidence-files.factory.js';
import { evidenceFields, insertAssessment, memberWithRole, upload } from '../factories/evidence.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('evidence: upload, sniffing, review, download and links', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let url: string;
  let pdf: Buffer;
  let pdfId: string;

  beforeAll(async () => {
    // A small picture allowance so the "image wrapped in a document" cases stay small.
    t = await startTestApp({ EVIDENCE_EMBEDDED_IMAGE_BYTES: String(64 * 1024) });
    owner = await signUp(t);
    org = orgOf(owner);
    url = `/api/v1/orgs/${org}/evidence`;
    assessor = await memberWithRole(t, org, 'assessor');
    contributor = await memberWithRole(t, org, 'contributor');
    auditor = await memberWithRole(t, org, 'auditor');
    outsider = await signUp(t);
    pdf = await buildRealPdf();
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a real PDF, stores its SHA-256 and size, pending review, with expiry issuedAt + 12 months', async () => {
    const res = await upload(t, contributor, org, pdf, 'Policy v3.pdf').expect(201);
    const body = EvidenceResponseSchema.parse(res.body);
    expect(body).toMatchObject({
      source: 'file',
      status: 'pending',
      mediaType: 'application/pdf',
      fileName: 'Policy v3.pdf',
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
      issuedAt: '2026-01-15T00:00:00.000Z',
      expiresAt: '2027-01-15T00:00:00.000Z',
      expiryExplicit: false,
      counts: false,
      uploadedBy: { userId: contributor.me.user.id },
      linkedAnswers: [],
    });
    pdfId = body.id;
    const stored = await t.ownerQuery<{ sha256: string; n: string; store: string }>(
      `SELECT e.sha256, e.size_bytes::text AS n, o.object_store AS store FROM evidence e JOIN evidence_objects o ON o.evidence_id = e.id WHERE e.id = $1`,
      [pdfId],
    );
    expect(stored[0]).toEqual({ sha256: sha256(pdf), n: String(pdf.length), store: 'filesystem' });
  });

  it('downloads exactly the stored bytes as a nosniff attachment with the sniffed type', async () => {
    const res = await as(t, auditor).get(`${url}/${pdfId}/content`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Policy v3.pdf"; filename*=UTF-8''Policy%20v3.pdf`);
    expect(res.headers['x-evidence-sha256']).toBe(sha256(pdf));
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
  });

  it('refuses a PNG renamed .pdf with 415 and a message saying what to upload instead and to report abuse material', async () => {
    const res = await upload(t, owner, org, fakeMedia.png(), 'policy.pdf').expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_EVIDENCE');
    expect(res.body.error.message).toMatch(/PNG image/);
    expect(res.body.error.message).toMatch(/PDF or office document/);
    expect(res.body.error.message).toMatch(/external reference/);
    expect(res.body.error.message).toMatch(/never upload suspected child sexual abuse material/i);
    expect(res.body.error.message).toMatch(/\/found-suspected-material/);
  });

  it.each([
    ['JPEG', () => fakeMedia.jpeg(), 'scan.pdf'],
    ['MP4', () => fakeMedia.mp4(), 'minutes.docx'],
    ['ZIP', () => buildPlainZip(), 'export.xlsx'],
    ['gzip', () => fakeMedia.gzip(), 'kpi.csv'],
    ['ELF', () => fakeMedia.elf(), 'notes.txt'],
    ['docx with a nested zip', () => buildDocx([{ name: 'word/embeddings/pack.dat', data: buildPlainZip() }]), 'policy.docx'],
    ['docx with a video', () => buildDocx([{ name: 'word/media/media1.bin', data: fakeMedia.mp4(2048) }]), 'policy.docx'],
    ['docx whose pictures exceed the allowance', () => buildDocx([{ name: 'word/media/image1.png', data: fakeMedia.png(70 * 1024), store: true }]), 'policy.docx'],
    ['PDF with /JavaScript', () => buildPdf({ catalogExtra: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>' }), 'policy.pdf'],
  ])('refuses %s with 415 and stores nothing', async (_label, make, name) => {
    const before = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM evidence WHERE organisation_id = $1`, [org]);
    const res = await upload(t, owner, org, make(), name).expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_EVIDENCE');
    const after = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM evidence WHERE organisation_id = $1`, [org]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('accepts a docx (with a small logo), an ODF text, a CSV and a plain-text file', async () => {
    const docx = buildDocx([{ name: 'word/media/logo.png', data: fakeMedia.png(4096), store: true }]);
    const d = await upload(t, owner, org, docx, 'policy.docx').expect(201);
    expect(d.body).toMatchObject({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fileName: 'policy.docx', sha256: sha256(docx) });
    await upload(t, owner, org, buildOdt(), 'minutes.odt').expect(201);
    const csv = await upload(t, owner, org, Buffer.from('month,reports,median_hours\n2026-01,12,3.5\n'), 'kpi.csv', evidenceFields({ kind: 'metrics' })).expect(201);
    expect(csv.body).toMatchObject({ mediaType: 'text/csv', kind: 'metrics' });
    // A misleading name gets the extension of what the content really is.
    const txt = await upload(t, owner, org, Buffer.from('Moderation runbook\n1. Triage\n'), 'runbook.exe').expect(201);
    expect(txt.body).toMatchObject({ mediaType: 'text/plain', fileName: 'runbook.exe.txt' });
  });

  it('accepts an external reference without a file, and refuses javascript: refs', async () => {
    const res = await as(t, contributor)
      .post(url)
      .send({ title: 'Hash list contract', kind: 'contract', externalRef: 'https://dms.example.org/docs/4711', issuedAt: '2024-03-01T00:00:00Z', expiresAt: '2025-03-01T00:00:00Z' })
      .expect(201);
    expect(res.body).toMatchObject({ source: 'external', externalRef: 'https://dms.example.org/docs/4711', sha256: null, expired: true, expiryExplicit: true });
    await as(t, owner).get(`${url}/${res.body.id}/content`).expect(404);
    const bad = await as(t, owner).post(url).send({ title: 'x', kind: 'contract', externalRef: 'javascript:alert(1)', issuedAt: '2024-03-01T00:00:00Z' }).expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'externalRef' })]);
  });

  it('answers 400 with field details for bad input, and changes nothing', async () => {
    const before = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM evidence WHERE organisation_id = $1`, [org]);
    const json = await as(t, owner).post(url).send({ title: '', kind: 'selfie', issuedAt: 'yesterday', surprise: 1 }).expect(400);
    const paths = (json.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'kind', 'issuedAt', 'externalRef']));
    const multi = await upload(t, owner, org, pdf, 'a.pdf', { title: 'x', kind: 'policy', issuedAt: '2026-02-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' }).expect(400);
    expect(multi.body.error.details).toEqual([expect.objectContaining({ path: 'expiresAt' })]);
    const noFile = await as(t, owner).post(url).field('title', 'x').field('kind', 'policy').field('issuedAt', '2026-01-01T00:00:00Z').expect(400);
    expect(noFile.body.error.details).toEqual([expect.objectContaining({ path: 'file' })]);
    const after = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM evidence WHERE organisation_id = $1`, [org]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('lets owners and assessors review others’ uploads; reject needs a reason; no self-review; contributors get 403', async () => {
    await as(t, contributor).post(`${url}/${pdfId}/review`).send({ decision: 'accept' }).expect(403);
    const noReason = await as(t, assessor).post(`${url}/${pdfId}/review`).send({ decision: 'reject' }).expect(400);
    expect(noReason.body.error.details).toEqual([expect.objectContaining({ path: 'reason' })]);
    const rejected = await as(t, assessor).post(`${url}/${pdfId}/review`).send({ decision: 'reject', reason: 'Unsigned draft; upload the approved version' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reviewReason: 'Unsigned draft; upload the approved version', reviewer: { userId: assessor.me.user.id } });
    // Accepting requires opening (issue 24; evidence-opens.e2e-spec.ts): the owner downloads it first.
    await as(t, owner).get(`${url}/${pdfId}/content`).expect(200);
    const accepted = await as(t, owner).post(`${url}/${pdfId}/review`).set('If-Match', `"${rejected.body.version}"`).send({ decision: 'accept' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', counts: true, reviewReason: null });
    await as(t, owner).post(`${url}/${pdfId}/review`).set('If-Match', `"${rejected.body.version}"`).send({ decision: 'reject', reason: 'x' }).expect(412);

    const own = await upload(t, assessor, org, pdf, 'mine.pdf').expect(201);
    const self = await as(t, assessor).post(`${url}/${own.body.id}/review`).send({ decision: 'accept' }).expect(409);
    expect(self.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/someone else/) });
  });

  it('lets an auditor read, list and download but not upload or review', async () => {
    await as(t, auditor).get(`${url}/${pdfId}`).expect(200);
    const list = EvidencePageSchema.parse((await as(t, auditor).get(`${url}?limit=2`).expect(200)).body);
    expect(list.items).toHaveLength(2);
    expect(list.nextCursor).not.toBeNull();
    const rest = EvidencePageSchema.parse((await as(t, auditor).get(`${url}?limit=200&cursor=${list.nextCursor}`).expect(200)).body);
    expect(rest.items.map((e) => e.id)).not.toContain(list.items[0]!.id);
    const filtered = EvidencePageSchema.parse((await as(t, auditor).get(`${url}?status=accepted`).expect(200)).body);
    expect(filtered.items.map((e) => e.id)).toEqual([pdfId]);
    await upload(t, auditor, org, pdf, 'a.pdf').expect(403);
    await as(t, auditor).post(url).send({ title: 'x', kind: 'policy', externalRef: 'DMS-1', issuedAt: '2026-01-01T00:00:00Z' }).expect(403);
    await as(t, auditor).post(`${url}/${pdfId}/review`).send({ decision: 'accept' }).expect(403);
  });

  it('answers 404 for another organisation’s evidence (and for non-members)', async () => {
    const theirs = await upload(t, outsider, orgOf(outsider), pdf, 'theirs.pdf').expect(201);
    await as(t, owner).get(`${url}/${theirs.body.id}`).expect(404);
    await as(t, owner).get(`${url}/${theirs.body.id}/content`).expect(404);
    await as(t, owner).post(`${url}/${theirs.body.id}/review`).send({ decision: 'accept' }).expect(404);
    await as(t, owner).get(`${url}/not-a-uuid`).expect(404);
    await as(t, outsider).get(`${url}/${pdfId}`).expect(404);
  });

  it('links and unlinks evidence to an answer; refuses unknown questions/assessments (404) and signed assessments (409)', async () => {
    const a = await insertAssessment(t, org, owner.me.user.id);
    const link = `/api/v1/orgs/${org}/assessments/${a.id}/answers/${a.questionId}/evidence/${pdfId}`;
    const res = await as(t, contributor).put(link).expect(200);
    expect(res.body).toMatchObject({ assessmentId: a.id, questionId: a.questionId, evidenceId: pdfId, linkedBy: contributor.me.user.id });
    await as(t, owner).put(link).expect(200);
    const ev = await as(t, owner).get(`${url}/${pdfId}`).expect(200);
    expect(ev.body.linkedAnswers).toEqual([expect.objectContaining({ assessmentId: a.id, questionId: a.questionId })]);
    await as(t, auditor).put(link).expect(403);
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${a.id}/answers/NOPE-99/evidence/${pdfId}`).expect(404);
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${crypto.randomUUID()}/answers/${a.questionId}/evidence/${pdfId}`).expect(404);
    const theirs = await as(t, outsider).post(`/api/v1/orgs/${orgOf(outsider)}/evidence`).send({ title: 'x', kind: 'policy', externalRef: 'DMS-9', issuedAt: '2026-01-01T00:00:00Z' }).expect(201);
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${a.id}/answers/${a.questionId}/evidence/${theirs.body.id}`).expect(404);

    await as(t, contributor).delete(link).expect(204);
    await as(t, contributor).delete(link).expect(404);
    expect((await as(t, owner).get(`${url}/${pdfId}`).expect(200)).body.linkedAnswers).toEqual([]);

    await as(t, owner).put(link).expect(200);
    await t.ownerQuery(`UPDATE assessments SET status = 'signed', signed_at = now() WHERE organisation_id = $1 AND id = $2`, [org, a.id]);
    const locked = await as(t, contributor).put(`/api/v1/orgs/${org}/assessments/${a.id}/answers/${a.questionId}/evidence/${pdfId}`).expect(409);
    expect(locked.body.error.code).toBe('ASSESSMENT_LOCKED');
    const del = await as(t, owner).delete(link).expect(409);
    expect(del.body.error.code).toBe('ASSESSMENT_LOCKED');
  });

  it('audits every write with hashes and never content, and the chain verifies', async () => {
    const rows = await t.ownerQuery<{ action: string; data: Record<string, unknown> }>(`SELECT action, data FROM audit_log WHERE organisation_id = $1 AND entity_type = 'evidence' ORDER BY seq`, [org]);
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['evidence.uploaded', 'evidence.referenced', 'evidence.reviewed', 'evidence.linked', 'evidence.unlinked']));
    const uploaded = rows.find((r) => r.action === 'evidence.uploaded' && r.data['sha256'] === sha256(pdf));
    expect(uploaded?.data).toMatchObject({ sizeBytes: pdf.length, mediaType: 'application/pdf' });
    expect(JSON.stringify(rows)).not.toContain(pdf.subarray(0, 20).toString('base64'));
    const verify = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200);
    // The chain is whole. The only drift is the assessment the link test inserted and signed directly
    // in the database (set-up that bypasses the API), which verify rightly reports as unaudited.
    expect(verify.body.firstBreak).toBeUndefined();
    expect(verify.body.drift).toEqual([{ table: 'assessments', id: expect.any(String), reason: expect.stringMatching(/no audit entry/) }]);
  });
});
