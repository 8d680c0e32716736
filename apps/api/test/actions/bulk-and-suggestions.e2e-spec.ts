import { type Action, ActionListResponseSchema, BulkUpdateActionsResponseSchema, SuggestActionsResponseSchema } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, getFramework } from '@hoh/question-bank';
import { suggestedTitle } from '@hoh/scoring-engine';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 24 item 3: suggestions that start useful, and assigning or dating many actions at once. */
describe('remediation that starts useful: suggestions without N/A, titles that say what to do, owners from assignees, bulk assign and date', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let assessmentId: string;
  let actions: string;
  let suggested: Action[];
  const framework = getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version)!;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await addMember(t, org, 'assessor');
    contributor = await addMember(t, org, 'contributor');
    auditor = await addMember(t, org, 'auditor');
    outsider = await signUp(t);
    actions = `/api/v1/orgs/${org}/actions`;
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${org}/assessments`).send({}).expect(201)).body.id;
    const assessment = `/api/v1/orgs/${org}/assessments/${assessmentId}`;
    // HASH-01 marked N/A and awaiting approval: included at level 0, it had the largest uplift of all.
    await as(t, owner).put(`${assessment}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'We host no user images' }).expect(200);
    await as(t, owner).post(`${assessment}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: ['OPS-01', 'OPS-02'] }).expect(200);
    // An auditor cannot own an action, so their assignment suggests no owner.
    await as(t, owner).post(`${assessment}/assignments`).send({ assigneeId: auditor.me.user.id, questionIds: ['GOV-03'] }).expect(200);
    suggested = SuggestActionsResponseSchema.parse((await as(t, owner).post(`${assessment}/actions/suggest`).expect(200)).body).created;
  });
  afterAll(async () => {
    await t.close();
  });

  const byQuestion = (id: string) => suggested.find((a) => a.questionIds[0] === id);
  const read = async (id: string) => (await as(t, owner).get(`${actions}/${id}`).expect(200)).body as Action;
  const bulk = (user: SignedInUser, body: unknown) => as(t, user).patch(actions).send(body as object);

  describe('suggestions', () => {
    it('suggests nothing for a question answered N/A, even one awaiting approval', () => {
      expect(suggested.length).toBeGreaterThan(10);
      expect(byQuestion('HASH-01')).toBeUndefined();
    });

    it('lists the new suggestions in questionnaire order', () => {
      const order = framework.questions.map((q) => q.id);
      const ids = suggested.map((a) => a.questionIds[0]!);
      expect(ids).toEqual([...ids].sort((x, y) => order.indexOf(x) - order.indexOf(y)));
    });

    it('titles each suggestion with what to do, from the question’s remediation guidance, within the contract’s title length', () => {
      const ops = byQuestion('OPS-01')!;
      const question = framework.questions.find((q) => q.id === 'OPS-01')!;
      expect(ops.title).toBe(suggestedTitle(question.remediation));
      expect(ops.title).toMatch(/^Map every content surface/u);
      for (const a of suggested) {
        expect(a.title).not.toMatch(/reach level/u);
        expect(a.title.length).toBeLessThanOrEqual(200);
        expect(a.description).toContain(framework.questions.find((q) => q.id === a.questionIds[0])!.remediation);
      }
    });

    it('makes the question’s assignee the owner of its suggestion and suggests them on the action; unassigned questions stay unassigned', () => {
      expect(byQuestion('OPS-01')).toMatchObject({ ownerId: contributor.me.user.id, suggestedOwnerIds: [contributor.me.user.id] });
      expect(byQuestion('OPS-02')!.ownerId).toBe(contributor.me.user.id);
      expect(byQuestion('GOV-03')).toMatchObject({ ownerId: null, suggestedOwnerIds: [] });
      expect(byQuestion('URL-01')).toMatchObject({ ownerId: null, suggestedOwnerIds: [] });
    });

    it('lists the suggested owners on every read of an action linked to an assigned question', async () => {
      const mine = (await as(t, owner).post(actions).send({ title: 'Own wording', questionIds: ['URL-01', 'OPS-02'] }).expect(201)).body as Action;
      expect(mine).toMatchObject({ ownerId: null, suggestedOwnerIds: [contributor.me.user.id] });
      const listed = ActionListResponseSchema.parse((await as(t, auditor).get(`${actions}?limit=500`).expect(200)).body).items.find((a) => a.id === mine.id)!;
      expect(listed.suggestedOwnerIds).toEqual([contributor.me.user.id]);
    });
  });

  describe('PATCH …/actions (bulk)', () => {
    it('assigns and dates several actions at once, bumps each version and audits each like a single update', async () => {
      const chosen = suggested.filter((a) => a.ownerId === null).slice(0, 3);
      const res = await bulk(owner, { items: chosen.map((a) => ({ id: a.id, version: a.version })), ownerId: assessor.me.user.id, dueDate: '2027-03-31' }).expect(200);
      const { updated } = BulkUpdateActionsResponseSchema.parse(res.body);
      expect(updated.map((a) => a.id)).toEqual(chosen.map((a) => a.id));
      for (const [i, a] of updated.entries()) expect(a).toMatchObject({ ownerId: assessor.me.user.id, dueDate: '2027-03-31', version: chosen[i]!.version + 1, title: chosen[i]!.title });
      const log = await as(t, auditor).get(`/api/v1/orgs/${org}/audit-log?limit=50`).expect(200);
      const entries = (log.body.items as { action: string; entityId: string; data: { changed: string[]; after: { ownerId: string } } }[]).filter((e) => chosen.some((a) => a.id === e.entityId));
      expect(entries).toHaveLength(3);
      for (const e of entries) expect(e).toMatchObject({ action: 'action.updated', data: { changed: ['ownerId', 'dueDate'], after: { ownerId: assessor.me.user.id } } });
    });

    it('clears due dates and owners with null, and changes only the field sent', async () => {
      const [a] = suggested.filter((x) => x.questionIds[0] === 'OPS-01');
      const current = await read(a!.id);
      const res = await bulk(owner, { items: [{ id: current.id, version: current.version }], dueDate: null }).expect(200);
      expect(res.body.updated[0]).toMatchObject({ dueDate: null, ownerId: contributor.me.user.id, horizon: null });
    });

    it('refuses the whole change with 412 when one version is stale, naming it and changing nothing', async () => {
      const [a, b] = suggested.slice(5, 7).map((x) => x.id);
      const fresh = await read(a!);
      const moved = await read(b!);
      await as(t, owner).patch(`${actions}/${moved.id}`).send({ title: 'Changed meanwhile' }).expect(200);
      const res = await bulk(owner, { items: [{ id: fresh.id, version: fresh.version }, { id: moved.id, version: moved.version }], ownerId: assessor.me.user.id }).expect(412);
      expect(res.body.error.code).toBe('PRECONDITION_FAILED');
      expect(res.body.error.details).toEqual([{ path: 'items.1.version', message: expect.stringMatching(/now version/u) }]);
      expect(res.body.current.map((c: Action) => c.id)).toEqual([moved.id]);
      expect(await read(fresh.id)).toMatchObject({ version: fresh.version, ownerId: fresh.ownerId });
      expect((await read(moved.id)).ownerId).toBe(moved.ownerId);
    });

    it('answers 404 for another organisation’s action, changing nothing, and never shows it', async () => {
      const mine = await read(suggested[8]!.id);
      const theirOrg = orgOf(outsider);
      await as(t, outsider).put(`/api/v1/orgs/${theirOrg}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
      const theirs = (await as(t, outsider).post(`/api/v1/orgs/${theirOrg}/actions`).send({ title: 'Theirs' }).expect(201)).body as Action;
      const res = await bulk(owner, { items: [{ id: mine.id, version: mine.version }, { id: theirs.id, version: theirs.version }], dueDate: '2027-01-01' }).expect(404);
      expect(res.body.error.details).toEqual([{ path: 'items.1.id', message: expect.any(String) }]);
      expect(JSON.stringify(res.body)).not.toContain('Theirs');
      expect((await read(mine.id)).version).toBe(mine.version);
      // And from the other side: the outsider cannot reach this organisation's actions either.
      await as(t, outsider).patch(`/api/v1/orgs/${theirOrg}/actions`).send({ items: [{ id: mine.id, version: mine.version }], dueDate: '2027-01-01' }).expect(404);
      await as(t, outsider).patch(actions).send({ items: [{ id: mine.id, version: mine.version }], dueDate: '2027-01-01' }).expect(404);
      expect((await read(mine.id)).version).toBe(mine.version);
    });

    it('lets a contributor re-date only actions they own, never reassign, and refuses auditors (403, nothing changed)', async () => {
      const own = await read(byQuestion('OPS-02')!.id);
      const other = await read(suggested[9]!.id);
      expect(other.ownerId).not.toBe(contributor.me.user.id);
      const notOwn = await bulk(contributor, { items: [{ id: own.id, version: own.version }, { id: other.id, version: other.version }], dueDate: '2027-02-01' }).expect(403);
      expect(notOwn.body.error.details).toEqual([{ path: 'items.1.id', message: 'Not an action you own' }]);
      await bulk(contributor, { items: [{ id: own.id, version: own.version }], ownerId: contributor.me.user.id }).expect(403);
      await bulk(auditor, { items: [{ id: own.id, version: own.version }], dueDate: '2027-02-01' }).expect(403);
      expect((await read(own.id)).version).toBe(own.version);
      const ok = await bulk(contributor, { items: [{ id: own.id, version: own.version }], dueDate: '2027-02-01' }).expect(200);
      expect(ok.body.updated[0]).toMatchObject({ dueDate: '2027-02-01', ownerId: contributor.me.user.id });
    });

    it('rejects bad input with 400 and a message per field', async () => {
      const a = await read(suggested[10]!.id);
      const paths = async (body: unknown) => ((await bulk(owner, body).expect(400)).body.error.details as { path: string; message: string }[]).map((d) => d.path);
      expect(await paths({ items: [], dueDate: '2027-01-01' })).toEqual(['items']);
      expect(await paths({ items: [{ id: 'nope', version: 1 }], dueDate: '31/12/2027' })).toEqual(expect.arrayContaining(['items.0.id', 'dueDate']));
      expect(await paths({ items: [{ id: a.id }], ownerId: null })).toEqual(['items.0.version']);
      expect(await paths({ items: [{ id: a.id, version: a.version }] })).toEqual(['ownerId']);
      expect(await paths({ items: [{ id: a.id, version: a.version }, { id: a.id, version: a.version }], ownerId: null })).toEqual(['items']);
      expect(await paths({ items: [{ id: a.id, version: a.version }], ownerId: null, status: 'done' })).toEqual(['']);
      const notMember = await bulk(owner, { items: [{ id: a.id, version: a.version }], ownerId: outsider.me.user.id }).expect(400);
      expect(notMember.body.error.details[0].path).toBe('ownerId');
      expect((await read(a.id)).version).toBe(a.version);
    });
  });
});
