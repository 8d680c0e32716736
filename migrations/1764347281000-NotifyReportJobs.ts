import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel report workers LISTEN on (apps/api/src/modules/reports/report-worker.ts uses the same). */
export const REPORT_JOBS_CHANNEL = 'hoh_report_jobs';

/**
 * Report jobs wake workers at once (issue 28): a NOTIFY in the same transaction that queues a job.
 * PostgreSQL delivers a notification only when that transaction commits (and drops it on rollback),
 * so a worker woken by it always finds the job committed. A statement-level trigger rather than a
 * line in the service, so every way of queueing a report (the API, a future re-queue, an operator's
 * INSERT) wakes the workers, and one statement queueing many sends one notification. The payload is
 * empty: workers claim through hoh_claim_report_job as before and learn nothing from the channel,
 * which every database login could LISTEN to.
 */
export class NotifyReportJobs1764347281000 implements MigrationInterface {
  name = 'NotifyReportJobs1764347281000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hoh_notify_report_jobs() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pg_notify('${REPORT_JOBS_CHANNEL}', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER reports_notify_queued AFTER INSERT ON reports FOR EACH STATEMENT EXECUTE FUNCTION hoh_notify_report_jobs()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS reports_notify_queued ON reports`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_notify_report_jobs()`);
  }
}
