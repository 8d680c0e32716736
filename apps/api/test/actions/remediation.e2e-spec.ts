import { type Action, ActionListResponseSchema, ScoringResultSchema, SuggestActionsResponseSchema, WhatIfResponseSchema } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { readCsv } from '../support/csv.js';

describe('remediation: suggestions, status moves, priority, what-if and export', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let assessmentId: string;
  let actions: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
    outsider = await signUp(t);
    actions = `/api/v1/orgs/${org}/actions`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const suggest = async () => SuggestActionsResponseSchema.parse((await as(t, owner).post(`/api/v1/orgs/${org}/assessments/${assessmentId}/actions/suggest`).expect(200)).body);
  const list = async (query = '') => ActionListResponseSchema.parse((await as(t, auditor).get(`${actions}${query}`).expect(200)).body);

  it('suggests one action per applicable item below target, with priority P1 for critical items, and is idempotent', async () => {
    const first = await suggest();
    const score = ScoringResultSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/assessments/${assessmentId}/score`).expect(200)).body);
    const below = score.items.filter((i) => i.included && i.gap > 0);
    expect(first.created).toHaveLength(below.length);
    const hash = first.created.find((a) => a.questionIds[0] === 'HASH-01')!;
    expect(hash).toMatchObject({ priority: 'p1', status: 'open', suggested: true, horizon: 'now' });
    expect(hash.predictedUplift.overall).toBeGreaterThan(0);
    const again = await suggest();
    expect(again.created).toEqual([]);
    expect(again.unchanged).toBe(below.length);
  });

  it('keeps edited suggestions when regenerating', async () => {
    const target = (await list()).items[0]!;
    await as(t, owner).patch(`${actions}/${target.id}`).send({ title: 'Our own wording' }).expect(200);
    await suggest();
    expect((await as(t, owner).get(`${actions}/${target.id}`).expect(200)).body.title).toBe('Our own wording');
  });

  it('moves status per the rules: done needs a closing note, reopening needs a reason, illegal moves are 409', async () => {
    const a = (await as(t, owner).post(actions).send({ title: 'Write the CSAM playbook', questionIds: ['ENT-04'], dueDate: '2027-01-15' }).expect(201)).body as Action;
    const url = `${actions}/${a.id}`;
    await as(t, owner).patch(url).send({ status: 'in_progress' }).expect(200);
    const noNote = await as(t, owner).patch(url).send({ status: 'done' }).expect(400);
    expect(noNote.body.error.details[0].path).toBe('closingNote');
    await as(t, owner).patch(url).send({ status: 'done', closingNote: 'Playbook approved by the board' }).expect(200);
    await as(t, owner).patch(url).send({ status: 'in_progress' }).expect(409);
    await as(t, owner).patch(url).send({ status: 'open' }).expect(400);
    const reopened = await as(t, owner).patch(url).send({ status: 'open', reason: 'Audit found gaps' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', statusReason: 'Audit found gaps', closingNote: null });
    await as(t, owner).patch(url).send({ status: 'blocked', reason: 'Waiting on legal' }).expect(200);
    await as(t, owner).patch(url).send({ status: 'open' }).expect(200);
  });

  it('never risk-accepts a critical gap (409 CRITICAL_NOT_ACCEPTABLE) but does for others, with a reason', async () => {
    const critical = (await list('?priority=p1')).items[0]!;
    const res = await as(t, owner).patch(`${actions}/${critical.id}`).send({ status: 'risk_accepted', reason: 'Too expensive' }).expect(409);
    expect(res.body.error.code).toBe('CRITICAL_NOT_ACCEPTABLE');
    const minor = (await as(t, owner).post(actions).send({ title: 'Join industry bodies', questionIds: ['TRN-03'] }).expect(201)).body as Action;
    await as(t, owner).patch(`${actions}/${minor.id}`).send({ status: 'risk_accepted' }).expect(400);
    await as(t, owner).patch(`${actions}/${minor.id}`).send({ status: 'risk_accepted', reason: 'Not proportionate for our size' }).expect(200);
  });

  it('computes overdue from today and accepts past due dates as valid input', async () => {
    const late = (await as(t, owner).post(actions).send({ title: 'Overdue thing', dueDate: '2020-01-01', questionIds: ['GOV-02'] }).expect(201)).body as Action;
    expect(late).toMatchObject({ overdue: true, horizon: 'now' });
    const overdue = await list('?overdue=true');
    expect(overdue.items.map((a) => a.id)).toContain(late.id);
    expect(overdue.counts.overdue).toBeGreaterThanOrEqual(1);
    const later = (await as(t, owner).post(actions).send({ title: 'Far away', dueDate: '2030-01-01' }).expect(201)).body as Action;
    expect(later).toMatchObject({ horizon: 'later', overdue: false });
  });

  it('overrides a priority with a recorded reason', async () => {
    const a = (await list('?priority=p4')).items[0] ?? ((await as(t, owner).post(actions).send({ title: 'x' }).expect(201)).body as Action);
    const res = await as(t, owner).patch(`${actions}/${a.id}`).send({ priorityOverride: { priority: 'p2', reason: 'Regulator asked about it' } }).expect(200);
    expect(res.body).toMatchObject({ priority: 'p2', priorityOverride: { priority: 'p2', reason: 'Regulator asked about it' } });
  });

  it('lets contributors update only the actions they own, and auditors nothing', async () => {
    const mine = (await as(t, owner).post(actions).send({ title: 'Train moderators', ownerId: contributor.me.user.id, questionIds: ['OPS-03'] }).expect(201)).body as Action;
    const theirs = (await as(t, owner).post(actions).send({ title: 'Someone else’s' }).expect(201)).body as Action;
    await as(t, contributor).patch(`${actions}/${mine.id}`).send({ status: 'in_progress' }).expect(200);
    await as(t, contributor).patch(`${actions}/${theirs.id}`).send({ status: 'in_progress' }).expect(403);
    await as(t, contributor).patch(`${actions}/${mine.id}`).send({ ownerId: owner.me.user.id }).expect(403);
    await as(t, contributor).post(actions).send({ title: 'no' }).expect(403);
    await as(t, auditor).patch(`${actions}/${mine.id}`).send({ title: 'no' }).expect(403);
    const filtered = await list(`?ownerId=${contributor.me.user.id}`);
    expect(filtered.items.map((a) => a.id)).toEqual([mine.id]);
  });

  it('refuses a stale If-Match with 412 and the current action', async () => {
    const a = (await as(t, owner).post(actions).send({ title: 'Versioned' }).expect(201)).body as Action;
    await as(t, owner).patch(`${actions}/${a.id}`).set('If-Match', `"${a.version}"`).send({ title: 'v2' }).expect(200);
    const stale = await as(t, owner).patch(`${actions}/${a.id}`).set('If-Match', `"${a.version}"`).send({ title: 'lost' }).expect(412);
    expect(stale.body.current.title).toBe('v2');
  });

  it('hides other organisations’ actions and rejects bad input with field details', async () => {
    const a = (await list()).items[0]!;
    await as(t, outsider).get(`/api/v1/orgs/${orgOf(outsider)}/actions/${a.id}`).expect(404);
    await as(t, outsider).patch(`/api/v1/orgs/${orgOf(outsider)}/actions/${a.id}`).send({ title: 'x' }).expect(404);
    const bad = await as(t, owner).post(actions).send({ title: '', dueDate: '31/12/2027', questionIds: ['NOPE-1'] }).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['title', 'dueDate']));
    const unknownQ = await as(t, owner).post(actions).send({ title: 'x', questionIds: ['NOPE-1'] }).expect(400);
    expect(unknownQ.body.error.details[0].path).toBe('questionIds.0');
  });

  it('projects the score if chosen actions were done, and the projection comes true when the items really reach target', async () => {
    // A target of 2 needs no evidence, so raising the answer alone reaches it.
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${assessmentId}/targets/TRN-05`).send({ target: 2, reason: 'Proportionate for us' }).expect(200);
    const a = (await as(t, owner).post(actions).send({ title: 'Horizon scanning', questionIds: ['TRN-05'] }).expect(201)).body as Action;
    const projection = WhatIfResponseSchema.parse((await as(t, auditor).post(`/api/v1/orgs/${org}/assessments/${assessmentId}/what-if`).send({ actionIds: [a.id] }).expect(200)).body);
    expect(projection.overall.delta).toBeGreaterThan(0);
    expect(projection.explanation.length).toBeGreaterThan(0);
    await as(t, owner).put(`/api/v1/orgs/${org}/assessments/${assessmentId}/answers/TRN-05`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    const after = ScoringResultSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/assessments/${assessmentId}/score`).expect(200)).body);
    expect(after.overall.score).toBeCloseTo(projection.overall.after, 9);
    const refreshed = (await as(t, owner).get(`${actions}/${a.id}`).expect(200)).body as Action;
    expect(refreshed.readyToClose).toBe(true);
  });

  it('exports actions as CSV that reads back to the same rows, formula-like text escaped', async () => {
    await as(t, owner).post(actions).send({ title: '=HYPERLINK("http://evil.example","click")', description: '+cmd|x', dueDate: '2027-06-30' }).expect(201);
    const res = await as(t, auditor).get(`${actions}/export.csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = readCsv(res.text);
    const header = rows[0]!;
    const evil = rows.find((r) => r[header.indexOf('title')]!.includes('HYPERLINK'))!;
    expect(evil[header.indexOf('title')]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(evil[header.indexOf('description')]).toBe("'+cmd|x");
    expect(evil[header.indexOf('due_date')]).toBe('2027-06-30');
    const all = await list('?limit=500');
    expect(rows.length - 1).toBe(all.items.length);
    for (const a of all.items) {
      const r = rows.find((x) => x[header.indexOf('id')] === a.id)!;
      expect(r[header.indexOf('number')]).toBe(a.number);
      const unescape = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
      expect(unescape(r[header.indexOf('title')]!)).toBe(a.title);
      expect(r[header.indexOf('status')]).toBe(a.status);
    }
  });

  it('records every action change in the audit log', async () => {
    const log = await as(t, auditor).get(`/api/v1/orgs/${org}/audit-log?limit=200`).expect(200);
    const kinds = new Set((log.body.items as { action: string }[]).map((e) => e.action));
    for (const k of ['action.suggested', 'action.created', 'action.updated', 'action.done', 'action.open', 'action.risk_accepted']) expect(kinds).toContain(k);
  });
});
