import { MemberPageSchema, MemberSchema } from '@hoh/contracts';

import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addMember } from './identity-helpers.js';

describe('members: roles, the accountable individual and removal', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Every request here comes from 127.0.0.1; account creation is throttled per IP (throttling.e2e-spec covers that).
    t = await startTestApp({ THROTTLE_SIGN_UP_PER_IP: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  const memberUrl = (owner: SignedInUser, user: SignedInUser) => `/api/v1/orgs/${orgOf(owner)}/members/${user.me.user.id}`;
  const listMembers = async (owner: SignedInUser) =>
    MemberPageSchema.parse(
      (
        await as(t, owner)
          .get(`/api/v1/orgs/${orgOf(owner)}/members`)
          .expect(200)
      ).body,
    ).items;

  it('applies a role change from the member’s very next request, both ways', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'contributor');
    const orgUrl = `/api/v1/orgs/${orgOf(owner)}`;
    await as(t, member).patch(orgUrl).send({ name: 'Not allowed yet' }).expect(403);

    const promoted = await as(t, owner).patch(memberUrl(owner, member)).send({ role: 'owner' }).expect(200);
    expect(MemberSchema.parse(promoted.body)).toMatchObject({ userId: member.me.user.id, role: 'owner' });
    // Same session, no sign-in again: the guard reads the membership on every request.
    await as(t, member).patch(orgUrl).send({ name: 'Renamed by the new owner' }).expect(200);

    await as(t, owner).patch(memberUrl(owner, member)).send({ role: 'auditor' }).expect(200);
    const demoted = await as(t, member).patch(orgUrl).send({ name: 'Too late' }).expect(403);
    expect(demoted.body.error.message).toMatch(/auditor/);
  });

  it('never lets the last owner be demoted or removed (409 saying what to do), but allows it once another owner exists', async () => {
    const owner = await signUp(t);
    const demote = await as(t, owner).patch(memberUrl(owner, owner)).send({ role: 'assessor' }).expect(409);
    expect(demote.body.error).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/last owner.*another member an owner/),
    });
    const remove = await as(t, owner).delete(memberUrl(owner, owner)).expect(409);
    expect(remove.body.error.code).toBe('INVALID_STATE');

    const second = await addMember(t, owner, 'owner');
    await as(t, second).patch(memberUrl(owner, owner)).send({ role: 'assessor', accountableIndividual: false }).expect(200);
    const refused = await as(t, second).delete(memberUrl(owner, second)).expect(409);
    expect(refused.body.error.message).toMatch(/last owner/);
    expect((await listMembers(second)).filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([second.me.user.id]);
  });

  it('keeps one owner when two owners demote each other at the same moment', async () => {
    const a = await signUp(t);
    const b = await addMember(t, a, 'owner');
    const results = await Promise.all([
      as(t, a).patch(memberUrl(a, b)).send({ role: 'contributor' }),
      as(t, b).patch(memberUrl(a, a)).send({ role: 'contributor', accountableIndividual: false }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // Whichever runs second either sees the other demoted (409) or has lost its own owner role (403).
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const owners = (
      await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM memberships WHERE organisation_id = $1 AND role = 'owner'`, [orgOf(a)])
    )[0]!;
    expect(Number(owners.n)).toBe(1);
  });

  it('lets only owners change or remove members (403 for an assessor)', async () => {
    const owner = await signUp(t);
    const assessor = await addMember(t, owner, 'assessor');
    const contributor = await addMember(t, owner, 'contributor');
    const patch = await as(t, assessor).patch(memberUrl(owner, contributor)).send({ role: 'auditor' }).expect(403);
    expect(patch.body.error.code).toBe('FORBIDDEN');
    await as(t, assessor).delete(memberUrl(owner, contributor)).expect(403);
    expect((await listMembers(owner)).find((m) => m.userId === contributor.me.user.id)?.role).toBe('contributor');
  });

  it('answers 404 for another organisation’s member, an unknown id, a malformed id, and an organisation you are not in', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const base = `/api/v1/orgs/${orgOf(owner)}/members`;
    for (const id of [stranger.me.user.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await as(t, owner).patch(`${base}/${id}`).send({ role: 'auditor' }).expect(404)).body.error.code).toBe('NOT_FOUND');
      await as(t, owner).delete(`${base}/${id}`).expect(404);
    }
    await as(t, owner).patch(memberUrl(stranger, stranger)).send({ role: 'auditor' }).expect(404);
    expect((await listMembers(stranger))[0]).toMatchObject({ role: 'owner' });
  });

  it('designates one accountable individual (an owner or assessor) and undesignates the previous one', async () => {
    const owner = await signUp(t);
    const assessor = await addMember(t, owner, 'assessor');
    const contributor = await addMember(t, owner, 'contributor');

    const wrongRole = await as(t, owner).patch(memberUrl(owner, contributor)).send({ accountableIndividual: true }).expect(409);
    expect(wrongRole.body.error.message).toMatch(/owner or assessor/);

    await as(t, owner).patch(memberUrl(owner, assessor)).send({ accountableIndividual: true }).expect(200);
    const members = await listMembers(owner);
    expect(members.filter((m) => m.accountableIndividual).map((m) => m.userId)).toEqual([assessor.me.user.id]);

    // Demoting the accountable individual must say what to do instead of silently dropping the designation.
    const demote = await as(t, owner).patch(memberUrl(owner, assessor)).send({ role: 'contributor' }).expect(409);
    expect(demote.body.error.message).toMatch(/accountableIndividual: false/);
    await as(t, owner).patch(memberUrl(owner, assessor)).send({ role: 'contributor', accountableIndividual: false }).expect(200);

    // A contributor can be promoted and designated in one request.
    const both = await as(t, owner)
      .patch(memberUrl(owner, contributor))
      .send({ role: 'assessor', accountableIndividual: true })
      .expect(200);
    expect(both.body).toMatchObject({ role: 'assessor', accountableIndividual: true });
  });

  it('removes a member, who loses access to the organisation at once', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'assessor');
    await as(t, member)
      .get(`/api/v1/orgs/${orgOf(owner)}`)
      .expect(200);
    await as(t, owner).delete(memberUrl(owner, member)).expect(204);
    await as(t, member)
      .get(`/api/v1/orgs/${orgOf(owner)}`)
      .expect(404);
    expect((await listMembers(owner)).map((m) => m.userId)).not.toContain(member.me.user.id);
    const me = await as(t, member).get('/api/v1/auth/me').expect(200);
    expect(me.body.memberships).toEqual([]);
  });

  it('rejects a malformed change with field messages (400)', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'assessor');
    const empty = await as(t, owner).patch(memberUrl(owner, member)).send({}).expect(400);
    expect(empty.body.error.details[0].message).toMatch(/Send role, accountableIndividual, or both/);
    const bad = await as(t, owner).patch(memberUrl(owner, member)).send({ role: 'admin', extra: 1 }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('audits every change in the organisation’s hash chain', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'contributor');
    await as(t, owner).patch(memberUrl(owner, member)).send({ role: 'assessor' }).expect(200);
    await as(t, owner).patch(memberUrl(owner, member)).send({ accountableIndividual: true }).expect(200);
    await as(t, owner).delete(memberUrl(owner, member)).expect(204);
    const log = await as(t, owner)
      .get(`/api/v1/orgs/${orgOf(owner)}/audit-log?limit=200`)
      .expect(200);
    const entries = log.body.items as { action: string; actorId: string; entityId: string; data: Record<string, unknown> }[];
    expect(entries.map((e) => e.action)).toEqual([
      'invitation.created',
      'invitation.accepted',
      'member.updated',
      'member.updated',
      'member.removed',
    ]);
    expect(entries[2]).toMatchObject({
      actorId: owner.me.user.id,
      entityId: member.me.user.id,
      data: { role: { from: 'contributor', to: 'assessor' } },
    });
    expect(entries[3]!.data).toMatchObject({ accountableIndividual: { from: false, to: true }, undesignated: [owner.me.user.id] });
    expect(entries[4]!.data).toMatchObject({ role: 'assessor', accountableIndividual: true });
    expect(
      (
        await as(t, owner)
          .get(`/api/v1/orgs/${orgOf(owner)}/audit-log/verify`)
          .expect(200)
      ).body,
    ).toMatchObject({ intact: true, checked: 5 });
  });
});
