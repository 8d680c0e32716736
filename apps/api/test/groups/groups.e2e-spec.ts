import pg from 'pg';

import { type AuditLogPage, type GroupDashboard, GroupDashboardSchema, type GroupDetail, GroupDetailSchema, type OrganisationGroups } from '@hoh/contracts';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp, signUpConfirmed } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Groups (docs/PRODUCT.md §16): a group sees its members' summaries only, through the database's
 * narrow read, and loses a member the moment it leaves.
 */
describe('groups of organisations (docs/PRODUCT.md §16, docs/API.md groups)', () => {
  let t: TestApp;
  let groupOwner: SignedInUser;
  let ownerOrg: string;
  let storageOwner: SignedInUser;
  let storageOrg: string;
  let forumOwner: SignedInUser;
  let forumOrg: string;
  let viewer: SignedInUser;
  let outsider: SignedInUser;
  let groupId: string;
  let forumAssessment: string;

  /** hoh_app with a tenant and an acting user set, as a request would: raw SQL, no API in between. */
  const asAppRole = async <T extends pg.QueryResultRow>(orgId: string, userId: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: t.db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`, [orgId, userId]);
      const rows = (await client.query<T>(sql, params)).rows;
      await client.query('ROLLBACK');
      return rows;
    } finally {
      await client.end();
    }
  };
  const dashboard = async (user: SignedInUser, query = ''): Promise<GroupDashboard> =>
    GroupDashboardSchema.parse((await as(t, user).get(`/api/v1/groups/${groupId}/dashboard${query}`).expect(200)).body);
  const detail = async (user: SignedInUser): Promise<GroupDetail> => GroupDetailSchema.parse((await as(t, user).get(`/api/v1/groups/${groupId}`).expect(200)).body);

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.GROUPS_LOG ?? 'silent' });
    [groupOwner, storageOwner, forumOwner, viewer, outsider] = await Promise.all([signUp(t), signUp(t), signUp(t), signUpConfirmed(t), signUp(t)]);
    ownerOrg = orgOf(groupOwner);
    storageOrg = orgOf(storageOwner);
    forumOrg = orgOf(forumOwner);
    // The storage arm: described, with a draft answered in part and an overdue action.
    await as(t, storageOwner).put(`/api/v1/orgs/${storageOrg}/profile`).send(ProfileFactory.ukFileSharing({ services: ['file_storage_sharing'] })).expect(200);
    const a = (await as(t, storageOwner).post(`/api/v1/orgs/${storageOrg}/assessments`).send({}).expect(201)).body as { id: string };
    await as(t, storageOwner).put(`/api/v1/orgs/${storageOrg}/assessments/${a.id}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, storageOwner).post(`/api/v1/orgs/${storageOrg}/actions`).send({ title: 'Late', dueDate: '2024-01-01', questionIds: ['HASH-01'] }).expect(201);
    // The forum: a US user-to-user service, same shape of draft.
    await as(t, forumOwner).put(`/api/v1/orgs/${forumOrg}/profile`).send(ProfileFactory.ukFileSharing({ services: ['user_to_user'], jurisdictions: ['US'] })).expect(200);
    const f = (await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/assessments`).send({}).expect(201)).body as { id: string };
    forumAssessment = f.id;
    await as(t, forumOwner).put(`/api/v1/orgs/${forumOrg}/assessments/${f.id}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 1 }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lets an organisation owner create a group and refuses a person who owns no organisation (403)', async () => {
    const contributor = await addMember(t, ownerOrg, 'contributor');
    await t.ownerQuery('DELETE FROM memberships WHERE user_id = $1 AND organisation_id <> $2', [contributor.me.user.id, ownerOrg]);
    const refused = await as(t, contributor).post('/api/v1/groups').send({ name: 'Not mine' }).expect(403);
    expect(refused.body.error.message).toMatch(/Only an organisation owner/);
    const created = await as(t, groupOwner).post('/api/v1/groups').send({ name: 'Acme group' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Acme group', role: 'owner' });
    groupId = created.body.id as string;
    expect((await as(t, groupOwner).get('/api/v1/groups').expect(200)).body.groups).toEqual([expect.objectContaining({ id: groupId, role: 'owner' })]);
  });

  it('invites organisations by id; an invitation shows the group nothing about them until their own owner accepts', async () => {
    const invited = await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: storageOrg }).expect(201);
    expect(invited.body).toMatchObject({ organisationId: storageOrg, status: 'invited', name: null });
    await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: forumOrg }).expect(201);
    expect((await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: storageOrg }).expect(409)).body.error.code).toBe('INVALID_STATE');
    const unknown = await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c' }).expect(404);
    expect(unknown.body.error.message).toMatch(/Ask its owner/);

    expect((await dashboard(groupOwner)).organisations).toEqual([]);
    // The organisation sees the invitation; only its owner may accept.
    const mine = (await as(t, storageOwner).get(`/api/v1/orgs/${storageOrg}/groups`).expect(200)).body as OrganisationGroups;
    expect(mine.groups).toEqual([expect.objectContaining({ groupId, name: 'Acme group', status: 'invited' })]);
    const assessor = await addMember(t, storageOrg, 'assessor');
    await as(t, assessor).post(`/api/v1/orgs/${storageOrg}/groups/${groupId}/accept`).expect(403);

    const accepted = (await as(t, storageOwner).post(`/api/v1/orgs/${storageOrg}/groups/${groupId}/accept`).expect(200)).body as OrganisationGroups;
    expect(accepted.groups[0]).toMatchObject({ status: 'member' });
    expect(accepted.summaryRefreshedAt).not.toBeNull();
    await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/groups/${groupId}/accept`).expect(200);
    await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/groups/${groupId}/accept`).expect(409);
  });

  it('shows each member’s summary: matrix by domain, attestation status, shared critical gaps, overdue actions, with filters', async () => {
    const d = await dashboard(groupOwner);
    expect(d.memberCount).toBe(2);
    expect(d.organisations.map((o) => o.organisationId).sort()).toEqual([storageOrg, forumOrg].sort());
    const storage = d.organisations.find((o) => o.organisationId === storageOrg)!.summary!;
    expect(storage).toMatchObject({ headline: { services: ['file_storage_sharing'], jurisdictions: ['UK', 'EU'] }, attestation: { status: 'not_ready' }, overdueActions: 1 });
    expect(storage.latest).toMatchObject({ status: 'draft', band: 'red' });
    expect(storage.domains.length).toBe(9);
    expect(d.domains.length).toBe(9);
    expect(storage.criticalGaps).toContain('HASH-01');
    // Gaps both fall short on come first, then those of one organisation.
    expect(d.sharedGaps[0]).toMatchObject({ organisations: 2 });
    expect(d.sharedGaps.map((g) => g.organisations)).toEqual([...d.sharedGaps.map((g) => g.organisations)].sort((a, b) => b - a));
    expect(d.sharedGaps.find((g) => g.questionId === 'HASH-01')?.organisationIds).toContain(storageOrg);
    expect(d.totals).toMatchObject({ shown: 2, notReady: 2, overdueActions: 1 });

    const us = await dashboard(groupOwner, '?jurisdiction=US');
    expect(us.organisations.map((o) => o.organisationId)).toEqual([forumOrg]);
    expect(us.memberCount).toBe(2);
    const storageOnly = await dashboard(groupOwner, '?serviceType=file_storage_sharing');
    expect(storageOnly.organisations.map((o) => o.organisationId)).toEqual([storageOrg]);
    expect((await as(t, groupOwner).get(`/api/v1/groups/${groupId}/dashboard?jurisdiction=FR`).expect(400)).body.error.code).toBe('VALIDATION_FAILED');

    // A summary, never answers' text, evidence or members.
    const text = JSON.stringify(d);
    expect(text).not.toMatch(/evidence|comment|"members"|email/i);
    expect(text).not.toContain(storageOwner.me.user.id);
  });

  it('lets a viewer see the dashboard but answers 404 on every organisation route of a member and 403 on the group’s writes', async () => {
    // An unconfirmed address is never matched into a group's view (docs/PRODUCT.md §2.5).
    const unconfirmed = await as(t, groupOwner).post(`/api/v1/groups/${groupId}/viewers`).send({ email: outsider.credentials.email }).expect(403);
    expect(unconfirmed.body.error.code).toBe('EMAIL_NOT_VERIFIED');
    const added = await as(t, groupOwner).post(`/api/v1/groups/${groupId}/viewers`).send({ email: viewer.credentials.email.toUpperCase() }).expect(201);
    expect(added.body).toMatchObject({ userId: viewer.me.user.id, role: 'viewer' });
    expect((await dashboard(viewer)).memberCount).toBe(2);
    for (const path of ['', '/dashboard', '/assessments', '/evidence', '/members', '/actions', '/audit-log', '/reports', '/profile', '/groups']) {
      await as(t, viewer).get(`/api/v1/orgs/${storageOrg}${path}`).expect(404);
    }
    await as(t, viewer).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: ownerOrg }).expect(403);
    await as(t, viewer).delete(`/api/v1/groups/${groupId}/organisations/${storageOrg}`).expect(403);
    await as(t, viewer).post(`/api/v1/groups/${groupId}/viewers`).send({ email: outsider.credentials.email }).expect(403);
  });

  it('answers 404 on the group to a person not in it, and to a malformed id', async () => {
    await as(t, outsider).get(`/api/v1/groups/${groupId}`).expect(404);
    await as(t, outsider).get(`/api/v1/groups/${groupId}/dashboard`).expect(404);
    await as(t, outsider).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: ownerOrg }).expect(404);
    // A member organisation's owner is not in the group by joining it.
    await as(t, storageOwner).get(`/api/v1/groups/${groupId}/dashboard`).expect(404);
    await as(t, outsider).get('/api/v1/groups/not-a-uuid/dashboard').expect(404);
    expect((await as(t, outsider).get('/api/v1/groups').expect(200)).body.groups).toEqual([]);
  });

  it('in the database: hoh_app cannot read the summaries of a group the acting user is not in, nor another organisation’s summary row, even with raw SQL', async () => {
    const outsiderOrg = orgOf(outsider);
    const viaFunction = await asAppRole(outsiderOrg, outsider.me.user.id, 'SELECT organisation_id FROM hoh_group_summaries($1)', [groupId]);
    expect(viaFunction).toEqual([]);
    // Under a member's own tenant, still not the other members' rows.
    expect(await asAppRole(storageOrg, storageOwner.me.user.id, 'SELECT organisation_id FROM hoh_group_summaries($1)', [groupId])).toEqual([]);
    const rows = await asAppRole<{ organisation_id: string }>(outsiderOrg, outsider.me.user.id, 'SELECT organisation_id FROM group_summaries');
    expect(rows).toEqual([]);
    expect(await asAppRole(outsiderOrg, outsider.me.user.id, 'SELECT group_id FROM groups')).toEqual([]);
    expect(await asAppRole(outsiderOrg, outsider.me.user.id, 'SELECT group_id FROM group_memberships')).toEqual([]);
    expect(await asAppRole(outsiderOrg, outsider.me.user.id, 'SELECT group_id FROM group_events')).toEqual([]);
    expect(await asAppRole(outsiderOrg, outsider.me.user.id, 'SELECT group_id FROM group_roles')).toEqual([]);
    // Writing another organisation's summary is refused by the tenant policy.
    await expect(
      asAppRole(outsiderOrg, outsider.me.user.id, `UPDATE group_summaries SET summary = '{}' WHERE organisation_id = $1 RETURNING organisation_id`, [storageOrg]),
    ).resolves.toEqual([]);
    await expect(
      asAppRole(outsiderOrg, outsider.me.user.id, `INSERT INTO group_summaries (organisation_id, summary, refreshed_at) VALUES ($1, '{}', now())`, [storageOrg]),
    ).rejects.toThrow(/row-level security/);
    // The group's viewer reads through the function, and only the current members.
    const mine = await asAppRole<{ organisation_id: string }>(outsiderOrg, viewer.me.user.id, 'SELECT organisation_id FROM hoh_group_summaries($1)', [groupId]);
    expect(mine.map((r) => r.organisation_id).sort()).toEqual([storageOrg, forumOrg].sort());
  });

  it('publishes a fresh summary when the organisation asks, and only its managers may', async () => {
    const contributor = await addMember(t, forumOrg, 'contributor');
    await as(t, contributor).post(`/api/v1/orgs/${forumOrg}/groups/summary`).expect(403);
    await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/actions`).send({ title: 'Also late', dueDate: '2024-02-01', questionIds: ['HASH-01'] }).expect(201);
    expect((await dashboard(groupOwner)).organisations.find((o) => o.organisationId === forumOrg)!.summary!.overdueActions).toBe(0);
    await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/groups/summary`).send({}).expect(200);
    expect((await dashboard(groupOwner)).organisations.find((o) => o.organisationId === forumOrg)!.summary!.overdueActions).toBe(1);
  });

  it('publishes the summary again when a member signs off, so the group sees the signed score at once', async () => {
    const base = `/api/v1/orgs/${forumOrg}/assessments/${forumAssessment}`;
    await as(t, forumOwner).post(`${base}/submit`).expect(200);
    const check = (await as(t, forumOwner).get(`${base}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, forumOwner)
      .post(`${base}/sign-off`)
      .send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: forumOwner.credentials.password } })
      .expect(200);
    const forum = (await dashboard(groupOwner)).organisations.find((o) => o.organisationId === forumOrg)!.summary!;
    expect(forum.attestation.status).toBe('signed');
    expect(forum.signed).toMatchObject({ assessmentId: forumAssessment });
  });

  it('drops a member that leaves from the group’s very next read, with an audit entry on both sides', async () => {
    await as(t, storageOwner).delete(`/api/v1/orgs/${storageOrg}/groups/${groupId}`).expect(204);
    const d = await dashboard(viewer);
    expect(d.organisations.map((o) => o.organisationId)).toEqual([forumOrg]);
    expect(d.sharedGaps.every((g) => !g.organisationIds.includes(storageOrg))).toBe(true);
    const after = await detail(groupOwner);
    expect(after.organisations.find((o) => o.organisationId === storageOrg)).toMatchObject({ status: 'ended', endedBy: 'organisation', name: null });
    expect(after.events.map((e) => e.action)).toContain('group.membership_ended');
    const log = (await as(t, storageOwner).get(`/api/v1/orgs/${storageOrg}/audit-log?entityType=group`).expect(200)).body as AuditLogPage;
    expect(log.items.map((e) => e.action)).toEqual(['group.joined', 'group.membership_ended']);
    await as(t, storageOwner).delete(`/api/v1/orgs/${storageOrg}/groups/${groupId}`).expect(404);
  });

  it('lets the group end a membership too, recorded in the organisation’s own audit chain, which still verifies', async () => {
    await as(t, groupOwner).delete(`/api/v1/groups/${groupId}/organisations/${forumOrg}`).expect(204);
    expect((await dashboard(groupOwner)).organisations).toEqual([]);
    const log = (await as(t, forumOwner).get(`/api/v1/orgs/${forumOrg}/audit-log?entityType=group`).expect(200)).body as AuditLogPage;
    expect(log.items.at(-1)).toMatchObject({ action: 'group.membership_ended', actorId: groupOwner.me.user.id, data: expect.objectContaining({ side: 'group' }) });
    const verified = await as(t, forumOwner).get(`/api/v1/orgs/${forumOrg}/audit-log/verify`).expect(200);
    expect(verified.body.intact).toBe(true);
    expect((await as(t, forumOwner).get(`/api/v1/orgs/${forumOrg}/groups`).expect(200)).body.groups).toEqual([]);
    // A former member may be invited again.
    await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: forumOrg }).expect(201);
  });

  it('removes a viewer, whose next request to the group answers 404', async () => {
    await as(t, groupOwner).delete(`/api/v1/groups/${groupId}/viewers/${viewer.me.user.id}`).expect(204);
    await as(t, viewer).get(`/api/v1/groups/${groupId}/dashboard`).expect(404);
    await as(t, groupOwner).delete(`/api/v1/groups/${groupId}/viewers/${groupOwner.me.user.id}`).expect(404);
  });
});
