import { AnswerResponseSchema, AttestationCheckResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 22 item 2 (docs/PRODUCT.md §5.1 and §8): the closing question, TRN-06, carries the last 12
 * months' detection figures with its answer. They are part of the answer (versioned, If-Match,
 * audited state), refused on any other question, and read by the attestation check, which raises
 * `detections_unreported` when fewer were reported than were reportable.
 */
describe('detection figures on the closing question (TRN-06)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    base = `/api/v1/orgs/${org}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const figures = (over: Record<string, unknown> = {}) => ({ detections: 40, reportable: 12, reported: 12, medianHoursToReport: 6.5, ...over });
  const draft = async (): Promise<string> => (await as(t, owner).post(base).send({}).expect(201)).body.id as string;
  const put = (id: string, q: string, body: Record<string, unknown>, version?: number) => {
    const req = as(t, assessor).put(`${base}/${id}/answers/${q}`);
    return (version === undefined ? req.set('If-None-Match', '*') : req.set('If-Match', `"${version}"`)).send(body);
  };
  const check = async (id: string) => AttestationCheckResponseSchema.parse((await as(t, owner).get(`${base}/${id}/attestation-check`).expect(200)).body);
  const unreported = async (id: string) => (await check(id)).exceptions.filter((e) => e.kind === 'detections_unreported');
  const detailPaths = (body: { error: { code: string; details?: { path: string; message: string }[] } }) => (body.error.details ?? []).map((d) => d.path);

  it('saves the figures with the answer, returns them on write and read, and bumps the version when they change', async () => {
    const id = await draft();
    const first = AnswerResponseSchema.parse((await put(id, 'TRN-06', { value: 4, figures: figures() }).expect(200)).body);
    expect(first).toMatchObject({ value: 4, version: 1, figures: figures() });
    const read = await as(t, owner).get(`${base}/${id}/answers/TRN-06`).expect(200);
    expect(read.body.figures).toEqual(figures());
    expect(read.headers['etag']).toBe('"1"');

    const changed = await put(id, 'TRN-06', { value: 4, figures: figures({ reported: 11, medianHoursToReport: null }) }, 1).expect(200);
    expect(changed.body).toMatchObject({ version: 2, figures: figures({ reported: 11, medianHoursToReport: null }) });
    // A figures change is an answer change: the version read before it is stale.
    await put(id, 'TRN-06', { value: 4, figures: figures() }, 1).expect(412);
    // A PUT replaces the answer: figures left out are cleared.
    expect((await put(id, 'TRN-06', { value: 2 }, 2).expect(200)).body).toMatchObject({ version: 3, figures: null });
    // Every other answer says it has none.
    expect((await put(id, 'GOV-01', { value: 3 }).expect(200)).body.figures).toBeNull();
    const whole = await as(t, owner).get(`${base}/${id}`).expect(200);
    expect((whole.body.answers as { questionId: string; figures: unknown }[]).find((a) => a.questionId === 'TRN-06')?.figures).toBeNull();
  });

  it('refuses figures that do not add up, naming the field, and saves nothing', async () => {
    const id = await draft();
    const tooManyReportable = await put(id, 'TRN-06', { value: 4, figures: figures({ detections: 5, reportable: 6, reported: 6 }) }).expect(400);
    expect(tooManyReportable.body.error.code).toBe('VALIDATION_FAILED');
    expect(detailPaths(tooManyReportable.body)).toEqual(['figures.reportable']);
    expect(tooManyReportable.body.error.details[0].message).toMatch(/reportable \(6\) cannot exceed detections \(5\)/);
    const tooManyReported = await put(id, 'TRN-06', { value: 4, figures: figures({ reported: 13 }) }).expect(400);
    expect(detailPaths(tooManyReported.body)).toEqual(['figures.reported']);
    const negative = await put(id, 'TRN-06', { value: 4, figures: figures({ detections: -1 }) }).expect(400);
    expect(detailPaths(negative.body)).toContain('figures.detections');
    const fraction = await put(id, 'TRN-06', { value: 4, figures: figures({ reported: 1.5 }) }).expect(400);
    expect(detailPaths(fraction.body)).toContain('figures.reported');
    const missing = await put(id, 'TRN-06', { value: 4, figures: { detections: 1, reportable: 1, reported: 1 } }).expect(400);
    expect(detailPaths(missing.body)).toContain('figures.medianHoursToReport');
    const extra = await put(id, 'TRN-06', { value: 4, figures: { ...figures(), images: 3 } }).expect(400);
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');
    const hours = await put(id, 'TRN-06', { value: 4, figures: figures({ medianHoursToReport: -2 }) }).expect(400);
    expect(detailPaths(hours.body)).toContain('figures.medianHoursToReport');
    expect((await as(t, owner).get(`${base}/${id}/answers/TRN-06`).expect(200)).body).toMatchObject({ answered: false, figures: null, version: 0 });
  });

  it('refuses figures on a question that does not take them, with 400 naming figures', async () => {
    const id = await draft();
    const res = await put(id, 'GOV-01', { value: 3, figures: figures() }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/GOV-01 does not take detection figures/);
    expect(detailPaths(res.body)).toEqual(['figures']);
    expect((await as(t, owner).get(`${base}/${id}/answers/GOV-01`).expect(200)).body.answered).toBe(false);
  });

  it('keeps the figures in the audited state: the audit entry names them and verify stays intact with no drift', async () => {
    const id = await draft();
    await put(id, 'TRN-06', { value: 4, figures: figures() }).expect(200);
    await put(id, 'TRN-06', { value: 4, figures: figures({ reported: 10 }) }, 1).expect(200);
    const log = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log?limit=200`).expect(200);
    const entry = (log.body.items as { action: string; entityId: string; data: { before: { figures?: unknown }; after: { figures?: unknown } } }[]).find(
      (e) => e.action === 'answer.updated' && e.entityId === `${id}/TRN-06`,
    )!;
    expect(entry.data.before.figures).toEqual(figures());
    expect(entry.data.after.figures).toEqual(figures({ reported: 10 }));
    const verify = (await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200)).body as { intact: boolean; drift: unknown[] };
    expect(verify).toMatchObject({ intact: true, drift: [] });

    // Figures changed outside the API are drift on the figures field.
    await t.ownerQuery(`UPDATE answers SET figures = jsonb_set(figures, '{reported}', '12') WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'TRN-06'`, [org, id]);
    const tampered = (await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200)).body as { intact: boolean; drift: { table: string; id: string; field?: string }[] };
    expect(tampered.intact).toBe(false);
    expect(tampered.drift).toEqual([expect.objectContaining({ table: 'answers', id: `${id}/TRN-06`, field: 'figures' })]);
    // Put it back so later tests in this organisation verify cleanly.
    await t.ownerQuery(`UPDATE answers SET figures = jsonb_set(figures, '{reported}', '10') WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'TRN-06'`, [org, id]);
    expect(((await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200)).body as { intact: boolean }).intact).toBe(true);
  });

  it('lists detections_unreported on the attestation check when fewer were reported than were reportable, and not once they reconcile', async () => {
    const id = await draft();
    await put(id, 'TRN-06', { value: 4, figures: figures({ reported: 10 }) }).expect(200);
    expect(await unreported(id)).toEqual([
      { id: 'detections_unreported:TRN-06', kind: 'detections_unreported', questionId: 'TRN-06', message: 'TRN-06: 12 reportable detections, 10 reported: 2 not reported in the last 12 months.' },
    ]);
    expect((await check(id)).statement).toContain('2 not reported in the last 12 months');

    await put(id, 'TRN-06', { value: 4, figures: figures() }, 1).expect(200);
    expect(await unreported(id)).toEqual([]);

    // A yes with nothing behind it is an exception too; a "partial" without figures is not this one.
    await put(id, 'TRN-06', { value: 4 }, 2).expect(200);
    expect((await unreported(id)).map((e) => e.message)).toEqual([expect.stringMatching(/TRN-06 answers yes.*no figures back it/)]);
    await put(id, 'TRN-06', { value: 2 }, 3).expect(200);
    expect(await unreported(id)).toEqual([]);
  });
});
