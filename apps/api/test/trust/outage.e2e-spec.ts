import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { PRODUCTION_STATEMENT_TIMEOUT_MS, startTestApp, type TestApp } from '../support/test-app.js';
import { expectNoLostWrite, expectOnlySuccessOr503Within5s, underLoad } from './outage-load.js';

/**
 * The database goes away under load (issue 8 §5, docs/API.md §13): connections are
 * refused and every backend is terminated while requests are in flight. Every request must end
 * within 5 s as a success or a 503 DATABASE_UNAVAILABLE with Retry-After (no hang, no 500), the
 * API must recover on its own within 10 s of access returning, and no acknowledged write may be lost.
 */
describe('database outage under load', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: PRODUCTION_STATEMENT_TIMEOUT_MS });
    owner = await signUp(t);
    base = `/api/v1/orgs/${orgOf(owner)}`;
  });
  afterAll(async () => {
    // Whatever happened, leave the database open so the harness can drop it.
    await t.clusterQuery(`ALTER DATABASE "${t.db.name}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await t.close();
  });

  it('answers 503 with Retry-After within 5 s while the database is gone, recovers by itself, and loses no acknowledged write', async () => {
    const { outcomes, refused, recoveredAfterMs, summary } = await underLoad(t, owner, {
      label: 'Outage',
      disrupt: async () => {
        await t.clusterQuery(`ALTER DATABASE "${t.db.name}" WITH ALLOW_CONNECTIONS false`);
        await t.clusterQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [t.db.name]);
      },
      restore: () => t.clusterQuery(`ALTER DATABASE "${t.db.name}" WITH ALLOW_CONNECTIONS true`),
      holdMs: 3000,
    });
    console.log(`outage (connections refused): ${summary}`);

    expect(recoveredAfterMs).toBeLessThan(10_000);
    expect(refused.length).toBeGreaterThan(0);
    expectOnlySuccessOr503Within5s(outcomes);
    // After recovery settles, requests succeed again.
    expect(outcomes.filter((o) => o.phase === 'after' && (o.status === 200 || o.status === 201)).length).toBeGreaterThan(0);
    await expectNoLostWrite(outcomes, owner, t.ownerQuery);

    // The audit chain survived requests cut off mid-transaction.
    const verify = await as(t, owner).get(`${base}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true });
  }, 60_000);
});
