import { createHash } from 'node:crypto';

import {
  DashboardResponseSchema,
  DrillFirstHourResponseSchema,
  DrillPlaybookResponseSchema,
  DrillResponseSchema,
  DrillScheduleResponseSchema,
  drillDueAt,
  EvidenceResponseSchema,
  ReportSchema,
  VerifyReportResponseSchema,
} from '@hoh/contracts';
import { drillLibrary } from '@hoh/question-bank';
import type { ReportModel } from '@hoh/report-pdf';

import { memberWithRole } from '../factories/evidence.factory.js';
import { ProfileFactory } from '../factories/profile.factory.js';
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
    // The overview carries the same schedule in its one response.
    const dashboard = DashboardResponseSchema.parse((await as(t, contributor).get(`/api/v1/orgs/${org}/dashboard`).expect(200)).body);
    expect(dashboard.drills).toEqual(after.items);

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
    altered.writeUInt8(altered.readUInt8(altered.length - 10) ^ 1, altered.length - 10);
    expect((await t.http().post('/api/v1/reports/verify').attach('file', altered, 'drill-record.pdf').expect(200)).body).toEqual({ genuine: false });
  });

  it('serves every scenario\'s first-hour steps without sign-in, and a member their own playbook and last drill record', async () => {
    const steps = DrillFirstHourResponseSchema.parse((await t.http().get('/api/v1/drills/first-hour').expect(200)).body);
    expect(steps.scenarios.map((s) => s.id).sort()).toEqual(drillLibrary().scenarios.map((s) => s.id).sort());
    expect(steps.scenarios.every((s) => s.firstHour.length > 0)).toBe(true);

    const playbook = async () => DrillPlaybookResponseSchema.parse((await as(t, contributor).get(`${url}/playbook`).expect(200)).body);
    const before = await playbook();
    expect(before).toMatchObject({ questionId: 'ENT-04', playbook: null, lastDrill: { drillId: finished.id, evidenceId: finished.record!.evidenceId, finishedAt: finished.finishedAt } });

    // The playbook: the newest accepted evidence on ENT-04 that is not itself a drill record.
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing({ services: ['file_storage_sharing', 'enterprise_devices'], managedDevices: 40 })).expect(200);
    const assessmentId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id as string;
    const policy = EvidenceResponseSchema.parse(
      (await as(t, contributor).post(`/api/v1/orgs/${org}/evidence`).send({ title: 'Discovery playbook v3', kind: 'policy', externalRef: 'https://intranet.example/playbook', issuedAt: clock.now().toISOString() }).expect(201)).body,
    );
    await as(t, contributor).put(`/api/v1/orgs/${org}/assessments/${assessmentId}/answers/ENT-04/evidence/${policy.id}`).expect(200);
    // Linked but not yet accepted: not the playbook.
    expect((await playbook()).playbook).toBeNull();
    await as(t, owner).get(`/api/v1/orgs/${org}/evidence/${policy.id}/open`).expect(303);
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${policy.id}/review`).send({ decision: 'accept' }).expect(200);
    expect((await playbook()).playbook).toMatchObject({ evidenceId: policy.id, title: 'Discovery playbook v3', kind: 'policy' });
  });

  it('lists the drills finished in the period in the board report: scenario, date, facilitator role, outcome, record hash', async () => {
    const day = finished.finishedAt!.slice(0, 10);
    const assessment = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({ title: 'Drill period review', period: { start: day, end: day } }).expect(201)).body as { id: string };
    const res = await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessment.id}/reports`).expect(202);
    const deadline = Date.now() + 60_000;
    let report = ReportSchema.parse((await as(t, owner).get(String(res.headers['location'])).expect(200)).body);
    // The in-process worker renders it; polled as the board-pack suite does.
    while (report.status !== 'ready' && report.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      report = ReportSchema.parse((await as(t, owner).get(String(res.headers['location'])).expect(200)).body);
    }
    expect(report.status).toBe('ready');
    const [stored] = await t.ownerQuery<{ model: ReportModel }>('SELECT model FROM report_models WHERE organisation_id = $1 AND report_id = $2', [org, report.id]);
    expect(stored!.model.drills).toEqual([
      {
        scenario: drillLibrary().scenarios.find((s) => s.id === 'corporate-laptop')!.title,
        finishedAt: finished.finishedAt,
        facilitatorRole: 'Owner',
        outcome: 'no decision rated; escalation not reached, isolation not reached, report decision not reached; 0 follow-ups',
        recordSha256: finished.record!.pdfSha256,
      },
    ]);
  }, 90_000);

  it('keeps each organisation its own schedule', async () => {
    const other = await signUp(t);
    await as(t, other).get(`${url}/schedule`).expect(404);
    await as(t, other).get(`${url}/playbook`).expect(404);
    const theirs = DrillScheduleResponseSchema.parse((await as(t, other).get(`/api/v1/orgs/${orgOf(other)}/drills/schedule`).expect(200)).body);
    expect(theirs.items.every((i) => i.state === 'never')).toBe(true);
  });
});
