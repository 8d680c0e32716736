import { createHash } from 'node:crypto';

import { DrillResponseSchema, DrillScheduleResponseSchema, drillDueAt, EvidenceResponseSchema, VerifyReportResponseSchema } from '@hoh/contracts';
import { drillLibrary } from '@hoh/question-bank';

import { memberWithRole } from '../factories/evidence.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const DAY = 86_400_000;

/**
 * What issue 30 adds after the drill run (docs/PRODUCT.md §15.5–15.7): the schedule of drills due,
 * public verification of a drill record, and the public first-hour steps.
 */
describe('drills: schedule, verification, first hour', () => {
  const clock = new TestClock();
  let t: TestApp;
  let owner: SignedInUser;
  let contributor: SignedInUser;
  let org: string;
  let url: string;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    url = `/api/v1/orgs/${org}/drills`;
    contributor = await memberWithRole(t, org, 'contributor');
  });
  afterAll(async () => {
    await t.close();
  });

  const schedule = async (by: SignedInUser = contributor) => DrillScheduleResponseSchema.parse((await as(t, by).get(`${url}/schedule`).expect(200)).body);
  const runDrill = async (scenarioId: string) => {
    const started = DrillResponseSchema.parse(
      (await as(t, owner).post(url).send({ scenarioId, participants: [{ userId: contributor.me.user.id, roleId: 'it_security' }] }).expect(201)).body,
    );
    clock.advance(20 * 60_000);
    return DrillResponseSchema.parse((await as(t, owner).post(`${url}/${started.id}/finish`).send({ lessons: [], followUps: [] }).expect(200)).body);
  };

  let finished: Awaited<ReturnType<typeof runDrill>>;

  it('schedules every scenario: never exercised until a drill finishes, then due when its record expires, due soon within 30 days, then overdue', async () => {
    const before = await schedule();
    expect(before.items.map((i) => i.scenarioId).sort()).toEqual(drillLibrary().scenarios.map((s) => s.id).sort());
    expect(before.items.every((i) => i.state === 'never' && i.dueAt === null)).toBe(true);

    finished = await runDrill('corporate-laptop');
    const finishedAt = new Date(finished.finishedAt!);
    const after = await schedule();
    const laptop = after.items.find((i) => i.scenarioId === 'corporate-laptop')!;
    expect(laptop).toMatchObject({ state: 'ok', lastDrillId: finished.id, lastEvidenceId: finished.record!.evidenceId, lastExercisedAt: finished.finishedAt, dueAt: drillDueAt(finishedAt).toISOString() });
    // The due date is the record's expiry as the evidence rules compute it (§6.2), not a second rule.
    const evidence = EvidenceResponseSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/evidence/${finished.record!.evidenceId}`).expect(200)).body);
    expect(evidence.expiresAt).toBe(laptop.dueAt);
    // The never-exercised come first, the scenario just run last.
    expect(after.items.at(-1)!.scenarioId).toBe('corporate-laptop');

    clock.advance(340 * DAY);
    expect((await schedule()).items.find((i) => i.scenarioId === 'corporate-laptop')).toMatchObject({ state: 'due_soon' });
    clock.advance(30 * DAY);
    const late = (await schedule()).items.find((i) => i.scenarioId === 'corporate-laptop')!;
    expect(late.state).toBe('overdue');
    expect(late.daysLeft).toBeLessThan(0);
  });

  it('verifies a drill record publicly, by its hash or the file, as a drill record of its scenario and date', async () => {
    const record = finished.record!;
    const pdf = await as(t, owner).get(`/api/v1/orgs/${org}/evidence/${record.evidenceId}/content`).buffer(true).expect(200);
    const bytes = pdf.body as Buffer;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.pdfSha256);
    const expected = {
      genuine: true,
      kind: 'drill_record',
      organisation: expect.any(String),
      issuedAt: finished.finishedAt,
      pdfSha256: record.pdfSha256,
      drill: { drillId: finished.id, scenarioId: 'corporate-laptop', scenario: drillLibrary().scenarios.find((s) => s.id === 'corporate-laptop')!.title },
    };
    // No sign-in: the verify route is public.
    expect(VerifyReportResponseSchema.parse((await t.http().post('/api/v1/reports/verify').send({ sha256: record.pdfSha256 }).expect(200)).body)).toEqual(expected);
    expect(VerifyReportResponseSchema.parse((await t.http().post('/api/v1/reports/verify').attach('file', bytes, 'drill-record.pdf').expect(200)).body)).toEqual(expected);
    // One byte changed: not a record this service issued.
    const altered = Buffer.from(bytes);
    altered[altered.length - 10] ^= 1;
    expect((await t.http().post('/api/v1/reports/verify').attach('file', altered, 'drill-record.pdf').expect(200)).body).toEqual({ genuine: false });
  });

  it('keeps each organisation its own schedule', async () => {
    const other = await signUp(t);
    await as(t, other).get(`${url}/schedule`).expect(404);
    const theirs = DrillScheduleResponseSchema.parse((await as(t, other).get(`/api/v1/orgs/${orgOf(other)}/drills/schedule`).expect(200)).body);
    expect(theirs.items.every((i) => i.state === 'never')).toBe(true);
  });
});
