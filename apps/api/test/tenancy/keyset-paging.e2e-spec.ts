import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Rows inserted by one statement share one `now()`, to the microsecond. A cursor that rounds the
 * timestamp (a JS Date keeps milliseconds) compares below all of them and skips the rest of the group
 * when a page ends inside it; every keyed list must walk such a group exactly once, at any page size.
 */
describe('keyset paging through rows created in one transaction', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let orgId: string;
  const GROUP = 7;

  beforeAll(async () => {
    // No worker: the queued reports below must stay as inserted while they are paged.
    t = await startTestApp({ REPORT_WORKER: 'false' });
    owner = await signUp(t);
    orgId = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const assessmentId = (await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body.id as string;
    const userId = owner.me.user.id;
    await t.ownerQuery(
      `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, uploaded_by)
       SELECT $1, gen_random_uuid(), 'Policy ' || n, 'policy', 'external', 'https://example.org/p/' || n, now(), $2 FROM generate_series(1, $3) AS n`,
      [orgId, userId, GROUP],
    );
    await t.ownerQuery(
      `INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by)
       SELECT $1, gen_random_uuid(), $2, true, $3 FROM generate_series(1, $4)`,
      [orgId, assessmentId, userId, GROUP],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  async function walk(path: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const url = `/api/v1/orgs/${orgId}/${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await as(t, owner).get(url).expect(200)).body as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error(`${path} did not end within 100 pages`);
  }

  it.each(['evidence', 'reports'])('lists every %s row once, whichever page size ends inside the group', async (path) => {
    const all = await t.ownerQuery<{ id: string }>(`SELECT id FROM ${path} WHERE organisation_id = $1`, [orgId]);
    const expected = all.map((r) => r.id).sort();
    expect(expected.length).toBeGreaterThanOrEqual(GROUP);
    for (const limit of [1, 2, 3, GROUP - 1]) {
      const seen = await walk(path, limit);
      expect([...seen].sort()).toEqual(expected);
    }
  });

  it('refuses a cursor this API did not issue with 400 and a field message', async () => {
    const forged = Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url');
    for (const path of ['evidence', 'reports']) {
      const res = await as(t, owner).get(`/api/v1/orgs/${orgId}/${path}?cursor=${forged}`).expect(400);
      expect(res.body.error.details).toEqual([{ path: 'cursor', message: 'Use the nextCursor of the previous page' }]);
    }
  });
});
