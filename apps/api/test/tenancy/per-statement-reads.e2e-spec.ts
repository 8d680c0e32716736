import type pg from 'pg';
import { DataSource } from 'typeorm';

import type { MemberContext } from '../../src/common/auth/access.decorators.js';
import { poolOf } from '../../src/database/pool.js';
import { prepared } from '../../src/database/prepared-statements.js';
import { runPerStatement, tenantManager, tenantRead } from '../../src/database/tenant-context.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Prepared reads: once their connection has parsed them, they go out in one batch with the tenant setting.
const ASSESSMENTS_SEEN = prepared('SELECT id, organisation_id FROM assessments /* per-statement-reads spec */');
// Read by one test only, so that its first use on the connection is known.
const FIRST_SEEN_HERE = prepared('SELECT id, organisation_id FROM assessments /* per-statement-reads spec, parsed by one test */');
const FAILING_READ = prepared('SELECT 1 / (count(*) - count(*)) AS boom FROM assessments /* per-statement-reads spec */');

/**
 * Hot read routes (`@OrgAccess(..., { perStatement: true })`: the score and the dashboard) hold no
 * transaction: each read sends the tenant setting and itself in one batch with one Sync (BEGIN and
 * COMMIT as well, pipelined, the first time a connection sees the statements). With a pool of ONE
 * connection every read below reuses the connection the one before it used, so a tenant setting or
 * an open transaction left behind would show.
 */
