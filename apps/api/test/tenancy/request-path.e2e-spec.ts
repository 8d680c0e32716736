import { DataSource } from 'typeorm';

import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { currentMember, runAsMember, tenantManager } from '../../src/database/tenant-context.js';

/**
 * Every organisation route, the hot reads included, runs its handler in one tenant transaction that
 * runAsMember opens after the access guard admitted the caller; background work enters a tenant the
 * same way. The transaction-local settings end with it, so no pooled connection keeps a tenant.
 */
describe('one request path: access check, then one tenant transaction', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let other: SignedInUser;
  let orgId: string;
  let assessmentId: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    // One connection: whatever a request left on it, the next statement would see.
    t = await startTestApp({ DB_POOL_SIZE: '1' });
    dataSource = t.app.get(DataSource);
    owner = await signUp(t);
    other = await signUp(t);
    orgId = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body.id as string;
  });
  afterAll(async () => {
    await t.close();
  });

  const settingsOfThePooledConnection = async () =>
    dataSource.query<{ tenant: string | null; acting_user: string | null }[]>(`SELECT current_setting('app.org_id', true) AS tenant, current_setting('app.user_id', true) AS acting_user`);

  it('serves the score and the dashboard, then leaves the pooled connection with no tenant or acting user', async () => {
    await as(t, owner).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(200);
    await as(t, owner).get(`/api/v1/orgs/${orgId}/dashboard`).expect(200);
    const [after] = await settingsOfThePooledConnection();
    expect(after!.tenant ?? '').toBe('');
    expect(after!.acting_user ?? '').toBe('');
  });

  it('gives background work the same transaction, tenant and member as a request', async () => {
    const member = { organisationId: orgId, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    const seen = await runAsMember(dataSource, member, async () => {
      const [row] = await tenantManager().query<{ tenant: string; acting_user: string; assessments: number }[]>(
        `SELECT current_setting('app.org_id', true) AS tenant, current_setting('app.user_id', true) AS acting_user, count(*)::int AS assessments FROM assessments`,
      );
      return { ...row, member: currentMember() };
    });
    expect(seen).toEqual({ tenant: orgId, acting_user: owner.me.user.id, assessments: 1, member });
  });

  it('rolls the transaction back when the work throws, and says where tenant code may run', async () => {
    const member = { organisationId: orgId, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    await expect(
      runAsMember(dataSource, member, async () => {
        await tenantManager().query(`UPDATE organisations SET name = 'Never committed' WHERE organisation_id = $1`, [orgId]);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    const [org] = await t.ownerQuery<{ name: string }>(`SELECT name FROM organisations WHERE organisation_id = $1`, [orgId]);
    expect(org!.name).not.toBe('Never committed');
    expect(() => tenantManager()).toThrow(/inside an @OrgAccess route or runAsMember/);
  });

  it('answers a non-member 404 on the hot reads, for cookie sessions and API tokens alike, and serves a member token', async () => {
    await as(t, other).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(404);
    await as(t, other).get(`/api/v1/orgs/${orgId}/dashboard`).expect(404);
    const token = (await as(t, other).post('/api/v1/auth/tokens').send({ name: 'outsider', scope: 'read' }).expect(201)).body.token as string;
    await t.http().get(`/api/v1/orgs/${orgId}/dashboard`).set('Authorization', `Bearer ${token}`).expect(404);
    const ownToken = (await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'owner', scope: 'read' }).expect(201)).body.token as string;
    await t.http().get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).set('Authorization', `Bearer ${ownToken}`).expect(200);
  });

  it("refreshes a session's sliding expiry on a read", async () => {
    const member = await addMember(t, orgId, 'auditor');
    await t.ownerQuery(`UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1`, [member.me.user.id]);
    await as(t, member).get(`/api/v1/orgs/${orgId}/dashboard`).expect(200);
    const [row] = await t.ownerQuery<{ fresh: boolean }>(`SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM sessions WHERE user_id = $1`, [member.me.user.id]);
    expect(row!.fresh).toBe(true);
  });
});
