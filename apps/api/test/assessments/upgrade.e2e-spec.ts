import { jest } from '@jest/globals';
import pg from 'pg';

import { type AssessmentResponse, AssessmentResponseSchema } from '@hoh/contracts';
import { type BankMapping, getMapping } from '@hoh/question-bank';

import { BankMappings } from '../../src/modules/assessments/upgrade.service.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 23 item 3 (docs/PRODUCT.md §3.4): a draft or in-review assessment moves to a later bank
 * version in one transaction, by the published mappings and the engine's move rule; every refusal
 * changes nothing; a signed assessment never moves and scores as signed; next year's review from
 * an older version starts on the current one. Older assessments are made by editing the row right
 * after creating it (as lifecycle.e2e-spec.ts does); the upgrade or the sign-off then records the
 * row through the API, so verification ends with no drift.
 */
describe('upgrading an assessment to a newer bank version', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  interface Org {
    owner: SignedInUser;
    assessor: SignedInUser;
    contributor: SignedInUser;
    id: string;
    base: string;
  }
  const newOrg = async (): Promise<Org> => {
    const owner = await signUp(t);
    const id = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${id}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    return {
      owner,
      id,
      base: `/api/v1/orgs/${id}`,
      assessor: await addMember(t, id, 'assessor'),
      contributor: await addMember(t, id, 'contributor'),
    };
  };
  const evidence = async (o: Org, title: string): Promise<string> =>
    (
      await as(t, o.owner)
        .post(`${o.base}/evidence`)
        .send({ title, kind: 'policy', externalRef: 'https://example.org/policy', issuedAt: '2026-01-01T00:00:00Z' })
        .expect(201)
    ).body.id as string;
  /** A draft on `version`: created on the current bank, then moved back by editing its row (as an assessment made before the newer version was published). */
  const oldDraft = async (o: Org, version: string): Promise<string> => {
    const id = (await as(t, o.owner).post(`${o.base}/assessments`).send({}).expect(201)).body.id as string;
    await t.ownerQuery('UPDATE assessments SET framework_version = $3 WHERE organisation_id = $1 AND id = $2', [o.id, id, version]);
    return id;
  };
  const answer = (o: Org, a: string, q: string, body: Record<string, unknown>) =>
    as(t, o.owner).put(`${o.base}/assessments/${a}/answers/${q}`).set('If-None-Match', '*').send(body).expect(200);
  const read = async (o: Org, a: string): Promise<{ body: AssessmentResponse; etag: string }> => {
    const res = await as(t, o.owner).get(`${o.base}/assessments/${a}`).expect(200);
    return { body: AssessmentResponseSchema.parse(res.body), etag: res.headers['etag'] as string };
  };
  const upgrade = (user: SignedInUser, o: Org, a: string, body: unknown, etag?: string) => {
    const req = as(t, user).post(`${o.base}/assessments/${a}/upgrade`);
    return (etag === undefined ? req : req.set('If-Match', etag)).send(body as object);
  };
  /** Everything an upgrade could touch, as the database holds it. */
  const rows = async (o: Org, a: string) => ({
    assessment: await t.ownerQuery('SELECT framework_version, version, status FROM assessments WHERE organisation_id = $1 AND id = $2', [
      o.id,
      a,
    ]),
    answers: await t.ownerQuery(
      'SELECT question_id, value, justification, comment, version, review_status, reviewer_id, na_approved FROM answers WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id',
      [o.id, a],
    ),
    links: await t.ownerQuery(
      'SELECT question_id, evidence_id::text FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id, evidence_id',
      [o.id, a],
    ),
    targets: await t.ownerQuery(
      'SELECT question_id, target, reason FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id',
      [o.id, a],
    ),
    assignments: await t.ownerQuery(
      'SELECT question_id, assignee_id::text FROM assignments WHERE organisation_id = $1 AND assessment_id = $2 ORDER BY question_id',
      [o.id, a],
    ),
  });
  const verify = async (o: Org) =>
    (await as(t, o.owner).get(`${o.base}/audit-log/verify`).expect(200)).body as { intact: boolean; drift: unknown[]; checked: number };
  const byQuestion = (a: AssessmentResponse) => new Map(a.answers.map((x) => [x.questionId, x]));
  const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c) => chunks.push(c!));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };
  /** A report issued for `a`, once the worker has rendered it. */
  const issueReport = async (o: Org, a: string): Promise<string> => {
    const location = String((await as(t, o.owner).post(`${o.base}/assessments/${a}/reports`).expect(202)).headers['location']);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = (await as(t, o.owner).get(location).expect(200)).body.status as string;
      if (status === 'ready') return location;
      if (status === 'failed' || Date.now() > deadline) throw new Error(`report ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** What an auditor holds of a signed report: its bytes and the hashes its manifest names. */
  const storedReport = async (o: Org, location: string) => {
    const meta = (await as(t, o.owner).get(location).expect(200)).body as { pdfSha256: string; resultsSha256: string };
    const pdf = (await as(t, o.owner).get(`${location}/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    return { pdfSha256: meta.pdfSha256, resultsSha256: meta.resultsSha256, pdf: pdf.toString('base64') };
  };

  describe('by the published mappings (1.0.0 → 1.1.0 → 1.2.0, chained)', () => {
    let o: Org;
    let draft: string;
    let signed: string;
    let e1: string;
    let e2: string;
    let signedScore: unknown;
    let signedReport: { location: string; before: Awaited<ReturnType<typeof storedReport>> };

    beforeAll(async () => {
      o = await newOrg();
      [e1, e2] = [await evidence(o, 'Accountability record'), await evidence(o, 'Reporting procedure')];

      // A signed 1.0.0 assessment: its score must not move when others are upgraded.
      signed = await oldDraft(o, '1.0.0');
      await answer(o, signed, 'GOV-01', { value: 3 });
      await as(t, o.owner).post(`${o.base}/assessments/${signed}/submit`).expect(200);
      const check = (await as(t, o.owner).get(`${o.base}/assessments/${signed}/attestation-check`).expect(200)).body as {
        statement: string;
        exceptions: { id: string }[];
      };
      await as(t, o.owner)
        .post(`${o.base}/assessments/${signed}/sign-off`)
        .send({
          statement: check.statement,
          acknowledged: check.exceptions.map((e) => e.id),
          reauth: { password: o.owner.credentials.password },
        })
        .expect(200);
      signedScore = (await as(t, o.owner).get(`${o.base}/assessments/${signed}/score`).expect(200)).body;
      const location = await issueReport(o, signed);
      signedReport = { location, before: await storedReport(o, location) };

      draft = await oldDraft(o, '1.0.0');
      const a = `${o.base}/assessments/${draft}`;
      await answer(o, draft, 'GOV-01', { value: 3, comment: 'Named in the board minutes' });
      await answer(o, draft, 'RA-03', { value: 4, comment: 'Reworded in 1.1.0' });
      await answer(o, draft, 'TRN-05', { value: 'not_applicable', justification: 'No staff in scope' });
      await as(t, o.assessor)
        .post(`${a}/reviews`)
        .send({ items: ['GOV-01', 'RA-03', 'TRN-05'].map((questionId) => ({ questionId, decision: 'approve' })) })
        .expect(200);
      await as(t, o.owner)
        .put(`${a}/answers/GOV-01/evidence/${e1}`)
        .expect((r) => expect([200, 204]).toContain(r.status));
      await as(t, o.owner)
        .put(`${a}/answers/RA-03/evidence/${e2}`)
        .expect((r) => expect([200, 204]).toContain(r.status));
      await as(t, o.owner).put(`${a}/targets/TRN-04`).send({ target: 2, reason: 'Small team' }).expect(200);
      await as(t, o.owner)
        .post(`${a}/assignments`)
        .send({ assigneeId: o.contributor.me.user.id, questionIds: ['GOV-02', 'RA-03'] })
        .expect(200);
      await as(t, o.owner).post(`${a}/submit`).expect(200);
    });

    it('sends the scoring-input version as the assessment’s ETag, changed by every answer, evidence-link and target write', async () => {
      const before = (await read(o, draft)).etag;
      expect(before).toMatch(/^"\d+"$/);
      await as(t, o.owner)
        .put(`${o.base}/assessments/${draft}/targets/TRN-04`)
        .send({ target: 3, reason: 'Small team, one more step' })
        .expect(200);
      const afterTarget = (await read(o, draft)).etag;
      expect(afterTarget).not.toBe(before);
      await as(t, o.owner)
        .delete(`${o.base}/assessments/${draft}/answers/RA-03/evidence/${e2}`)
        .expect((r) => expect([200, 204]).toContain(r.status));
      await as(t, o.owner)
        .put(`${o.base}/assessments/${draft}/answers/RA-03/evidence/${e2}`)
        .expect((r) => expect([200, 204]).toContain(r.status));
      expect((await read(o, draft)).etag).not.toBe(afterTarget);
    });

    it('moves an in-review 1.0.0 assessment to 1.2.0 in one request: answers, reviews by the carry rules, links, targets, assignments', async () => {
      const { etag } = await read(o, draft);
      const res = await upgrade(o.assessor, o, draft, { to: '1.2.0' }, etag).expect(200);
      const after = AssessmentResponseSchema.parse(res.body);
      expect(res.headers['etag']).not.toBe(etag);
      expect(after).toMatchObject({ status: 'in_review', framework: { id: 'hoh-csam', version: '1.2.0' } });
      const answers = byQuestion(after);
      // Unchanged at both steps: the answer and its review carry, untouched (same version).
      expect(answers.get('GOV-01')).toMatchObject({
        value: 3,
        comment: 'Named in the board minutes',
        version: 1,
        review: { status: 'approved' },
        evidenceIds: [e1],
      });
      expect(answers.get('TRN-05')).toMatchObject({
        value: 'not_applicable',
        justification: 'No staff in scope',
        review: { status: 'approved', naApproved: true },
      });
      // Reworded in 1.1.0: the answer carries, its review does not (a new version, so an old If-Match is stale).
      expect(answers.get('RA-03')).toMatchObject({
        value: 4,
        comment: 'Reworded in 1.1.0',
        version: 2,
        review: { status: 'pending', reviewerId: null, naApproved: false },
        evidenceIds: [e2],
        assigneeId: o.contributor.me.user.id,
      });
      expect(answers.get('GOV-02')).toMatchObject({ answered: false, assigneeId: o.contributor.me.user.id });
      expect(after.targets).toEqual([{ questionId: 'TRN-04', target: 3, reason: 'Small team, one more step' }]);
      // A 1.2.0 question can be answered now.
      await answer(o, draft, 'TRN-06', { value: 2 });
    });

    it('keeps the audit chain intact with no drift, and each rewritten answer’s history names the move', async () => {
      expect(await verify(o)).toMatchObject({ intact: true, drift: [] });
      const history = (
        await as(t, o.owner)
          .get(`${o.base}/audit-log`)
          .query({ entityType: 'answer', entityId: `${draft}/RA-03` })
          .expect(200)
      ).body as {
        items: { action: string; data: Record<string, unknown> }[];
      };
      expect(history.items.map((i) => i.action)).toContain('answer.upgraded');
      expect(history.items.find((i) => i.action === 'answer.upgraded')!.data).toMatchObject({
        fromQuestionId: 'RA-03',
        carry: 'carries',
        reviewKept: false,
        bank: { from: '1.0.0', to: '1.2.0' },
      });
    });

    it('never moves a signed assessment, which keeps scoring exactly as signed', async () => {
      const before = await rows(o, signed);
      const { etag } = await read(o, signed);
      const res = await upgrade(o.owner, o, signed, { to: '1.2.0' }, etag).expect(409);
      expect(res.body.error).toMatchObject({ code: 'ASSESSMENT_LOCKED', message: expect.stringMatching(/next year/) });
      expect(await rows(o, signed)).toEqual(before);
      expect((await as(t, o.owner).get(`${o.base}/assessments/${signed}/score`).expect(200)).body).toEqual(signedScore);
    });

    it('starts next year’s review from the signed 1.0.0 assessment on 1.2.0, through the same migration', async () => {
      const next = AssessmentResponseSchema.parse(
        (await as(t, o.owner).post(`${o.base}/assessments`).send({ fromAssessmentId: signed }).expect(201)).body,
      );
      expect(next).toMatchObject({ framework: { id: 'hoh-csam', version: '1.2.0' }, fromAssessmentId: signed });
      expect(next.answers.map((x) => [x.questionId, x.value, x.review.status])).toEqual([['GOV-01', 3, 'pending']]);
      await answer(o, next.id, 'TRN-06', { value: 4 });
      expect((await as(t, o.owner).get(`${o.base}/assessments/${signed}/score`).expect(200)).body).toEqual(signedScore);
      expect(await verify(o)).toMatchObject({ intact: true, drift: [] });
      // The signed 1.0.0 report an auditor already holds: the same bytes and the same results hash after the upgrade and the new review.
      const after = await storedReport(o, signedReport.location);
      expect(after.resultsSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(after).toEqual(signedReport.before);
    });

    it("issues next year's board report with what each bank step since the signed 1.0.0 one changed for this organisation", async () => {
      const next = AssessmentResponseSchema.parse(
        (
          await as(t, o.owner)
            .post(`${o.base}/assessments`)
            .send({ fromAssessmentId: signed, title: 'Review on the newest bank' })
            .expect(201)
        ).body,
      );
      const issued = await as(t, o.owner).post(`${o.base}/assessments/${next.id}/reports`).expect(202);
      const location = String(issued.headers['location']);
      const deadline = Date.now() + 60_000;
      let status = 'queued';
      while (status !== 'ready' && status !== 'failed' && Date.now() < deadline) {
        status = (await as(t, o.owner).get(location).expect(200)).body.status as string;
        if (status !== 'ready') await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe('ready');
      const reportId = location.split('/').pop()!;
      const [stored] = await t.ownerQuery<{ model: { bankChanges?: { from: string; to: string; newApplying: string[] }[] } }>(
        'SELECT model FROM report_models WHERE organisation_id = $1 AND report_id = $2',
        [o.id, reportId],
      );
      // Two published steps, each with what it changed for this profile; 1.2.0's new closing question applies here.
      expect(stored?.model.bankChanges?.map((s) => `${s.from}→${s.to}`)).toEqual(['1.0.0→1.1.0', '1.1.0→1.2.0']);
      expect(stored?.model.bankChanges?.[1]?.newApplying).toContain('TRN-06');
    });
  });

  describe('by every kind of move (a 1.1.0 → 1.2.0 mapping with split, merged, rescaled, retired and renamed questions)', () => {
    let o: Org;
    let draft: string;
    const ev: string[] = [];
    let spy: ReturnType<typeof jest.spyOn>;

    beforeAll(async () => {
      const published = getMapping('hoh-csam', '1.1.0', '1.2.0')!;
      const special: Record<string, BankMapping['questions'][number]> = {
        'GOV-01': { from: 'GOV-01', kind: 'split', to: ['GOV-01', 'GOV-07'], changes: ['Split in two.'] },
        'GOV-02': { from: 'GOV-02', kind: 'merged', to: 'GOV-03', changes: ['Merged.'] },
        'GOV-03': { from: 'GOV-03', kind: 'merged', to: 'GOV-03', changes: ['Merged.'] },
        'GOV-04': {
          from: 'GOV-04',
          kind: 'rescaled',
          to: 'GOV-04',
          levelMap: { '0': 0, '1': 1, '2': 1, '3': 2, '4': 3 },
          changes: ['New scale.'],
        },
        'GOV-05': { from: 'GOV-05', kind: 'retired', reason: 'No longer asked of anyone.' },
        'HASH-02': { from: 'HASH-02', kind: 'reworded', to: 'HASH-07', changes: ['Renamed.'] },
      };
      // TRN-06 as if it were on the old version too (its answer is made on 1.2.0 before the draft is moved back): rescaled, so its answer is rewritten.
      const trn06: BankMapping['questions'][number] = {
        from: 'TRN-06',
        kind: 'rescaled',
        to: 'TRN-06',
        levelMap: { '0': 0, '1': 1, '2': 2, '3': 3, '4': 3 },
        changes: ['New scale.'],
      };
      const fixture: BankMapping = { ...published, questions: [...published.questions.map((q) => special[q.from] ?? q), trn06] };
      spy = jest
        .spyOn(t.app.get(BankMappings), 'steps')
        .mockImplementation((frameworkId: string, from: string, to: string) =>
          frameworkId === 'hoh-csam' && from === '1.1.0' && to === '1.2.0' ? [fixture] : null,
        );

      o = await newOrg();
      for (const title of ['e0', 'e1', 'e2', 'e3']) ev.push(await evidence(o, title));
      draft = await oldDraft(o, '1.1.0');
      const a = `${o.base}/assessments/${draft}`;
      await answer(o, draft, 'GOV-01', { value: 3 });
      await answer(o, draft, 'GOV-02', { value: 2 });
      await answer(o, draft, 'GOV-03', { value: 4 });
      await answer(o, draft, 'GOV-04', { value: 3, comment: 'On the old scale' });
      await answer(o, draft, 'GOV-05', { value: 1 });
      await answer(o, draft, 'HASH-02', { value: 2, comment: 'Moves to HASH-07' });
      await answer(o, draft, 'GOV-06', { value: 4 });
      await as(t, o.assessor)
        .post(`${a}/reviews`)
        .send({ items: ['GOV-04', 'GOV-06', 'HASH-02'].map((questionId) => ({ questionId, decision: 'approve' })) })
        .expect(200);
      const link = (q: string, e: string) =>
        as(t, o.owner)
          .put(`${a}/answers/${q}/evidence/${e}`)
          .expect((r) => expect([200, 204]).toContain(r.status));
      await link('GOV-01', ev[0]!);
      await link('GOV-02', ev[1]!);
      await link('GOV-03', ev[1]!);
      await link('GOV-03', ev[2]!);
      await link('GOV-05', ev[3]!);
      await link('HASH-02', ev[3]!);
      for (const [q, target] of [
        ['GOV-02', 2],
        ['GOV-04', 4],
        ['GOV-05', 1],
      ] as const) {
        await as(t, o.owner)
          .put(`${a}/targets/${q}`)
          .send({ target, reason: `Target for ${q}` })
          .expect(200);
      }
      await as(t, o.owner)
        .post(`${a}/assignments`)
        .send({ assigneeId: o.contributor.me.user.id, questionIds: ['GOV-01', 'GOV-02', 'GOV-05'] })
        .expect(200);
      await as(t, o.owner)
        .post(`${a}/assignments`)
        .send({ assigneeId: o.assessor.me.user.id, questionIds: ['GOV-03'] })
        .expect(200);
      // Actions are judged against this draft (the latest), so their links are on 1.1.0.
      for (const [title, questionIds] of [
        ['Fix governance', ['GOV-01', 'GOV-05', 'HASH-02', 'TRN-04']],
        ['Unlinked', []],
      ] as const) {
        actions.push((await as(t, o.owner).post(`${o.base}/actions`).send({ title, questionIds }).expect(201)).body as ActionBody);
      }
      // Last, TRN-06 answered with figures through the API while the draft is briefly on 1.2.0 (1.1.0 has no such question).
      const setVersion = (v: string) =>
        t.ownerQuery('UPDATE assessments SET framework_version = $3 WHERE organisation_id = $1 AND id = $2', [o.id, draft, v]);
      await setVersion('1.2.0');
      await answer(o, draft, 'TRN-06', { value: 4, figures: { detections: 40, reportable: 12, reported: 12, medianHoursToReport: 6.5 } });
      await setVersion('1.1.0');
    });
    afterAll(() => spy.mockRestore());
    interface ActionBody {
      id: string;
      version: number;
      questionIds: string[];
      bankVersion: string;
      questionLinks: { bankVersion: string; questionIds: string[] }[];
    }
    const actions: ActionBody[] = [];

    it('moves each row by its kind, in one request', async () => {
      // The ETag from the database: GET would refuse to show a 1.1.0 assessment holding a TRN-06 answer (the fixture's one oddity).
      const [input] = await t.ownerQuery<{ version: string }>(
        'SELECT version::text FROM scoring_input_versions WHERE organisation_id = $1 AND assessment_id = $2',
        [o.id, draft],
      );
      const etag = `"${input!.version}"`;
      const after = AssessmentResponseSchema.parse((await upgrade(o.owner, o, draft, { to: '1.2.0' }, etag).expect(200)).body);
      const answers = byQuestion(after);
      const contributor = o.contributor.me.user.id;
      // split: a fresh answer for each new question; the links and the assignment go to both.
      expect(answers.get('GOV-01')).toMatchObject({ answered: false, evidenceIds: [ev[0]], assigneeId: contributor });
      expect(answers.get('GOV-07')).toMatchObject({ answered: false, evidenceIds: [ev[0]], assigneeId: contributor });
      // merged: a fresh answer; links once each; the first source's assignee.
      expect(answers.get('GOV-03')).toMatchObject({ answered: false, assigneeId: contributor });
      expect([...answers.get('GOV-03')!.evidenceIds].sort()).toEqual([ev[1], ev[2]].sort());
      expect(answers.has('GOV-02')).toBe(false);
      // rescaled: 3 → 2, review dropped, the target 4 → 3.
      expect(answers.get('GOV-04')).toMatchObject({
        value: 2,
        comment: 'On the old scale',
        version: 2,
        review: { status: 'pending', reviewerId: null },
      });
      // retired: answer, link, target and assignment gone.
      expect(answers.has('GOV-05')).toBe(false);
      // renamed (reworded to a new id): the answer, its link carry; the review does not.
      expect(answers.has('HASH-02')).toBe(false);
      expect(answers.get('HASH-07')).toMatchObject({
        value: 2,
        comment: 'Moves to HASH-07',
        version: 2,
        review: { status: 'pending' },
        evidenceIds: [ev[3]],
      });
      // unchanged: carries with its review.
      expect(answers.get('GOV-06')).toMatchObject({ value: 4, version: 1, review: { status: 'approved' } });
      expect(after.targets).toEqual([{ questionId: 'GOV-04', target: 3, reason: 'Target for GOV-04' }]);
      const db = await rows(o, draft);
      expect(db.links.filter((l) => l['evidence_id'] === ev[3])).toEqual([{ question_id: 'HASH-07', evidence_id: ev[3] }]);
      expect(db.assignments.map((x) => x['question_id'])).toEqual(['GOV-01', 'GOV-03', 'GOV-07']);
      // A rewritten answer to a question that asks for figures keeps them (4 → 3 on the new scale).
      expect(answers.get('TRN-06')).toMatchObject({
        value: 3,
        version: 2,
        figures: { detections: 40, reportable: 12, reported: 12, medianHoursToReport: 6.5 },
      });
    });

    it('adds links on the new version to the actions of the latest assessment, keeping the old ones, and makes a stale edit fail', async () => {
      const [linked, unlinked] = actions as [ActionBody, ActionBody];
      expect(linked).toMatchObject({ bankVersion: '1.1.0', questionIds: ['GOV-01', 'GOV-05', 'HASH-02', 'TRN-04'] });
      const after = (await as(t, o.owner).get(`${o.base}/actions/${linked.id}`).expect(200)).body as ActionBody;
      // split to both parts, retired to none, renamed to its new id, unchanged as it was.
      expect(after).toMatchObject({
        bankVersion: '1.2.0',
        questionIds: ['GOV-01', 'GOV-07', 'HASH-07', 'TRN-04'],
        questionLinks: [
          { bankVersion: '1.1.0', questionIds: ['GOV-01', 'GOV-05', 'HASH-02', 'TRN-04'] },
          { bankVersion: '1.2.0', questionIds: ['GOV-01', 'GOV-07', 'HASH-07', 'TRN-04'] },
        ],
      });
      expect(after.version).toBe(linked.version + 1);
      expect(((await as(t, o.owner).get(`${o.base}/actions/${unlinked.id}`).expect(200)).body as ActionBody).questionLinks).toEqual([
        { bankVersion: '1.1.0', questionIds: [] },
        { bankVersion: '1.2.0', questionIds: [] },
      ]);
      await as(t, o.owner)
        .patch(`${o.base}/actions/${linked.id}`)
        .set('If-Match', `"${linked.version}"`)
        .send({ title: 'Stale edit' })
        .expect(412);
      // Editable links are on 1.2.0 now: a 1.2.0 question is accepted, one 1.2.0 lacks is refused with the field named.
      const refused = await as(t, o.owner)
        .patch(`${o.base}/actions/${linked.id}`)
        .send({ questionIds: ['TRN-06', 'GOV-99'] })
        .expect(400);
      expect(refused.body.error.details).toEqual([
        expect.objectContaining({ path: 'questionIds.1', message: expect.stringMatching(/GOV-99.*1\.2\.0/) }),
      ]);
      const relinked = await as(t, o.owner)
        .patch(`${o.base}/actions/${linked.id}`)
        .send({ questionIds: ['TRN-06'] })
        .expect(200);
      expect((relinked.body as ActionBody).questionLinks.map((l) => l.questionIds)).toEqual([
        ['GOV-01', 'GOV-05', 'HASH-02', 'TRN-04'],
        ['TRN-06'],
      ]);
      const audit = (await as(t, o.owner).get(`${o.base}/audit-log`).query({ entityType: 'assessment', entityId: draft }).expect(200))
        .body as {
        items: { action: string; data: { actions?: unknown[] } }[];
      };
      expect(audit.items.find((i) => i.action === 'assessment.upgraded')!.data.actions).toContainEqual(
        expect.objectContaining({
          from: { bankVersion: '1.1.0', questionIds: ['GOV-01', 'GOV-05', 'HASH-02', 'TRN-04'] },
          to: ['GOV-01', 'GOV-07', 'HASH-07', 'TRN-04'],
        }),
      );
    });

    it('records every moved and removed row, so verification finds the chain intact and no drift', async () => {
      expect(await verify(o)).toMatchObject({ intact: true, drift: [] });
      const entries = (
        await as(t, o.owner)
          .get(`${o.base}/audit-log`)
          .query({ entityType: 'answer', entityId: `${draft}/GOV-05` })
          .expect(200)
      ).body as { items: { action: string; data: Record<string, unknown> }[] };
      expect(entries.items.at(-1)).toMatchObject({
        action: 'answer.dropped',
        data: { carry: 'none', after: null, before: { value: '1' } },
      });
    });
  });

  describe('writes racing an upgrade', () => {
    it('makes an answer write wait for an upgrade in flight and check its question against the version the upgrade leaves', async () => {
      const o = await newOrg();
      const draft = (await as(t, o.owner).post(`${o.base}/assessments`).send({}).expect(201)).body.id as string;
      // An "upgrade" in flight: a transaction holding the assessment row as the upgrade does, which
      // leaves it on a version without TRN-06 (1.0.0 stands in for a version that retired it).
      const upgrader = new pg.Client({ connectionString: t.db.ownerUrl });
      await upgrader.connect();
      try {
        await upgrader.query('BEGIN');
        await upgrader.query('SELECT id FROM assessments WHERE organisation_id = $1 AND id = $2 FOR UPDATE', [o.id, draft]);
        await upgrader.query('UPDATE assessments SET framework_version = $3 WHERE organisation_id = $1 AND id = $2', [
          o.id,
          draft,
          '1.0.0',
        ]);
        const write = as(t, o.owner)
          .put(`${o.base}/assessments/${draft}/answers/TRN-06`)
          .set('If-None-Match', '*')
          .send({ value: 4 })
          .then((r) => r);
        // Wait (by the database's own account, not a timer) until the write is blocked on the row.
        const blocked = async () =>
          (
            await upgrader.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            )
          ).rows[0]!.n;
        while ((await blocked()) === 0);
        await upgrader.query('COMMIT');
        const res = await write;
        expect(res.status).toBe(404);
        expect(res.body.error.message).toMatch(/TRN-06/);
      } finally {
        await upgrader.end();
      }
      expect(await t.ownerQuery('SELECT 1 FROM answers WHERE organisation_id = $1 AND assessment_id = $2', [o.id, draft])).toEqual([]);
    });
  });

  describe('action edits racing an upgrade', () => {
    it('makes an action edit wait for the audit chain before it locks the action, so an upgrade moving links never deadlocks with it', async () => {
      const o = await newOrg();
      await as(t, o.owner).post(`${o.base}/assessments`).send({}).expect(201);
      const action = (
        await as(t, o.owner)
          .post(`${o.base}/actions`)
          .send({ title: 'Raced', questionIds: ['GOV-01'] })
          .expect(201)
      ).body as { id: string };
      // An "upgrade" in flight: it holds the organisation's audit chain, as BankUpgrade.apply does before it moves actions.
      const upgrader = new pg.Client({ connectionString: t.db.ownerUrl });
      await upgrader.connect();
      try {
        await upgrader.query('BEGIN');
        await upgrader.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit:' || $1, 0))`, [o.id]);
        const edit = as(t, o.owner)
          .patch(`${o.base}/actions/${action.id}`)
          .send({ title: 'Raced, renamed' })
          .then((r) => r);
        const blocked = async () =>
          (
            await upgrader.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            )
          ).rows[0]!.n;
        while ((await blocked()) === 0);
        // The edit waits for the chain without holding the action: the upgrade can still lock it (NOWAIT: no waiting at all).
        await upgrader.query('SELECT id FROM actions WHERE organisation_id = $1 AND id = $2 FOR UPDATE NOWAIT', [o.id, action.id]);
        await upgrader.query('COMMIT');
        expect((await edit).status).toBe(200);
      } finally {
        await upgrader.end();
      }
    });
  });

  describe('bad input: a clear 4xx and nothing changed', () => {
    let o: Org;
    let draft: string;
    let onCurrent: string;
    let snapshot: Awaited<ReturnType<typeof rows>>;
    let etag: string;

    beforeAll(async () => {
      o = await newOrg();
      draft = await oldDraft(o, '1.1.0');
      await answer(o, draft, 'GOV-01', { value: 3 });
      await as(t, o.owner).put(`${o.base}/assessments/${draft}/targets/TRN-04`).send({ target: 2, reason: 'Small team' }).expect(200);
      onCurrent = (await as(t, o.owner).post(`${o.base}/assessments`).send({}).expect(201)).body.id as string;
      snapshot = await rows(o, draft);
      etag = (await read(o, draft)).etag;
    });
    afterEach(async () => {
      expect(await rows(o, draft)).toEqual(snapshot);
    });

    it('needs If-Match (428), a well-formed one (400), and a current one (412 with the assessment as it is)', async () => {
      expect((await upgrade(o.owner, o, draft, { to: '1.2.0' }).expect(428)).body.error.message).toMatch(/If-Match/);
      expect((await upgrade(o.owner, o, draft, { to: '1.2.0' }, 'soon').expect(400)).body.error.details).toEqual([
        expect.objectContaining({ path: 'If-Match' }),
      ]);
      const stale = await upgrade(o.owner, o, draft, { to: '1.2.0' }, '"1"').expect(412);
      expect(stale.body).toMatchObject({ error: { code: 'PRECONDITION_FAILED' }, current: { id: draft, framework: { version: '1.1.0' } } });
    });

    it('refuses a malformed body with field messages (400)', async () => {
      for (const body of [{}, { to: 12 }, { to: 'latest' }, { to: '1.2.0', force: true }]) {
        const res = await upgrade(o.owner, o, draft, body, etag).expect(400);
        expect(res.body.error.details.length).toBeGreaterThan(0);
      }
      expect((await upgrade(o.owner, o, draft, { to: 'latest' }, etag).expect(400)).body.error.details).toEqual([
        expect.objectContaining({ path: 'to', message: expect.stringMatching(/1\.2\.0/) }),
      ]);
    });

    it('refuses an unknown version (404), the same version and an older one (409, saying what to do)', async () => {
      expect((await upgrade(o.owner, o, draft, { to: '9.9.9' }, etag).expect(404)).body.error.message).toMatch(
        /Published versions: 1\.0\.0, 1\.1\.0, 1\.2\.0/,
      );
      expect((await upgrade(o.owner, o, draft, { to: '1.1.0' }, etag).expect(409)).body.error).toMatchObject({
        code: 'INVALID_STATE',
        message: expect.stringMatching(/already on/),
      });
      expect((await upgrade(o.owner, o, draft, { to: '1.0.0' }, etag).expect(409)).body.error).toMatchObject({
        code: 'INVALID_STATE',
        message: expect.stringMatching(/older.*next is 1\.2\.0/),
      });
      const current = await read(o, onCurrent);
      expect((await upgrade(o.owner, o, onCurrent, { to: '1.2.0' }, current.etag).expect(409)).body.error.message).toMatch(/already on/);
    });

    it('lets only owners and assessors upgrade (403 for a contributor), and hides another organisation’s assessment (404)', async () => {
      await upgrade(o.contributor, o, draft, { to: '1.2.0' }, etag).expect(403);
      const other = await newOrg();
      await as(t, other.owner).post(`${o.base}/assessments/${draft}/upgrade`).set('If-Match', etag).send({ to: '1.2.0' }).expect(404);
      await as(t, other.owner).post(`${other.base}/assessments/${draft}/upgrade`).set('If-Match', etag).send({ to: '1.2.0' }).expect(404);
      await as(t, other.owner).post(`${other.base}/assessments/not-a-uuid/upgrade`).set('If-Match', etag).send({ to: '1.2.0' }).expect(404);
    });
  });
});
