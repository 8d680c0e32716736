import { type Action, ActionListResponseSchema, ActionSchema, actionNumberLabel, AuditLogPageSchema, DashboardResponseSchema, SuggestActionsResponseSchema } from '@hoh/contracts';
import type { QueryRunner } from 'typeorm';

// migrations/ sits outside every Nx project (as in database/migrate.ts); the last test runs this migration itself.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AddActionNumbers1764347200000 } from '../../../../migrations/1764347200000-AddActionNumbers.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { readCsv } from '../support/csv.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 25 item 2: actions carry short, stable numbers per organisation ("A-014"), never reused. */
describe('action numbers: A-001, A-002… per organisation, stable, never reused, unique under concurrency', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let other: SignedInUser;
  let org: string;
  let actions: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    other = await signUp(t);
    org = orgOf(owner);
    actions = `/api/v1/orgs/${org}/actions`;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = async (user: SignedInUser, title: string) => ActionSchema.parse((await as(t, user).post(`/api/v1/orgs/${orgOf(user)}/actions`).send({ title }).expect(201)).body);
  const numbersOf = async (organisationId: string) =>
    (await t.ownerQuery<{ number: number }>('SELECT number FROM actions WHERE organisation_id = $1 ORDER BY number', [organisationId])).map((r) => r.number);

  it('formats numbers as A- and at least three digits', () => {
    expect([1, 14, 999, 1000, 12345].map(actionNumberLabel)).toEqual(['A-001', 'A-014', 'A-999', 'A-1000', 'A-12345']);
  });

  it('numbers an organisation’s actions 1, 2, 3 in the order they are created, and shows the number on every read', async () => {
    const first = await create(owner, 'Write the CSAM playbook');
    const second = await create(owner, 'Adopt hash matching');
    expect([first.number, second.number]).toEqual(['A-001', 'A-002']);
    expect(ActionSchema.parse((await as(t, owner).get(`${actions}/${second.id}`).expect(200)).body).number).toBe('A-002');
    const audit = AuditLogPageSchema.parse((await as(t, owner).get(`/api/v1/orgs/${org}/audit-log?entityType=action&entityId=${second.id}`).expect(200)).body);
    expect(audit.items.find((e) => e.action === 'action.created')?.data).toMatchObject({ after: { number: 'A-002', title: 'Adopt hash matching' } });
    const listed = ActionListResponseSchema.parse((await as(t, owner).get(actions).expect(200)).body).items;
    expect(Object.fromEntries(listed.map((a) => [a.id, a.number]))).toEqual({ [first.id]: 'A-001', [second.id]: 'A-002' });
  });

  it('numbers each organisation independently: another organisation starts at A-001 and never sees these', async () => {
    const theirs = await create(other, 'Their first action');
    expect(theirs.number).toBe('A-001');
    expect(await numbersOf(orgOf(other))).toEqual([1]);
    expect((await create(owner, 'Ours again')).number).toBe('A-003');
  });

  it('keeps the number through edits, status moves and bulk changes', async () => {
    const a = await create(owner, 'Train moderators');
    const url = `${actions}/${a.id}`;
    const edited = ActionSchema.parse((await as(t, owner).patch(url).send({ title: 'Train every moderator', dueDate: '2027-03-31' }).expect(200)).body);
    const moved = ActionSchema.parse((await as(t, owner).patch(url).send({ status: 'in_progress' }).expect(200)).body);
    const bulk = (await as(t, owner).patch(actions).send({ items: [{ id: a.id, version: moved.version }], dueDate: '2027-04-30' }).expect(200)).body as { updated: Action[] };
    expect([edited.number, moved.number, bulk.updated[0]!.number]).toEqual([a.number, a.number, a.number]);
  });

  it('never changes a number, even when the database is asked to', async () => {
    const [row] = await t.ownerQuery<{ id: string }>('SELECT id FROM actions WHERE organisation_id = $1 AND number = 1', [org]);
    await expect(t.appQueryAs(org, 'UPDATE actions SET number = 99 WHERE organisation_id = $1 AND id = $2', [org, row!.id])).rejects.toThrow(/keeps its number/);
    // A number an insert supplies is ignored: the counter is the only source.
    await t.appQueryAs(org, `INSERT INTO actions (organisation_id, id, title, created_by, number, bank_version) VALUES ($1, gen_random_uuid(), 'Supplied number', $2, 1, '1.2.0')`, [org, owner.me.user.id]);
    const [supplied] = await t.ownerQuery<{ number: number }>(`SELECT number FROM actions WHERE organisation_id = $1 AND title = 'Supplied number'`, [org]);
    expect(supplied!.number).toBe(5);
  });

  it('never reuses the number of an action that is gone: the next one is one more than any ever handed out', async () => {
    // The API never deletes actions; the database owner can, and even then the number stays spent.
    const last = await create(owner, 'Removed by the owner');
    expect(last.number).toBe('A-006');
    await t.ownerQuery('DELETE FROM actions WHERE organisation_id = $1 AND id = $2', [org, last.id]);
    expect((await create(owner, 'After the removal')).number).toBe('A-007');
    expect(await numbersOf(org)).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('gives 20 actions created at the same moment 20 different consecutive numbers, with no error', async () => {
    const fresh = await signUp(t);
    const url = `/api/v1/orgs/${orgOf(fresh)}/actions`;
    // A brand-new organisation has no counter row yet: the first inserts race to create it.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => as(t, fresh).post(url).send({ title: `Concurrent ${String(i)}` })));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const numbers = results.map((r) => ActionSchema.parse(r.body).number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => actionNumberLabel(i + 1)));
    // And 20 more into an organisation that already has actions.
    const more = await Promise.all(Array.from({ length: 20 }, (_, i) => as(t, fresh).post(url).send({ title: `More ${String(i)}` })));
    expect(more.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    expect(await numbersOf(orgOf(fresh))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('numbers suggested actions in questionnaire order after the existing ones, and the overview names overdue ones by number', async () => {
    const fresh = await signUp(t);
    const freshOrg = orgOf(fresh);
    await create(fresh, 'Written by hand first');
    await as(t, fresh).put(`/api/v1/orgs/${freshOrg}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const assessmentId = (await as(t, fresh).post(`/api/v1/orgs/${freshOrg}/assessments`).send({}).expect(201)).body.id as string;
    const suggested = SuggestActionsResponseSchema.parse((await as(t, fresh).post(`/api/v1/orgs/${freshOrg}/assessments/${assessmentId}/actions/suggest`).expect(200)).body).created;
    expect(suggested.length).toBeGreaterThan(1);
    expect(suggested.map((a) => a.number)).toEqual(suggested.map((_, i) => actionNumberLabel(i + 2)));
    // Sorted by creation, the batch (one transaction, one created_at) keeps the order it was numbered in.
    const byCreation = ActionListResponseSchema.parse((await as(t, fresh).get(`/api/v1/orgs/${freshOrg}/actions?sort=created&limit=500`).expect(200)).body).items;
    expect(byCreation.map((a) => a.number)).toEqual(['A-001', ...suggested.map((a) => a.number)]);
    // Overdue (a date long past), and P1 or P2 so the hand-on-heart check names it too.
    const target = suggested.find((a) => a.priority === 'p1' || a.priority === 'p2')!;
    await t.ownerQuery(`UPDATE actions SET due_date = '2020-01-31' WHERE organisation_id = $1 AND id = $2`, [freshOrg, target.id]);
    const dashboard = DashboardResponseSchema.parse((await as(t, fresh).get(`/api/v1/orgs/${freshOrg}/dashboard`).expect(200)).body);
    expect(dashboard.actions.topOverdue.find((a) => a.id === target.id)?.number).toBe(target.number);
    const check = (await as(t, fresh).get(`/api/v1/orgs/${freshOrg}/assessments/${assessmentId}/attestation-check`).expect(200)).body as { exceptions: { kind: string; actionId?: string; message: string }[] };
    expect(check.exceptions.find((e) => e.kind === 'overdue_action' && e.actionId === target.id)?.message).toBe(`Action ${target.number} "${target.title}" (${target.priority.toUpperCase()}) is overdue.`);
  });

  it('exports the number as the first CSV column', async () => {
    const rows = readCsv((await as(t, owner).get(`${actions}/export.csv`).expect(200)).text);
    expect(rows[0]!.slice(0, 3)).toEqual(['number', 'id', 'title']);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'A-005', 'A-007']);
  });

  it('backfills existing actions in creation order when the migration runs, and the counter carries on after them', async () => {
    const fresh = await signUp(t);
    const freshOrg = orgOf(fresh);
    const made = [await create(fresh, 'First made'), await create(fresh, 'Second made'), await create(fresh, 'Third made')];
    // Re-date them so creation order is the reverse of insertion order, then run the migration again.
    await t.ownerQuery(`UPDATE actions SET created_at = now() - (number * interval '1 day') WHERE organisation_id = $1`, [freshOrg]);
    const runner = { query: (sql: string) => t.ownerQuery(sql) } as unknown as QueryRunner;
    const migration = new AddActionNumbers1764347200000();
    await migration.down(runner);
    await migration.up(runner);
    const byId = new Map((await t.ownerQuery<{ id: string; number: number }>('SELECT id, number FROM actions WHERE organisation_id = $1', [freshOrg])).map((r) => [r.id, r.number]));
    expect(made.map((a) => byId.get(a.id))).toEqual([3, 2, 1]);
    // Every organisation was renumbered from its own history; the owner's gap at 6 closes (its row is gone).
    expect(await numbersOf(org)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await create(fresh, 'After the backfill')).number).toBe('A-004');
  });
});
