import type { MigrationInterface, QueryRunner } from 'typeorm';
import PgBoss from 'pg-boss';

/** pg-boss's own schema name; JobRunner (apps/api/src/modules/jobs) uses the same. */
export const JOB_SCHEMA = 'pgboss';

/**
 * The scheduled-work queue (issue 28): pg-boss 10's schema, created here by the owner because the
 * request-serving role owns nothing and pg-boss would otherwise create and migrate its schema from
 * the API process at start (JobRunner starts it with `migrate: false`, so a schema from another
 * pg-boss version stops the boot with pg-boss's own "requires migrations" error instead of being
 * altered by hoh_app). The plan pg-boss hands out carries its own BEGIN/advisory lock/COMMIT, so this
 * migration runs outside TypeORM's transaction; grants and queues follow in the next migration.
 */
export class CreateJobQueue1764347230000 implements MigrationInterface {
  name = 'CreateJobQueue1764347230000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const [existing] = (await q.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [JOB_SCHEMA])) as unknown[];
    if (existing) return;
    await q.query(PgBoss.getConstructionPlans(JOB_SCHEMA));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS ${JOB_SCHEMA} CASCADE`);
  }
}
