import type { MigrationInterface, QueryRunner } from 'typeorm';

import { JOB_SCHEMA } from './1764347230000-CreateJobQueue.js';

export { JOB_SCHEMA };

/**
 * What hoh_app may do in pg-boss's schema, and the queues it works. pg-boss 10 gives each queue its
 * own partition table, created by `create_queue` with DDL; hoh_app owns nothing and cannot run DDL,
 * so every queue is created here (a new kind of job = a line here and a handler in JobRunner).
 * hoh_app reads and writes jobs, schedules and the version row (where pg-boss records which process
 * last ran maintenance and cron, so only one does), and only reads the queue list.
 *
 * Retries: each job is tried up to 1 + retryLimit times with exponential backoff from retryDelay
 * seconds; then it stays in pgboss.job with state 'failed' and the error in `output` (docs/SCALING.md).
 */
export const JOB_QUEUES = {
  // Every 5 minutes: find due reminders across organisations and send each once.
  reminders: { name: 'hoh-reminders', options: { policy: 'standard', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 600 } },
  // Hourly: purge expired sessions and throttle rows past their retention.
  housekeeping: { name: 'hoh-housekeeping', options: { policy: 'standard', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 600 } },
} as const;

export class GrantJobQueue1764347231000 implements MigrationInterface {
  name = 'GrantJobQueue1764347231000';

  async up(q: QueryRunner): Promise<void> {
    // pg-boss's own cron hand-off queue; pg-boss tries to create it at start and ignores the refusal.
    await q.query(`SELECT ${JOB_SCHEMA}.create_queue('__pgboss__send-it', '{"policy":"standard"}'::json)`);
    for (const queue of Object.values(JOB_QUEUES)) await q.query(`SELECT ${JOB_SCHEMA}.create_queue($1, $2::json)`, [queue.name, JSON.stringify(queue.options)]);
    await q.query(`GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO hoh_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO hoh_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON ${JOB_SCHEMA}.queue FROM hoh_app`);
    await q.query(`REVOKE INSERT, DELETE ON ${JOB_SCHEMA}.version FROM hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} FROM hoh_app`);
    await q.query(`REVOKE USAGE ON SCHEMA ${JOB_SCHEMA} FROM hoh_app`);
    for (const queue of Object.values(JOB_QUEUES)) await q.query(`SELECT ${JOB_SCHEMA}.delete_queue($1)`, [queue.name]);
  }
}
