import { DataSource, type QueryRunner } from 'typeorm';

import { prepared, preparedNameOf } from '../../src/database/prepared-statements.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { as, orgOf } from '../support/requests.js';
import { signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The same text the tenant transaction sends (prepared() hands back one registration per text).
const SET_TENANT = prepared(`SELECT set_config('app.org_id', $1, true)`);
// No organisation filter in the SQL: only the row-level-security policy keeps the tenants apart.
const ALL_ASSESSMENTS = prepared('SELECT organisation_id, id FROM assessments ORDER BY id /* e2e: rls under a cached plan */');
const ASSESSMENTS_BY_ID = prepared('SELECT organisation_id, id FROM assessments WHERE id = ANY($1::uuid[]) /* e2e: rls with parameters */');

interface PreparedRow {
  name: string;
  statement: string;
  generic_plans: string;
  custom_plans: string;
}

/**
 * Statements marked prepared() are planned once per pooled connection and then run from the cached
 * plan. These tests hold one connection of the API's own pool (role hoh_app) and prove the name is
 * sent, and that row-level security still separates tenants when the plan is reused across them.
 */
describe('prepared statements on the request-serving pool', () => {
  let t: TestApp;
  let runner: QueryRunner;
  const orgs: { orgId: string; assessmentId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 2; i++) {
      const owner = await signUp(t);
      const orgId = orgOf(owner);
      await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
      const assessmentId = (await as(t, owner).post(`/api/v1/orgs/${orgId}/assessments`).send({}).expect(201)).body.id as string;
      orgs.push({ orgId, assessmentId });
    }
    runner = t.app.get(DataSource).createQueryRunner();
    await runner.connect();
  });

  afterAll(async () => {
    await runner?.release();
    await t?.close();
  });

  async function asTenant<T>(orgId: string, sql: string, params: unknown[] = []): Promise<T[]> {
    await runner.startTransaction();
    try {
      await runner.query(SET_TENANT, [orgId]);
      const rows = (await runner.query(sql, params)) as T[];
      await runner.commitTransaction();
      return rows;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  const preparedOnThisConnection = async (sql: string) =>
    ((await runner.query('SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1', [preparedNameOf(sql)])) as PreparedRow[])[0];

  it('sends a marked statement by its name, so PostgreSQL keeps it prepared on the connection', async () => {
    await asTenant(orgs[0]!.orgId, ALL_ASSESSMENTS);
    const row = await preparedOnThisConnection(ALL_ASSESSMENTS);
    expect(row?.name).toBe(preparedNameOf(ALL_ASSESSMENTS));
    expect(row?.statement).toBe(ALL_ASSESSMENTS);
    expect(await preparedOnThisConnection(SET_TENANT)).toBeDefined();
  });

  it('leaves unmarked statements unnamed', async () => {
    const before = (await runner.query('SELECT count(*)::int AS n FROM pg_prepared_statements')) as { n: number }[];
    await asTenant(orgs[0]!.orgId, 'SELECT id FROM assessments /* e2e: never marked */');
    const after = (await runner.query('SELECT count(*)::int AS n FROM pg_prepared_statements')) as { n: number }[];
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('applies row-level security per transaction when one cached plan serves two organisations in turn', async () => {
    const both = orgs.map((o) => o.assessmentId);
    for (let i = 0; i < 12; i++) {
      const { orgId, assessmentId } = orgs[i % 2]!;
      const all = await asTenant<{ organisation_id: string; id: string }>(orgId, ALL_ASSESSMENTS);
      expect(all.map((r) => r.id)).toEqual([assessmentId]);
      // The other organisation's id asked for by name: the policy still hides it.
      const byId = await asTenant<{ organisation_id: string; id: string }>(orgId, ASSESSMENTS_BY_ID, [both]);
      expect(byId).toEqual([{ organisation_id: orgId, id: assessmentId }]);
    }
    // Twelve runs of each: the parameterless one from one generic plan; the other past the five custom plans PostgreSQL tries first.
    const all = await preparedOnThisConnection(ALL_ASSESSMENTS);
    expect(Number(all!.generic_plans) + Number(all!.custom_plans)).toBeGreaterThanOrEqual(12);
    expect(Number(all!.generic_plans)).toBeGreaterThan(0);
    const byId = await preparedOnThisConnection(ASSESSMENTS_BY_ID);
    expect(Number(byId!.generic_plans) + Number(byId!.custom_plans)).toBe(12);
  });
});
