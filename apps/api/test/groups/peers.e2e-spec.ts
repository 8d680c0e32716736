import { randomUUID } from 'node:crypto';

import pg from 'pg';

import {
  type AuditLogPage,
  cohortId,
  countCohorts,
  type PeerCell,
  type PeerComparison,
  PeerComparisonSchema,
  peerFigures,
  publishedCohorts,
} from '@hoh/contracts';

// eslint-disable-next-line @nx/enforce-module-boundaries
import { PEERS_QUEUE } from '../../../../migrations/1764347390000-CreatePeerBenchmark.js';
import { SCHEDULES } from '../../src/modules/jobs/job-runner.js';
import { PeersService } from '../../src/modules/peers/peers.service.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Seeded {
  bank: string;
  cell: PeerCell;
  score: number;
  status?: 'signed' | 'draft';
  optedIn?: boolean;
  domains?: Record<string, number>;
}
interface CohortRow {
  bank_version: string;
  service_type: string;
  size_band: string;
  jurisdiction_group: string;
  size: number;
  overall: { q1: number; median: number; q3: number };
  domains: { domainId: string; q1: number; median: number; q3: number }[];
}

const cell = (serviceType = 'search', sizeBand: PeerCell['sizeBand'] = 'small', jurisdictionGroup: PeerCell['jurisdictionGroup'] = 'UK'): PeerCell => ({
  serviceType,
  sizeBand,
  jurisdictionGroup,
});
const many = (n: number, bank: string, c: PeerCell, extra: Partial<Seeded> = {}, score = (i: number) => 10 * (i + 1)): Seeded[] =>
  Array.from({ length: n }, (_, i) => ({ bank, cell: c, score: score(i), ...extra }));

/**
 * The peer benchmark (docs/PRODUCT.md §16.4): opt-in, signed assessments on one bank major.minor,
 * cohorts of at least 10 that no nested cohort can be differenced against, figures made once a month
 * by the database function that alone reads across organisations.
 */
