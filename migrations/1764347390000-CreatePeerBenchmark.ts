import type { MigrationInterface, QueryRunner } from 'typeorm';

import { JOB_SCHEMA } from './1764347230000-CreateJobQueue.js';

/** The monthly recomputation's queue (created here: hoh_app cannot run pg-boss's DDL; see 1764347231000-GrantJobQueue). */
export const PEERS_QUEUE = {
  name: 'hoh-peers',
  // One run a month, idempotent within its month (peer_runs), so a failed run is simply retried.
  options: { policy: 'standard', retryLimit: 4, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 },
} as const;

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

// A published cohort `p` strictly containing the candidate `c` (p fixes fewer dimensions, to the same values).
const CONTAINS = `p.bank = c.bank AND (p.s = '*' OR p.s = c.s) AND (p.z = '*' OR p.z = c.z) AND (p.j = '*' OR p.j = c.j)`;
const CLOSE = `p.n - c.n BETWEEN 1 AND 9`;
const figures = (a: string) => `jsonb_build_object('q1', round(${a}[1]::numeric)::int, 'median', round(${a}[2]::numeric)::int, 'q3', round(${a}[3]::numeric)::int)`;

/**
 * The peer benchmark (issue 31, docs/PRODUCT.md §16.4).
 *
 * - `peer_contributions`: a tenant table, one row per organisation that opted in, written only in its
 *   own transaction (opting in, and each sign-off while in): which signed assessment it contributes,
 *   its lattice cell (from the profile it signed with, libs/contracts peerCell) and its domain scores.
 *   Opting out deletes the row.
 * - `peer_cohorts` and `peer_runs`: what is published, holding **no organisation ids**: cohort key,
 *   bank major.minor, size, computed_at and rounded quartiles; and one row per monthly run.
 * - `hoh_peer_compute(at)`: SECURITY DEFINER, owned by the NOLOGIN role hoh_lookup. Once per calendar
 *   month (a second call in the same month returns that month's run unchanged, so nobody can
 *   recompute at will and difference two runs), it reads the contributions whose assessment is
 *   signed, counts every cohort of the lattice by bank major.minor, publishes by the rule of
 *   libs/contracts peers.ts (≥ 10, and nested published cohorts differ by 0 or ≥ 10, decided coarse to
 *   fine) and writes medians and quartiles rounded to whole points. It returns the run's counts only:
 *   the request role can read no organisation-level input through it.
 */
