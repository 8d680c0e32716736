import { createHash, createPublicKey, verify } from 'node:crypto';

import { ActionListResponseSchema, DrillListResponseSchema, type DrillResponse, DrillResponseSchema, DrillScenarioListResponseSchema, EvidenceResponseSchema, ReportPublicKeySchema, ScoringResultSchema } from '@hoh/contracts';
import { canonicalJson, drillScenario } from '@hoh/question-bank';

import { memberWithRole } from '../factories/evidence.factory.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Incident drills (issue 30; docs/PRODUCT.md §15): a facilitator runs a scenario with participants,
 * injects revealed in order, decisions and notes with who and when, drill time that leaves pauses
 * out; finishing stores a signed record PDF as exercise evidence linked to the open assessment's
 * exercised questions, counting only after someone else opens and accepts it.
 */
describe('drills', () => {
  const clock = new TestClock();
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let url: string;
  let assessmentId: string;
  const scenario = drillScenario('corporate-laptop')!;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    url = `/api/v1/orgs/${org}/drills`;
    assessor = await memberWithRole(t, org, 'assessor');
    contributor = await memberWithRole(t, org, 'contributor');
    outsider = await signUp(t);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing({ services: ['file_storage_sharing', 'user_to_user', 'enterprise_devices'], managedDevices: 400 })).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id as string;
  });
  afterAll(async () => {
    await t.close();
  });

  const parse = (res: { body: unknown }): DrillResponse => DrillResponseSchema.parse(res.body);
  const start = async (by: SignedInUser = owner) =>
    parse(
      await as(t, by)
        .post(url)
        .send({
          scenarioId: scenario.id,
          participants: [
            { userId: contributor.me.user.id, roleId: 'it_security' },
            { userId: assessor.me.user.id, roleId: 'legal' },
          ],
        })
        .expect(201),
    );

  it('lists the scenario library with roles, exercised questions and first-hour steps, but not the injects', async () => {
    const res = DrillScenarioListResponseSchema.parse((await as(t, contributor).get(`${url}/scenarios`).expect(200)).body);
    expect(res.libraryVersion).toBe('1.0.0');
    expect(res.scenarios.map((s) => s.setting).sort()).toEqual(['backup_cloud', 'corporate_device', 'livestream', 'notice', 'platform', 'staff_implicated']);
    expect(res.scenarios[0]).not.toHaveProperty('injects');
  });

  it('runs a drill end to end: start, reveal, decisions, notes, pause and resume, finish into exercise evidence that counts only once someone else accepts it', async () => {
    // ENT-04 claimed at 3: without counting evidence the engine caps it at 2 (docs/PRODUCT.md §4.3).
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${assessmentId}/answers/ENT-04`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    const item = async () => ScoringResultSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/assessments/${assessmentId}/score`).expect(200)).body).items.find((i) => i.questionId === 'ENT-04')!;
    expect(await item()).toMatchObject({ effectiveLevel: 2, capReason: 'no_counting_evidence' });

    const started = await start();
    expect(started).toMatchObject({ status: 'running', youFacilitate: true, injectCount: scenario.injects.length, facilitator: { userId: owner.me.user.id } });
    expect(started.injects.map((i) => i.id)).toEqual([scenario.injects[0]!.id]);
    expect(started.participants.map((p) => p.roleId).sort()).toEqual(['it_security', 'legal']);

    // A participant sees the revealed inject but not the answer sheet; the facilitator sees it.
    const seenByParticipant = parse(await as(t, contributor).get(`${url}/${started.id}`).expect(200));
    expect(seenByParticipant.youFacilitate).toBe(false);
    expect(seenByParticipant.injects[0]!.decisions[0]!.goodPractice).toBeNull();
    expect(started.injects[0]!.decisions[0]!.goodPractice!.length).toBeGreaterThan(0);

    clock.advance(4 * 60_000);
    const escalated = parse(
      await as(t, contributor)
        .post(`${url}/${started.id}/decisions`)
        .set('If-Match', `"${started.version}"`)
        .send({ injectId: 'found', decisionId: 'escalate', decidedBy: contributor.me.user.id, response: 'Called the incident lead; told nobody else.' })
        .expect(201),
    );
    expect(escalated.milestones.escalation).toBe(4 * 60_000);
    expect(escalated.timeline.at(-1)).toMatchObject({ kind: 'decision', actor: { userId: contributor.me.user.id }, decidedBy: { userId: contributor.me.user.id }, rating: null, milestone: 'escalation' });

    // Stale If-Match: 412 with the drill as it is now.
    const stale = await as(t, owner).post(`${url}/${started.id}/reveal`).set('If-Match', `"${started.version}"`).expect(412);
    expect(stale.body.current).toMatchObject({ id: started.id, version: escalated.version });

    // The facilitator rates a decision and names the mistake made; pauses leave time out of the drill clock.
    const rated = parse(
      await as(t, owner)
        .post(`${url}/${started.id}/decisions`)
        .send({ injectId: 'found', decisionId: 'stop', decidedBy: contributor.me.user.id, response: 'Opened the folder again to be sure.', rating: 'missed', mistakes: ['open-again'] })
        .expect(201),
    );
    expect(rated.timeline.at(-1)).toMatchObject({ rating: 'missed', mistakes: ['open-again'] });
    clock.advance(60_000);
    const paused = parse(await as(t, owner).post(`${url}/${started.id}/pause`).expect(200));
    expect(paused).toMatchObject({ status: 'paused', elapsedMs: 5 * 60_000 });
    clock.advance(30 * 60_000);
    await as(t, contributor).post(`${url}/${started.id}/decisions`).send({ injectId: 'found', decisionId: 'stop', decidedBy: contributor.me.user.id, response: 'x' }).expect(409);
    await as(t, contributor).post(`${url}/${started.id}/notes`).send({ text: 'While paused: the deputy’s number in the playbook was wrong.' }).expect(201);
    const resumed = parse(await as(t, owner).post(`${url}/${started.id}/resume`).expect(200));
    expect(resumed).toMatchObject({ status: 'running', elapsedMs: 5 * 60_000 });

    clock.advance(60_000);
    const revealed = parse(await as(t, owner).post(`${url}/${started.id}/reveal`).set('If-Match', `"${resumed.version}"`).expect(200));
    expect(revealed.injects.map((i) => i.id)).toEqual(['found', 'pressure']);
    clock.advance(2 * 60_000);
    const isolated = parse(
      await as(t, owner).post(`${url}/${started.id}/decisions`).send({ injectId: 'pressure', decisionId: 'secure', decidedBy: contributor.me.user.id, response: 'Sealed and logged; legal hold placed.', rating: 'as_expected' }).expect(201),
    );
    expect(isolated.milestones).toEqual({ escalation: 4 * 60_000, isolation: 8 * 60_000, report_decision: null });

    clock.advance(60_000);
    const finished = parse(
      await as(t, owner)
        .post(`${url}/${started.id}/finish`)
        .send({ lessons: ['The deputy incident lead’s number was out of date.'], followUps: ['Update the playbook contact list'] })
        .expect(200),
    );
    expect(finished).toMatchObject({ status: 'finished', elapsedMs: 9 * 60_000, lessons: ['The deputy incident lead’s number was out of date.'] });
    // The follow-up is on the remediation board, named by its action number.
    expect(finished.followUps).toEqual([expect.stringMatching(/^A-\d{3,} Update the playbook contact list$/)]);
    const board = ActionListResponseSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/actions`).expect(200)).body);
    expect(board.items.find((a) => finished.followUps[0]!.startsWith(`${a.number} `))).toMatchObject({ title: 'Update the playbook contact list', status: 'open' });
    const record = finished.record!;
    expect(record.assessmentId).toBe(assessmentId);
    expect(record.linkedQuestionIds).toEqual(scenario.questionIds);
    // Once finished, everyone sees the good practice.
    expect(parse(await as(t, contributor).get(`${url}/${started.id}`).expect(200)).injects[0]!.decisions[0]!.goodPractice).not.toBeNull();

    // The record: exercise evidence, uploaded by the facilitator, pending, linked to every exercised question.
    const evidence = EvidenceResponseSchema.parse((await as(t, assessor).get(`/api/v1/orgs/${org}/evidence/${record.evidenceId}`).expect(200)).body);
    expect(evidence).toMatchObject({ kind: 'exercise', source: 'file', mediaType: 'application/pdf', status: 'pending', counts: false, uploadedBy: { userId: owner.me.user.id }, sha256: record.pdfSha256 });
    expect(evidence.linkedAnswers.map((l) => l.questionId).sort()).toEqual([...scenario.questionIds].sort());
    expect(evidence.linkedAnswers.every((l) => l.assessmentId === assessmentId)).toBe(true);
    expect(await item()).toMatchObject({ effectiveLevel: 2, capReason: 'no_counting_evidence' });

    // The facilitator cannot accept their own record; another manager opens it and accepts; the cap lifts.
    await as(t, owner).post(`/api/v1/orgs/${org}/evidence/${record.evidenceId}/review`).send({ decision: 'accept' }).expect(409);
    const pdf = await as(t, assessor).get(`/api/v1/orgs/${org}/evidence/${record.evidenceId}/content`).buffer(true).expect(200);
    expect(createHash('sha256').update(pdf.body as Buffer).digest('hex')).toBe(record.pdfSha256);
    await as(t, assessor).post(`/api/v1/orgs/${org}/evidence/${record.evidenceId}/review`).send({ decision: 'accept' }).expect(200);
    expect(await item()).toMatchObject({ effectiveLevel: 3, capReason: 'none' });

    // The manifest is signed with the report key: anyone with the public key verifies it.
    const key = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    expect(record.keyId).toBe(key.keyId);
    expect(verify(null, Buffer.from(canonicalJson(record.manifest)), createPublicKey(key.pem), Buffer.from(record.signature, 'base64url'))).toBe(true);
    expect(record.manifest).toEqual({ drillId: started.id, organisationId: org, evidenceId: record.evidenceId, finishedAt: clock.now().toISOString(), pdfSha256: record.pdfSha256 });

    // Every step is in the audit chain.
    const actions = await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_log WHERE organisation_id = $1 AND entity_type = 'drill' AND entity_id = $2 ORDER BY seq`, [org, started.id]);
    expect(actions.map((a) => a.action)).toEqual(['drill.started', 'drill.decision_recorded', 'drill.decision_recorded', 'drill.paused', 'drill.note_added', 'drill.resumed', 'drill.revealed', 'drill.decision_recorded', 'drill.finished']);

    // Finished is final.
    await as(t, owner).post(`${url}/${started.id}/notes`).send({ text: 'late' }).expect(409);
    const list = DrillListResponseSchema.parse((await as(t, contributor).get(url).expect(200)).body);
    expect(list.items.find((d) => d.id === started.id)).toMatchObject({ status: 'finished', evidenceId: record.evidenceId });
  });

  it('lets only the facilitator run the drill and only participants record in it', async () => {
    const drill = await start();
    const other = await memberWithRole(t, org, 'contributor');
    await as(t, assessor).post(`${url}/${drill.id}/reveal`).expect(403);
    await as(t, contributor).post(`${url}/${drill.id}/reveal`).expect(403);
    await as(t, other).post(`${url}/${drill.id}/notes`).send({ text: 'Not in this drill' }).expect(403);
    const rating = await as(t, contributor).post(`${url}/${drill.id}/decisions`).send({ injectId: 'found', decisionId: 'stop', decidedBy: contributor.me.user.id, response: 'Stopped.', rating: 'as_expected' }).expect(403);
    expect(rating.body.error.message).toMatch(/Only the facilitator rates/);
    await as(t, contributor).post(url).send({ scenarioId: scenario.id, participants: [{ userId: contributor.me.user.id, roleId: 'legal' }] }).expect(403);
  });

  it('refuses bad input with 4xx and the field named, and never takes material in its words', async () => {
    const drill = await start();
    const bad = async (body: object, path: string) => {
      const res = await as(t, owner).post(`${url}/${drill.id}/decisions`).send(body).expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    const base = { injectId: 'found', decisionId: 'stop', decidedBy: contributor.me.user.id, response: 'Stopped.' };
    await bad({ ...base, response: 'see data:image/png;base64,iVBORw0KGgo=' }, 'response');
    await bad({ ...base, response: `x ${'A'.repeat(500)}` }, 'response');
    await bad({ ...base, injectId: 'nope' }, 'injectId');
    await bad({ ...base, decisionId: 'nope' }, 'decisionId');
    await bad({ ...base, decidedBy: outsider.me.user.id }, 'decidedBy');
    await bad({ ...base, mistakes: ['not-a-mistake'] }, 'mistakes.0');
    await bad({ ...base, extra: 1 }, '');
    // Not revealed yet: 409, not 400.
    await as(t, owner).post(`${url}/${drill.id}/decisions`).send({ ...base, injectId: 'next', decisionId: 'report-decision' }).expect(409);
    const start400 = await as(t, owner).post(url).send({ scenarioId: 'no-such-scenario', participants: [{ userId: contributor.me.user.id, roleId: 'legal' }] }).expect(400);
    expect(start400.body.error.details[0].path).toBe('scenarioId');
    const notMember = await as(t, owner).post(url).send({ scenarioId: scenario.id, participants: [{ userId: outsider.me.user.id, roleId: 'hr' }, { userId: contributor.me.user.id, roleId: 'moderator' }] }).expect(400);
    expect(notMember.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['participants.0.userId', 'participants.1.roleId']);
    await as(t, owner).post(url).send({ scenarioId: scenario.id, participants: [] }).expect(400);
    await as(t, owner).post(`${url}/${drill.id}/reveal`).set('If-Match', 'three').expect(400);
    await as(t, owner).get(`${url}/not-a-uuid`).expect(404);
    await as(t, owner).post(`${url}/${drill.id}/resume`).expect(409);
    await as(t, owner).post(`${url}/${drill.id}/finish`).send({ lessons: [''], followUps: [] }).expect(400);
    // A file is never taken: multipart is refused before the handler.
    const multipart = await as(t, owner).post(`${url}/${drill.id}/notes`).attach('file', Buffer.from('%PDF-1.4'), 'x.pdf');
    expect([400, 415]).toContain(multipart.status);
  });

  it('keeps tenants apart: another organisation sees no drill, by route or in SQL', async () => {
    const drill = await start();
    await as(t, outsider).get(`${url}/${drill.id}`).expect(404);
    await as(t, outsider).get(`/api/v1/orgs/${orgOf(outsider)}/drills/${drill.id}`).expect(404);
    expect(DrillListResponseSchema.parse((await as(t, outsider).get(`/api/v1/orgs/${orgOf(outsider)}/drills`).expect(200)).body).items).toEqual([]);
    expect(await t.appQueryAs(orgOf(outsider), `SELECT id FROM drills`)).toEqual([]);
    expect(await t.appQueryAs(orgOf(outsider), `SELECT drill_id FROM drill_events`)).toEqual([]);
    expect((await t.appQueryAs(org, `SELECT id FROM drills WHERE id = $1`, [drill.id])).length).toBe(1);
  });

  it('finishes without links when no assessment is open, and the record still stores', async () => {
    const solo = await signUp(t);
    const soloOrg = orgOf(solo);
    const drill = parse(await as(t, solo).post(`/api/v1/orgs/${soloOrg}/drills`).send({ scenarioId: 'livestream', participants: [{ userId: solo.me.user.id, roleId: 'moderator' }] }).expect(201));
    const finishing = await as(t, solo).post(`/api/v1/orgs/${soloOrg}/drills/${drill.id}/finish`).send({ lessons: [], followUps: [] });
    expect([finishing.status, finishing.body.error]).toEqual([200, undefined]);
    const done = parse(finishing);
    expect(done.record).toMatchObject({ assessmentId: null, linkedQuestionIds: [] });
    const evidence = EvidenceResponseSchema.parse((await as(t, solo).get(`/api/v1/orgs/${soloOrg}/evidence/${done.record!.evidenceId}`).expect(200)).body);
    expect(evidence).toMatchObject({ kind: 'exercise', status: 'pending', linkedAnswers: [] });
  });
});
