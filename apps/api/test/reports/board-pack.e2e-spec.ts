import { createHash, randomUUID } from 'node:crypto';

import { type Report, ReportSchema, verifyPageUrl } from '@hoh/contracts';
import type { ReportModel } from '@hoh/report-pdf';
import { DataSource } from 'typeorm';

// migrations/ sits outside every Nx project (as in database/migrate.ts); this test runs one migration itself.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { StoreReportModels1764347210000 } from '../../../../migrations/1764347210000-StoreReportModels.js';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const PUBLIC_URL = 'https://hoh.example.org/board';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Supertest buffers binary bodies only when told to; this collects them as a Buffer. */
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface World {
  t: TestApp;
  owner: SignedInUser;
  org: string;
  assessmentId: string;
}

/** An organisation with a profile and a half-answered assessment (unsigned, so the check has exceptions). */
async function world(t: TestApp): Promise<World> {
  const owner = await signUp(t);
  const org = orgOf(owner);
  await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  const assessment = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({ title: 'Board pack review' }).expect(201)).body as { id: string };
  const base = `/api/v1/orgs/${org}/assessments/${assessment.id}`;
  await as(t, owner).put(`${base}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3, comment: '=SUM(A1) starts like a formula' }).expect(200);
  await as(t, owner).put(`${base}/answers/GOV-02`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
  return { t, owner, org, assessmentId: assessment.id };
}

/** Issues a report and polls until the in-process worker has rendered it. */
async function issue(w: World): Promise<Report> {
  const res = await as(w.t, w.owner).post(`/api/v1/orgs/${w.org}/assessments/${w.assessmentId}/reports`).expect(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const report = ReportSchema.parse((await as(w.t, w.owner).get(String(res.headers['location'])).expect(200)).body);
    if (report.status === 'ready' || report.status === 'failed') {
      expect(report.status).toBe('ready');
      return report;
    }
    if (Date.now() > deadline) throw new Error(`report still ${report.status} after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Renders a stored model again, loading the renderer the way the API does (lazily). */
const render = async (model: ReportModel): Promise<Buffer> => (await import('@hoh/report-pdf')).renderReport(model);

const storedModel = async (t: TestApp, org: string, reportId: string): Promise<ReportModel | undefined> =>
  (await t.ownerQuery<{ model: ReportModel }>('SELECT model FROM report_models WHERE organisation_id = $1 AND report_id = $2', [org, reportId]))[0]?.model;

describe('board pack: the stored report model, editable copies and verify by report id (issue 25)', () => {
  let t: TestApp;
  let w: World;
  let report: Report;
  let auditor: SignedInUser;
  let contributor: SignedInUser;
  let outsider: SignedInUser;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    w = await world(t);
    auditor = await addMember(t, w.org, 'auditor');
    contributor = await addMember(t, w.org, 'contributor');
    outsider = await signUp(t);
    report = await issue(w);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  describe('the model stored with each issued report', () => {
    it('is exactly what the PDF was rendered from: rendering it again gives the issued pdfSha256', async () => {
      const model = await storedModel(t, w.org, report.id);
      expect(model).toBeDefined();
      expect(model).toMatchObject({ reportId: report.id, issuedAt: report.issuedAt, integrity: { resultsSha256: report.resultsSha256 } });
      expect(sha256(await render(model!))).toBe(report.pdfSha256);
    });

    it('carries the explicitly set PUBLIC_URL, from which the verify page URL is built', async () => {
      const model = (await storedModel(t, w.org, report.id))!;
      expect(model.integrity.publicUrl).toBe(PUBLIC_URL);
      expect(verifyPageUrl(model.integrity.publicUrl!, report.id, report.resultsSha256!)).toBe(
        `${PUBLIC_URL}/verify?report=${report.id}&results=${report.resultsSha256}`,
      );
    });

    it('gives an unsigned assessment the hand-on-heart check’s current exceptions, as GET …/attestation-check answers them', async () => {
      const model = (await storedModel(t, w.org, report.id))!;
      const check = (await as(t, w.owner).get(`/api/v1/orgs/${w.org}/assessments/${w.assessmentId}/attestation-check`).expect(200)).body as {
        exceptions: { id: string; kind: string; message: string }[];
      };
      expect(check.exceptions.length).toBeGreaterThan(0);
      expect(model.attestation).toEqual({
        status: 'not_signed',
        exceptions: check.exceptions.map((e) => ({ id: e.id, kind: e.kind, message: e.message })),
      });
    });

    it('is write-once for the API role and invisible to another organisation', async () => {
      await expect(t.appQueryAs(w.org, `UPDATE report_models SET model = '{}'::jsonb WHERE report_id = $1`, [report.id])).rejects.toThrow(/permission denied/);
      await expect(t.appQueryAs(w.org, `DELETE FROM report_models WHERE report_id = $1`, [report.id])).rejects.toThrow(/permission denied/);
      expect(await t.appQueryAs(orgOf(outsider), 'SELECT report_id FROM report_models WHERE report_id = $1', [report.id])).toEqual([]);
    });
  });

  describe('GET …/reports/{reportId}/board-pack.docx and …/registers.xlsx', () => {
    const url = (org: string, id: string, copy: string) => `/api/v1/orgs/${org}/reports/${id}/${copy}`;

    it.each([
      ['board-pack.docx', DOCX, 'hand-on-heart-board-pack'],
      ['registers.xlsx', XLSX, 'hand-on-heart-registers'],
    ])('serves %s to every role that reads reports, as an attachment with its content type', async (copy, type, name) => {
      for (const user of [w.owner, auditor, contributor]) {
        const res = await as(t, user).get(url(w.org, report.id, copy)).buffer(true).parse(binary).expect(200);
        expect(res.headers['content-type']).toBe(type);
        expect(res.headers['content-disposition']).toBe(`attachment; filename="${name}-${report.id}.${copy.split('.')[1]}"`);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        const body = res.body as Buffer;
        expect(body.subarray(0, 2).toString()).toBe('PK'); // an Office Open XML file is a zip
        expect(Number(res.headers['content-length'])).toBe(body.length);
      }
    });

    it('answers 404 to a member of another organisation, through either organisation’s path, and for unknown ids', async () => {
      for (const copy of ['board-pack.docx', 'registers.xlsx']) {
        await as(t, outsider).get(url(orgOf(outsider), report.id, copy)).expect(404);
        await as(t, outsider).get(url(w.org, report.id, copy)).expect(404);
        await as(t, w.owner).get(url(w.org, randomUUID(), copy)).expect(404);
        await as(t, w.owner).get(url(w.org, 'not-a-uuid', copy)).expect(404);
      }
    });

    // Not seeded as `queued`: the in-process worker would claim and render it under the test.
    it('answers 409 REPORT_NOT_READY while a report is rendering or failed', async () => {
      for (const status of ['rendering', 'failed']) {
        const [row] = await t.ownerQuery<{ id: string }>(
          `INSERT INTO reports (organisation_id, id, assessment_id, status, draft, requested_by, claimed_at, error)
           VALUES ($1, gen_random_uuid(), $2, $3, true, $4, now() + interval '1 hour', CASE WHEN $3 = 'failed' THEN 'seeded failure' END) RETURNING id`,
          [w.org, w.assessmentId, status, w.owner.me.user.id],
        );
        for (const copy of ['board-pack.docx', 'registers.xlsx']) {
          const res = await as(t, auditor).get(url(w.org, row!.id, copy)).expect(409);
          expect(res.body.error.code).toBe('REPORT_NOT_READY');
          expect(res.body.error.message).toMatch(status === 'failed' ? /issue a new one/ : /poll/);
        }
      }
    });

    it('answers 409 REPORT_MODEL_MISSING for a report issued before models were stored, saying to issue a new one', async () => {
      const id = randomUUID();
      const digest = sha256(id);
      await t.ownerQuery(
        `INSERT INTO reports (organisation_id, id, assessment_id, status, draft, requested_by, issued_at, pdf_sha256, results_sha256, manifest, signature)
         VALUES ($1, $2, $3, 'ready', true, $4, now(), $5, $5, '{}'::jsonb, 'seeded')`,
        [w.org, id, w.assessmentId, w.owner.me.user.id, digest],
      );
      for (const copy of ['board-pack.docx', 'registers.xlsx']) {
        const res = await as(t, auditor).get(url(w.org, id, copy)).expect(409);
        expect(res.body.error.code).toBe('REPORT_MODEL_MISSING');
        expect(res.body.error.message).toMatch(/Issue a new report/);
      }
    });
  });

  describe('POST /api/v1/reports/verify with {reportId, resultsSha256}', () => {
    const verify = (body: unknown) => t.http().post('/api/v1/reports/verify').send(body as object);

    it('answers genuine with the issuer, date and PDF hash when both name the same issued report (no sign-in)', async () => {
      const res = await verify({ reportId: report.id, resultsSha256: report.resultsSha256!.toUpperCase() }).expect(200);
      expect(res.body).toEqual({
        genuine: true,
        reportId: report.id,
        organisation: w.owner.me.memberships[0]!.organisationName,
        issuedAt: report.issuedAt,
        pdfSha256: report.pdfSha256,
      });
    });

    it('answers only {genuine:false} when either half does not match, or names a report of nobody', async () => {
      const other = await issue(w);
      expect((await verify({ reportId: other.id, resultsSha256: other.resultsSha256 }).expect(200)).body.reportId).toBe(other.id);
      for (const body of [
        { reportId: report.id, resultsSha256: '0'.repeat(64) },
        { reportId: randomUUID(), resultsSha256: report.resultsSha256 },
        { reportId: report.id, resultsSha256: report.pdfSha256 },
      ]) {
        expect((await verify(body).expect(200)).body).toEqual({ genuine: false });
      }
    }, 90_000);

    it('refuses a malformed id or hash, or a body mixing the variants, with 400 saying what to send', async () => {
      for (const body of [
        { reportId: 'nope', resultsSha256: report.resultsSha256 },
        { reportId: report.id, resultsSha256: 'abc' },
        { reportId: report.id },
        { reportId: report.id, resultsSha256: report.resultsSha256, sha256: report.pdfSha256 },
      ]) {
        const res = await verify(body).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.message).toMatch(/reportId.*resultsSha256/);
      }
    });
  });
});