export class CreatePeerBenchmark1764347390000 implements MigrationInterface {
  name = 'CreatePeerBenchmark1764347390000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE peer_contributions (
        organisation_id    uuid PRIMARY KEY REFERENCES organisations (organisation_id),
        opted_in_at        timestamptz NOT NULL,
        opted_in_by        uuid NOT NULL REFERENCES users (id),
        assessment_id      uuid,
        service_type       text,
        size_band          text CHECK (size_band IN ('small', 'medium', 'large')),
        jurisdiction_group text,
        domains            jsonb NOT NULL DEFAULT '{}',
        refreshed_at       timestamptz NOT NULL,
        CHECK ((service_type IS NULL) = (size_band IS NULL) AND (size_band IS NULL) = (jurisdiction_group IS NULL))
      )`);
    await q.query(`
      CREATE TABLE peer_cohorts (
        bank_version       text NOT NULL,
        service_type       text NOT NULL,
        size_band          text NOT NULL,
        jurisdiction_group text NOT NULL,
        size               integer NOT NULL CHECK (size >= 10),
        computed_at        timestamptz NOT NULL,
        overall            jsonb NOT NULL,
        domains            jsonb NOT NULL,
        PRIMARY KEY (bank_version, service_type, size_band, jurisdiction_group)
      )`);
    await q.query(`
      CREATE TABLE peer_runs (
        period        text PRIMARY KEY,
        computed_at   timestamptz NOT NULL,
        contributors  integer NOT NULL,
        cohorts       integer NOT NULL
      )`);
    await q.query(`ALTER TABLE peer_contributions ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE peer_contributions FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON peer_contributions USING (${TENANT}) WITH CHECK (${TENANT})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON peer_contributions TO hoh_app`);
    // Published figures hold no tenant data and are for every signed-in organisation (global tables,
    // like report_signing_keys: no row-level security). Privileges decide: hoh_app reads, only the
    // function (as hoh_lookup) writes.
    for (const table of ['peer_cohorts', 'peer_runs']) {
      await q.query(`REVOKE ALL ON ${table} FROM PUBLIC`);
      await q.query(`GRANT SELECT ON ${table} TO hoh_app`);
      await q.query(`GRANT SELECT, INSERT, DELETE ON ${table} TO hoh_lookup`);
    }
    // What the function reads across tenants: the contributions and their signed assessments, nothing more.
    await q.query(`CREATE POLICY peer_compute_read ON peer_contributions FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (organisation_id, assessment_id, service_type, size_band, jurisdiction_group, domains) ON peer_contributions TO hoh_lookup`);
    await q.query(`CREATE POLICY peer_compute_read ON assessments FOR SELECT TO hoh_lookup USING (status = 'signed')`);
    await q.query(`GRANT SELECT (organisation_id, id, status, framework_version, signed_score) ON assessments TO hoh_lookup`);

    await q.query(`
      CREATE FUNCTION hoh_peer_compute(p_at timestamptz)
      RETURNS TABLE (period text, computed_at timestamptz, contributors integer, cohorts integer, recomputed boolean)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
      DECLARE
        v_period text := to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM');
        v_contributors integer;
        v_cohorts integer;
      BEGIN
        -- Two workers starting the same month's run: the second waits, then finds it done.
        PERFORM pg_advisory_xact_lock(hashtext('hoh_peer_compute'));
        IF EXISTS (SELECT 1 FROM peer_runs r WHERE r.period = v_period) THEN
          RETURN QUERY SELECT r.period, r.computed_at, r.contributors, r.cohorts, false FROM peer_runs r WHERE r.period = v_period;
          RETURN;
        END IF;
        DELETE FROM peer_cohorts WHERE true;
        WITH inputs AS MATERIALIZED (
          SELECT substring(a.framework_version from '^[0-9]+\\.[0-9]+') AS bank, c.service_type AS s, c.size_band AS z, c.jurisdiction_group AS j,
                 a.signed_score AS score, c.domains
          FROM peer_contributions c JOIN assessments a ON a.organisation_id = c.organisation_id AND a.id = c.assessment_id
          WHERE a.status = 'signed' AND a.signed_score IS NOT NULL AND c.service_type IS NOT NULL
            AND a.framework_version ~ '^[0-9]+\\.[0-9]+'
        ),
        counted AS MATERIALIZED (
          SELECT bank, COALESCE(s, '*') AS s, COALESCE(z, '*') AS z, COALESCE(j, '*') AS j, count(*)::int AS n,
                 (s IS NOT NULL)::int + (z IS NOT NULL)::int + (j IS NOT NULL)::int AS lvl,
                 percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY score) AS overall
          FROM inputs GROUP BY bank, GROUPING SETS ((s, z, j), (s, z), (s, j), (z, j), (s), (z), (j), ())
        ),
        p0 AS (SELECT c.* FROM counted c WHERE c.lvl = 0 AND c.n >= 10),
        p1 AS (SELECT c.* FROM counted c WHERE c.lvl = 1 AND c.n >= 10 AND NOT EXISTS (SELECT 1 FROM p0 p WHERE ${CONTAINS} AND ${CLOSE})),
        p2 AS (SELECT c.* FROM counted c WHERE c.lvl = 2 AND c.n >= 10
                 AND NOT EXISTS (SELECT 1 FROM (SELECT * FROM p0 UNION ALL SELECT * FROM p1) p WHERE ${CONTAINS} AND ${CLOSE})),
        p3 AS (SELECT c.* FROM counted c WHERE c.lvl = 3 AND c.n >= 10
                 AND NOT EXISTS (SELECT 1 FROM (SELECT * FROM p0 UNION ALL SELECT * FROM p1 UNION ALL SELECT * FROM p2) p WHERE ${CONTAINS} AND ${CLOSE})),
        published AS MATERIALIZED (SELECT * FROM p0 UNION ALL SELECT * FROM p1 UNION ALL SELECT * FROM p2 UNION ALL SELECT * FROM p3),
        domain_scores AS (
          SELECT i.bank, i.s, i.z, i.j, d.key AS domain_id, d.value::text::float8 AS score
          FROM inputs i CROSS JOIN LATERAL jsonb_each(i.domains) d WHERE jsonb_typeof(d.value) = 'number'
        ),
        domain_counted AS MATERIALIZED (
          SELECT bank, domain_id, COALESCE(s, '*') AS s, COALESCE(z, '*') AS z, COALESCE(j, '*') AS j, count(*)::int AS n,
                 percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY score) AS q
          FROM domain_scores GROUP BY bank, domain_id, GROUPING SETS ((s, z, j), (s, z), (s, j), (z, j), (s), (z), (j), ())
        ),
        -- A domain is shown only when every organisation of the cohort has a score in it, so its
        -- figures come from exactly the published cohort and never from a smaller group.
        domain_figures AS (
          SELECT d.bank, d.s, d.z, d.j, jsonb_agg(${figures('d.q')} || jsonb_build_object('domainId', d.domain_id) ORDER BY d.domain_id) AS domains
          FROM domain_counted d JOIN published p ON p.bank = d.bank AND p.s = d.s AND p.z = d.z AND p.j = d.j AND p.n = d.n
          GROUP BY d.bank, d.s, d.z, d.j
        )
        INSERT INTO peer_cohorts (bank_version, service_type, size_band, jurisdiction_group, size, computed_at, overall, domains)
        SELECT p.bank, p.s, p.z, p.j, p.n, p_at, ${figures('p.overall')}, COALESCE(f.domains, '[]'::jsonb)
        FROM published p LEFT JOIN domain_figures f ON f.bank = p.bank AND f.s = p.s AND f.z = p.z AND f.j = p.j;
        GET DIAGNOSTICS v_cohorts = ROW_COUNT;
        SELECT count(*)::int INTO v_contributors
        FROM peer_contributions c JOIN assessments a ON a.organisation_id = c.organisation_id AND a.id = c.assessment_id
        WHERE a.status = 'signed' AND a.signed_score IS NOT NULL AND c.service_type IS NOT NULL;
        INSERT INTO peer_runs (period, computed_at, contributors, cohorts) VALUES (v_period, p_at, v_contributors, v_cohorts);
        RETURN QUERY SELECT v_period, p_at, v_contributors, v_cohorts, true;
      END
      $fn$`);
    await q.query(`ALTER FUNCTION hoh_peer_compute(timestamptz) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_peer_compute(timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_peer_compute(timestamptz) TO hoh_app`);

    await q.query(`SELECT ${JOB_SCHEMA}.create_queue($1, $2::json)`, [PEERS_QUEUE.name, JSON.stringify(PEERS_QUEUE.options)]);
    // pg-boss 10 gives each queue its own partition table: grant hoh_app on it as on the others.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO hoh_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON ${JOB_SCHEMA}.queue FROM hoh_app`);
    await q.query(`REVOKE INSERT, DELETE ON ${JOB_SCHEMA}.version FROM hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${JOB_SCHEMA}.delete_queue($1)`, [PEERS_QUEUE.name]);
    await q.query(`DROP FUNCTION IF EXISTS hoh_peer_compute(timestamptz)`);
    await q.query(`DROP POLICY IF EXISTS peer_compute_read ON assessments`);
    await q.query(`REVOKE SELECT ON assessments FROM hoh_lookup`);
    await q.query(`DROP TABLE IF EXISTS peer_runs, peer_cohorts, peer_contributions`);
  }
}