describe('reads that run in a transaction of their own (per-statement routes)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let other: SignedInUser;
  let orgId: string;
  let assessmentId: string;
  let dataSource: DataSource;
  let pool: pg.Pool;

  const memberOf = (user: SignedInUser, organisationId = orgId): MemberContext => ({ organisationId, userId: user.me.user.id, role: 'owner', accountableIndividual: false });
  const assessmentsSeenBy = (member: MemberContext, sql = ASSESSMENTS_SEEN) =>
    runPerStatement(dataSource, member, () => tenantRead<{ id: string; organisation_id: string }>(sql, []));
  /** What `work` submits on the pool's one connection: 'batch' for a synced batch, else each statement's text. */
  const submittedDuring = async (work: () => Promise<unknown>) => {
    const client = await pool.connect();
    const original = client.query;
    const sent: string[] = [];
    client.query = ((...args: Parameters<typeof original>) => {
      const [query] = args as unknown[];
      sent.push(typeof query === 'string' ? query : (query as object).constructor.name === 'SyncedBatch' ? 'batch' : (query as { text: string }).text);
      return (original as (...a: unknown[]) => unknown).apply(client, args);
    }) as typeof original;
    client.release();
    try {
      await work();
    } finally {
      (await pool.connect()).release();
      client.query = original;
    }
    return sent;
  };
  /** What the pooled connection holds between requests: its tenant setting and transaction state, and which server process it is. */
  const pooledConnection = async () => {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ tenant: string | null; pid: number }>(`SELECT current_setting('app.org_id', true) AS tenant, pg_backend_pid() AS pid`);
      return { tenant: rows[0]!.tenant ?? '', status: client.getTransactionStatus(), pid: rows[0]!.pid };
    } finally {
      client.release();
    }
  };

  beforeAll(async () => {
    t = await startTestApp({ DB_POOL_SIZE: '1' });
    owner = await signUp(t);
    other = await signUp(t);
    orgId = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    assessmentId = (await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body.id as string;
    // An assessment needs the organisation's profile first.
    await as(t, other).put(`/api/v1/orgs/${orgOf(other)}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    await as(t, other).post(`/api/v1/orgs/${orgOf(other)}/assessments`).send({}).expect(201);
    dataSource = t.app.get(DataSource);
    pool = poolOf(dataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the score and the dashboard and leaves the pooled connection idle with no tenant set, and kept', async () => {
    const before = await pooledConnection();
    for (let i = 0; i < 3; i++) {
      await as(t, owner).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(200);
      await as(t, owner).get(`/api/v1/orgs/${orgId}/dashboard`).expect(200);
    }
    // The same server process: the reads ended their transactions themselves; the pool did not have
    // to throw a connection away (and open a new one) to get rid of one left open.
    expect(await pooledConnection()).toEqual({ tenant: '', status: 'I', pid: before.pid });
  });

  it("reads only the member's organisation, and nothing once the database no longer finds the membership", async () => {
    const own = await assessmentsSeenBy(memberOf(owner));
    expect(own.map((r) => r.organisation_id)).toEqual([orgId]);
    // Past the guard with a member context the database does not confirm: another organisation's
    // member, and a user removed after the guard's check. The read must see no rows at all.
    expect(await assessmentsSeenBy(memberOf(other))).toEqual([]);
    const removed = await addMember(t, orgId, 'auditor');
    await t.ownerQuery(`DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2`, [orgId, removed.me.user.id]);
    expect(await assessmentsSeenBy(memberOf(removed))).toEqual([]);
    expect(await pooledConnection()).toMatchObject({ tenant: '', status: 'I' });
  });

  it('rolls a failed read back and leaves its connection usable, with the database error reported', async () => {
    const before = await pooledConnection();
    const failing = runPerStatement(dataSource, memberOf(owner), () => tenantRead('SELECT 1 / (count(*) - count(*)) AS boom FROM assessments', []));
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(await pooledConnection()).toEqual({ tenant: '', status: 'I', pid: before.pid });
    expect(await assessmentsSeenBy(memberOf(owner))).toHaveLength(1);
    await as(t, owner).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(200);
  });

  it('sends a read the connection has parsed as ONE batch with its tenant setting (no BEGIN or COMMIT), and it still ends there', async () => {
    const before = await pooledConnection();
    const first = await submittedDuring(() => assessmentsSeenBy(memberOf(owner), FIRST_SEEN_HERE));
    expect(first).toEqual(['BEGIN', expect.stringContaining('set_config'), FIRST_SEEN_HERE, 'COMMIT']);
    let rows: { organisation_id: string }[] = [];
    const next = await submittedDuring(async () => (rows = await assessmentsSeenBy(memberOf(owner), FIRST_SEEN_HERE)));
    expect(next).toEqual(['batch']);
    expect(rows.map((r) => r.organisation_id)).toEqual([orgId]);
    expect(await pooledConnection()).toEqual({ tenant: '', status: 'I', pid: before.pid });
    // The routes' own reads go the same way once warm, the cookie session's lookup in the same batch.
    await as(t, owner).get(`/api/v1/orgs/${orgId}/dashboard`).expect(200);
    expect(await submittedDuring(() => as(t, owner).get(`/api/v1/orgs/${orgId}/dashboard`).expect(200))).toEqual(['batch']);
    expect(await submittedDuring(() => as(t, owner).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(200))).toEqual(['batch']);
  });

  describe("a cookie session's check, sent in the batch of the route's first read", () => {
    const routes = () => [`/api/v1/orgs/${orgId}/dashboard`, `/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`];
    const withCookie = (path: string, cookie: string) => t.http().get(path).set('Cookie', cookie);

    it('answers 401, in that one round trip, for a session that is unknown, expired or revoked', async () => {
      const lapsed = await addMember(t, orgId, 'contributor');
      const revoked = await addMember(t, orgId, 'contributor');
      for (const path of routes()) await withCookie(path, lapsed.cookie).expect(200); // warm: the batch path
      await t.ownerQuery(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [lapsed.me.user.id]);
      await t.ownerQuery(`DELETE FROM sessions WHERE user_id = $1`, [revoked.me.user.id]);
      for (const path of routes()) {
        for (const cookie of ['hoh_session=' + 'x'.repeat(43), lapsed.cookie, revoked.cookie]) {
          const sent = await submittedDuring(async () => {
            const res = await withCookie(path, cookie).expect(401);
            expect(res.body.error.code).toBe('UNAUTHENTICATED');
          });
          expect(sent).toEqual(['batch']);
        }
        // A cookie that cannot hold a session token, or none, never reaches the database.
        expect(await submittedDuring(() => withCookie(path, 'hoh_session=short').expect(401))).toEqual([]);
        expect(await submittedDuring(() => t.http().get(path).expect(401))).toEqual([]);
      }
      expect(await pooledConnection()).toMatchObject({ tenant: '', status: 'I' });
    });

    it("answers 401 before anything the route itself would say, and a member's own errors after the check", async () => {
      const bad = `/api/v1/orgs/${orgId}/assessments/not-an-id/score`;
      const missing = `/api/v1/orgs/${orgId}/assessments/00000000-0000-4000-8000-000000000000/score`;
      for (const path of [bad, missing]) {
        await withCookie(path, 'hoh_session=' + 'x'.repeat(43)).expect(401);
        await withCookie(path, other.cookie).expect(404);
        await withCookie(path, owner.cookie).expect(404);
      }
      // Not signed in: 401 even though the handler's own read found nothing (and it would have said 404).
      const res = await withCookie(missing, 'hoh_session=' + 'y'.repeat(43)).expect(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    it("refreshes a session's sliding expiry, as the guard's own lookup does", async () => {
      const member = await addMember(t, orgId, 'contributor');
      await t.ownerQuery(`UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE user_id = $1`, [member.me.user.id]);
      await withCookie(routes()[0]!, member.cookie).expect(200);
      const [row] = await t.ownerQuery<{ fresh: boolean }>(`SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM sessions WHERE user_id = $1`, [member.me.user.id]);
      expect(row!.fresh).toBe(true);
    });

    it("names the acting user to the read only for an admitted caller: the dashboard's signer is the caller", async () => {
      const member = await addMember(t, orgId, 'contributor');
      await withCookie(routes()[0]!, member.cookie).expect(200);
      const seen = await runPerStatement(dataSource, memberOf(member), () =>
        tenantRead<{ user_id: string | null }>(prepared(`SELECT nullif(current_setting('app.user_id', true), '') AS user_id /* per-statement-reads spec */`), []),
      );
      expect(seen).toEqual([{ user_id: member.me.user.id }]);
      // And only for the batch: the pooled connection holds no acting user afterwards.
      expect(await pooledConnection()).toMatchObject({ tenant: '', status: 'I' });
      const [after] = await (async () => {
        const client = await pool.connect();
        try {
          return (await client.query<{ user: string | null }>(`SELECT current_setting('app.user_id', true) AS user`)).rows;
        } finally {
          client.release();
        }
      })();
      expect(after!.user ?? '').toBe('');
    });
  });

  it('in a batch too, reads nothing for a member the database does not confirm', async () => {
    await assessmentsSeenBy(memberOf(owner));
    let seen: unknown[][] = [];
    const sent = await submittedDuring(async () => {
      const removed = await addMember(t, orgId, 'auditor');
      await t.ownerQuery(`DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2`, [orgId, removed.me.user.id]);
      seen = [await assessmentsSeenBy(memberOf(other)), await assessmentsSeenBy(memberOf(removed))];
    });
    expect(sent.filter((s) => s === 'batch')).toHaveLength(2);
    expect(seen).toEqual([[], []]);
    expect(await pooledConnection()).toMatchObject({ tenant: '', status: 'I' });
  });

  it('in a batch too, reports a failed read and keeps its connection, idle and with no tenant', async () => {
    const before = await pooledConnection();
    await expect(assessmentsSeenBy(memberOf(owner), FAILING_READ)).rejects.toThrow(/division by zero/);
    let failure: Promise<unknown> = Promise.resolve();
    const sent = await submittedDuring(async () => {
      failure = assessmentsSeenBy(memberOf(owner), FAILING_READ);
      await failure.catch(() => undefined);
    });
    expect(sent).toEqual(['batch']);
    await expect(failure).rejects.toThrow(/division by zero/);
    expect(await pooledConnection()).toEqual({ tenant: '', status: 'I', pid: before.pid });
    expect(await assessmentsSeenBy(memberOf(owner))).toHaveLength(1);
  });

  it('refuses transaction work in a per-statement route, saying what to do instead', async () => {
    await expect(runPerStatement(dataSource, memberOf(owner), () => Promise.resolve().then(() => tenantManager()))).rejects.toThrow(/reads per statement.*tenantRead/);
  });

  it('answers a non-member 404 on both routes, for cookie sessions and API tokens alike', async () => {
    await as(t, other).get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).expect(404);
    await as(t, other).get(`/api/v1/orgs/${orgId}/dashboard`).expect(404);
    const token = (await as(t, other).post('/api/v1/auth/tokens').send({ name: 'outsider', scope: 'read' }).expect(201)).body.token as string;
    await t.http().get(`/api/v1/orgs/${orgId}/dashboard`).set('Authorization', `Bearer ${token}`).expect(404);
    const ownToken = (await as(t, owner).post('/api/v1/auth/tokens').send({ name: 'owner', scope: 'read' }).expect(201)).body.token as string;
    await t.http().get(`/api/v1/orgs/${orgId}/assessments/${assessmentId}/score`).set('Authorization', `Bearer ${ownToken}`).expect(200);
    expect(await pooledConnection()).toMatchObject({ tenant: '', status: 'I' });
  });
});