describe('board pack without an explicit PUBLIC_URL, and the verify throttle', () => {
  let t: TestApp;
  let w: World;
  let report: Report;

  beforeAll(async () => {
    t = await startTestApp({ REPORT_VERIFY_PER_IP: '3' });
    w = await world(t);
    report = await issue(w);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('stores integrity.publicUrl null (the localhost default is never printed into a report)', async () => {
    const model = (await storedModel(t, w.org, report.id))!;
    expect(model.integrity.publicUrl).toBeNull();
    expect(sha256(await render(model))).toBe(report.pdfSha256);
  });

  it('counts verifications by report id in the same per-IP budget as the others: 429 with Retry-After past it', async () => {
    const body = { reportId: report.id, resultsSha256: report.resultsSha256 };
    await t.http().post('/api/v1/reports/verify').send(body).expect(200);
    await t.http().post('/api/v1/reports/verify').send({ sha256: report.pdfSha256 }).expect(200);
    await t.http().post('/api/v1/reports/verify').send(body).expect(200);
    const limited = await t.http().post('/api/v1/reports/verify').send(body).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('migrates a database with reports issued before it: their results hash is backfilled for verify by id, and their copies answer REPORT_MODEL_MISSING', async () => {
    const owned = new DataSource({ type: 'postgres', url: t.db.ownerUrl });
    await owned.initialize();
    const runner = owned.createQueryRunner();
    const migration = new StoreReportModels1764347210000();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
      await owned.destroy();
    }
    // As the API role, through the lookup function (the HTTP route's budget is spent by the test above).
    const [found] = await t.appQuery<{ report_id: string; pdf_sha256: string }>('SELECT report_id, pdf_sha256 FROM hoh_verify_report_id($1, $2)', [
      report.id,
      report.resultsSha256,
    ]);
    expect(found).toEqual({ report_id: report.id, pdf_sha256: report.pdfSha256 });
    const res = await as(t, w.owner).get(`/api/v1/orgs/${w.org}/reports/${report.id}/board-pack.docx`).expect(409);
    expect(res.body.error.code).toBe('REPORT_MODEL_MISSING');
  });
});