describe('peer benchmark (docs/PRODUCT.md §16.4, docs/API.md peers)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let org: string;
  let other: SignedInUser;
  let rows: CohortRow[];
  const random: Seeded[] = [];

  /** Organisations with a signed (or draft) assessment and, when opted in, their contribution: straight into the tables, as the bench does. */
  const seed = async (orgs: Seeded[]): Promise<void> => {
    const ids = orgs.map(() => randomUUID());
    await t.ownerQuery(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::bool[], $9::jsonb[])
           AS x(org, bank, s, z, j, score, status, opted, domains)),
       o AS (INSERT INTO organisations (organisation_id, name) SELECT org, 'Peer ' || org FROM input RETURNING 1),
       a AS (INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, status, created_by, signed_at, signed_score)
             SELECT org, org, 'Seeded', 'hoh-csam', bank, status, $10, CASE WHEN status = 'signed' THEN now() END, CASE WHEN status = 'signed' THEN score END
             FROM input RETURNING 1)
       INSERT INTO peer_contributions (organisation_id, opted_in_at, opted_in_by, assessment_id, service_type, size_band, jurisdiction_group, domains, refreshed_at)
       SELECT org, now(), $10, org, s, z, j, domains, now() FROM input WHERE opted`,
      [
        ids,
        orgs.map((o) => o.bank),
        orgs.map((o) => o.cell.serviceType),
        orgs.map((o) => o.cell.sizeBand),
        orgs.map((o) => o.cell.jurisdictionGroup),
        orgs.map((o) => o.score),
        orgs.map((o) => o.status ?? 'signed'),
        orgs.map((o) => o.optedIn ?? true),
        orgs.map((o) => JSON.stringify(o.domains ?? { D1: o.score })),
        owner.me.user.id,
      ],
    );
  };
  const cohorts = (bank: string): CohortRow[] => rows.filter((r) => r.bank_version === bank);
  const ids = (bank: string): string[] =>
    cohorts(bank)
      .map((r) => cohortId({ serviceType: r.service_type, sizeBand: r.size_band, jurisdictionGroup: r.jurisdiction_group }))
      .sort();
  const peers = async (user: SignedInUser): Promise<PeerComparison> => PeerComparisonSchema.parse((await as(t, user).get(`/api/v1/orgs/${org}/peers`).expect(200)).body);

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.PEERS_LOG ?? 'silent' });
    [owner, other] = await Promise.all([signUp(t), signUp(t)]);
    org = orgOf(owner);
    await as(t, owner).put(`/api/v1/orgs/${org}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lets only an owner opt in (403 otherwise), audits it, and contributes the newest signed assessment from its sign-off on', async () => {
    const assessor = await addMember(t, org, 'assessor');
    await as(t, assessor).put(`/api/v1/orgs/${org}/peers/settings`).send({ optIn: true }).expect(403);
    expect((await as(t, owner).put(`/api/v1/orgs/${org}/peers/settings`).send({ optIn: 'yes' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect(await peers(assessor)).toMatchObject({ optedIn: false, reason: 'not_opted_in', cohort: null });
    const joined = PeerComparisonSchema.parse((await as(t, owner).put(`/api/v1/orgs/${org}/peers/settings`).send({ optIn: true }).expect(200)).body);
    expect(joined).toMatchObject({ optedIn: true, reason: 'no_signed_assessment', you: null });

    const base = `/api/v1/orgs/${org}/assessments`;
    const a = (await as(t, owner).post(base).send({}).expect(201)).body as { id: string };
    await as(t, owner).put(`${base}/${a.id}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).post(`${base}/${a.id}/submit`).expect(200);
    const check = (await as(t, owner).get(`${base}/${a.id}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, owner)
      .post(`${base}/${a.id}/sign-off`)
      .send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } })
      .expect(200);
    const [mine] = await t.ownerQuery<{ assessment_id: string; service_type: string; size_band: string; jurisdiction_group: string; domains: Record<string, number> }>(
      `SELECT assessment_id, service_type, size_band, jurisdiction_group, domains FROM peer_contributions WHERE organisation_id = $1`,
      [org],
    );
    expect(mine).toMatchObject({ assessment_id: a.id, service_type: 'user_to_user', size_band: 'medium', jurisdiction_group: 'multi' });
    expect(Object.keys(mine!.domains).length).toBeGreaterThan(0);
    const before = await peers(owner);
    expect(before).toMatchObject({ optedIn: true, reason: 'no_published_cohort', cohort: null, you: { assessmentId: a.id } });
    const audit = (await as(t, owner).get(`/api/v1/orgs/${org}/audit-log`).expect(200)).body as AuditLogPage;
    expect(audit.items.map((e) => e.action)).toContain('peers.opted_in');
  });

  it('publishes crafted cohorts by the rule: 9 none, 10 all, 10 in 20 both, 10 in 15 or 12 only the larger; opted-out, unsigned and other bank versions left out', async () => {
    const you = (await peers(owner)).you!;
    const us = cell('user_to_user', 'medium', 'multi');
    await seed([
      ...many(9, '9.1.0', cell()),
      // 9.2: six on 9.2.0 and four on 9.2.3 are one population; five on 9.9.0 are not in it.
      ...many(6, '9.2.0', cell()),
      ...many(4, '9.2.3', cell(), {}, (i) => 70 + 10 * i),
      ...many(5, '9.9.0', cell()),
      ...many(10, '9.3.0', cell('search', 'small', 'UK')),
      ...many(10, '9.3.0', cell('search', 'small', 'EU')),
      ...many(10, '9.4.0', cell('search', 'small', 'UK')),
      ...many(5, '9.4.0', cell('search', 'small', 'EU')),
      ...many(10, '9.5.0', cell('search', 'small', 'UK')),
      ...many(2, '9.5.0', cell('search', 'small', 'EU')),
      // 9.6: ten in, five signed but not opted in. 9.7: ten signed, three whose contribution names a draft.
      ...many(10, '9.6.0', cell()),
      ...many(5, '9.6.0', cell(), { optedIn: false }),
      ...many(10, '9.7.0', cell()),
      ...many(3, '9.7.0', cell(), { status: 'draft' }),
      // Eleven like the organisation itself, on its bank: with it, twelve.
      ...many(11, `${you.bankVersion}.0`, us, {}, (i) => 5 * i),
    ]);
    // A random population, checked against the pure rules of libs/contracts (the SQL mirrors them).
    let state = 31;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let i = 0; i < 90; i++) {
      const c = cell(['search', 'genai'][next(2)], (['small', 'medium'] as const)[next(2)], (['UK', 'EU', 'multi'] as const)[next(3)]);
      const score = next(1000) / 10;
      random.push({ bank: '8.1.0', cell: c, score, domains: next(9) === 0 ? { D1: score } : { D1: score, D2: 100 - score } });
    }
    await seed(random);

    const peersService = t.app.get(PeersService);
    const run = await peersService.compute(new Date('2027-01-01T03:00:00Z'));
    expect(run).toMatchObject({ period: '2027-01', recomputed: true });
    rows = await t.ownerQuery<CohortRow>(`SELECT bank_version, service_type, size_band, jurisdiction_group, size, overall, domains FROM peer_cohorts`);

    expect(cohorts('9.1')).toEqual([]);
    expect(cohorts('9.2')).toHaveLength(8);
    expect(cohorts('9.2').every((r) => r.size === 10)).toBe(true);
    // 10, 20, …, 60 and 70, 80, 90, 100: percentile_cont, whole points, half up.
    expect(cohorts('9.2')[0]!.overall).toEqual({ q1: 33, median: 55, q3: 78 });
    expect(cohorts('9.9')).toEqual([]);
    expect(ids('9.3')).toContain('search|small|UK');
    expect(ids('9.3')).toContain('search|small|*');
    expect(ids('9.4')).not.toContain('search|small|UK');
    expect(ids('9.4')).toContain('search|small|*');
    expect(ids('9.5')).not.toContain('search|small|UK');
    expect(cohorts('9.5').find((r) => r.service_type === 'search' && r.jurisdiction_group === '*' && r.size_band === 'small')?.size).toBe(12);
    expect(cohorts('9.6').every((r) => r.size === 10)).toBe(true);
    expect(cohorts('9.7').every((r) => r.size === 10)).toBe(true);

    const expected = countCohorts(random.map((r) => r.cell));
    const published = publishedCohorts(expected);
    expect(ids('8.1')).toEqual([...published].sort());
    for (const row of cohorts('8.1')) {
      const id = cohortId({ serviceType: row.service_type, sizeBand: row.size_band, jurisdictionGroup: row.jurisdiction_group });
      const members = random.filter((r) => (row.service_type === '*' || r.cell.serviceType === row.service_type) && (row.size_band === '*' || r.cell.sizeBand === row.size_band) && (row.jurisdiction_group === '*' || r.cell.jurisdictionGroup === row.jurisdiction_group));
      expect(row.size).toBe(expected.get(id)!.size);
      expect(row.overall).toEqual(peerFigures(members.map((m) => m.score)));
      const d2 = members.filter((m) => m.domains!.D2 !== undefined);
      // A domain only some members have a score in is not shown for that cohort.
      expect(row.domains.map((d) => d.domainId)).toEqual(d2.length === members.length ? ['D1', 'D2'] : ['D1']);
    }
  });

  it('shows the organisation its finest published cohort: median, quartiles, size and date; nothing of the cohort’s members', async () => {
    const view = await peers(owner);
    expect(view.reason).toBeNull();
    expect(view.cohort).toMatchObject({ serviceType: 'user_to_user', sizeBand: 'medium', jurisdictionGroup: 'multi', size: 12, computedAt: '2027-01-01T03:00:00.000Z' });
    const mine = view.you!.score;
    expect(view.cohort!.overall).toEqual(peerFigures([...Array.from({ length: 11 }, (_, i) => 5 * i), (await t.ownerQuery<{ s: number }>(`SELECT signed_score AS s FROM assessments WHERE organisation_id = $1 AND status = 'signed'`, [org]))[0]!.s]));
    expect(Number.isInteger(mine)).toBe(true);
    expect(JSON.stringify(view)).not.toMatch(/organisationId|organisation_id/);
  });

  it('gives the request role aggregates only: its own contribution, counts from the function, no write to the figures, one run a month', async () => {
    const asApp = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => {
      const client = new pg.Client({ connectionString: t.db.appUrl });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)`, [orgOf(other), other.me.user.id]);
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end();
      }
    };
    expect(await asApp(`SELECT * FROM peer_contributions`)).toEqual([]);
    expect(await asApp(`SELECT signed_score FROM assessments WHERE status = 'signed'`)).toEqual([]);
    const again = await asApp<{ period: string; contributors: number; recomputed: boolean }>(`SELECT * FROM hoh_peer_compute('2027-01-20T00:00:00Z')`);
    expect(again).toEqual([expect.objectContaining({ period: '2027-01', recomputed: false })]);
    expect(Object.keys(again[0]!).sort()).toEqual(['cohorts', 'computed_at', 'contributors', 'period', 'recomputed']);
    await expect(asApp(`INSERT INTO peer_cohorts VALUES ('1.0', '*', '*', '*', 10, now(), '{}', '[]')`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`DELETE FROM peer_runs`)).rejects.toThrow(/permission denied/);
    const columns = await t.ownerQuery<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('peer_cohorts', 'peer_runs') AND (data_type = 'uuid' OR column_name LIKE '%organisation_id%')`,
    );
    expect(columns).toEqual([]);
    expect(SCHEDULES).toContainEqual({ queue: PEERS_QUEUE.name, cron: '0 3 1 * *' });
  });

  it('opting out deletes the contribution at once, is audited, and shows nothing', async () => {
    const left = PeerComparisonSchema.parse((await as(t, owner).put(`/api/v1/orgs/${org}/peers/settings`).send({ optIn: false }).expect(200)).body);
    expect(left).toMatchObject({ optedIn: false, reason: 'not_opted_in', cohort: null, you: null });
    expect(await t.ownerQuery(`SELECT 1 FROM peer_contributions WHERE organisation_id = $1`, [org])).toEqual([]);
    const audit = (await as(t, owner).get(`/api/v1/orgs/${org}/audit-log`).expect(200)).body as AuditLogPage;
    expect(audit.items.map((e) => e.action)).toContain('peers.opted_out');
    // Another organisation's owner cannot reach this one's peers (404 as every route of an organisation one is not in).
    await as(t, other).get(`/api/v1/orgs/${org}/peers`).expect(404);
  });
});
