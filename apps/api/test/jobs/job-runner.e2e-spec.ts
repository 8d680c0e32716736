import { randomBytes } from 'node:crypto';

import { HousekeepingService } from '../../src/modules/jobs/housekeeping.service.js';
import { JobRunner } from '../../src/modules/jobs/job-runner.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { JOB_QUEUES } from '../../../../migrations/1764347231000-GrantJobQueue.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';
import { signUp } from '../support/session.js';
import { drainPgBossShutdown } from './pg-boss-drain.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Waits (in real time: pg-boss runs on the database's clock) until a job reaches one of `states`. */
async function settle(runner: JobRunner, queue: string, id: string, states: string[], withinMs = 20_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const job = await runner.job(queue, id);
    if (job && states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is ${job?.state ?? 'missing'} after ${withinMs} ms, expected ${states.join(' or ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scheduled jobs on pg-boss (docs/SCALING.md, scheduled jobs)', () => {
  const clock = new TestClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_WORKER: 'true', SESSION_RETENTION_DAYS: '7', THROTTLE_RETENTION_HOURS: '24' }, { clock });
  });

  let restarted: Awaited<ReturnType<typeof startTestAppOn>> | null = null;

  afterAll(async () => {
    // t.close() closes the first process and drops the database; a restarted one is closed first.
    await restarted?.close();
    await t?.close();
    await drainPgBossShutdown();
  });

  it('runs as hoh_app with its schedules in place, and works a queued job once', async () => {
    const runner = t.app.get(JobRunner);
    expect(runner.running).toBe(true);
    const schedules = await t.ownerQuery<{ name: string; cron: string }>(`SELECT name, cron FROM pgboss.schedule ORDER BY name`);
    expect(schedules).toEqual([
      { name: 'hoh-evidence-storage', cron: '*/5 * * * *' },
      { name: JOB_QUEUES.housekeeping.name, cron: '17 * * * *' },
      { name: 'hoh-mail', cron: '* * * * *' },
      { name: 'hoh-peers', cron: '0 3 1 * *' },
      { name: JOB_QUEUES.reminders.name, cron: '*/5 * * * *' },
    ]);
    const id = await runner.send(JOB_QUEUES.reminders.name);
    const job = await settle(runner, JOB_QUEUES.reminders.name, id, ['completed', 'failed']);
    expect(job).toMatchObject({ state: 'completed', retryCount: 0 });
    expect(job.output).toMatchObject({ sent: 0 });
  });

  it('retries a failing job with backoff, then parks it as failed with its error kept for operators', async () => {
    const runner = t.app.get(JobRunner);
    // Fault injection: the scan cannot reach its function.
    await t.ownerQuery(`REVOKE EXECUTE ON FUNCTION hoh_due_reminders(timestamptz, integer) FROM hoh_app`);
    try {
      const id = await runner.send(JOB_QUEUES.reminders.name, { retryLimit: 1, retryDelay: 1, retryBackoff: true });
      const job = await settle(runner, JOB_QUEUES.reminders.name, id, ['failed']);
      expect(job.retryCount).toBe(1);
      expect(JSON.stringify(job.output)).toContain('permission denied for function hoh_due_reminders');
      const parked = await runner.failedJobs();
      expect(parked.find((p) => p.id === id)).toMatchObject({ name: JOB_QUEUES.reminders.name, retryCount: 1 });
    } finally {
      await t.ownerQuery(`GRANT EXECUTE ON FUNCTION hoh_due_reminders(timestamptz, integer) TO hoh_app`);
    }
  });

  it('purges sessions expired past SESSION_RETENTION_DAYS and throttle windows ended past THROTTLE_RETENTION_HOURS, keeping the rest', async () => {
    // Only this test purges: no scheduled housekeeping (its cron is :17 past the hour) may run between.
    await t.ownerQuery(`DELETE FROM pgboss.schedule`);
    const userId = (await signUp(t)).me.user.id;
    await t.ownerQuery(`DELETE FROM sessions`);
    await t.ownerQuery(`DELETE FROM auth_throttle`);
    const now = clock.now().getTime();
    const session = async (expiresAgoMs: number) => {
      const hash = randomBytes(32);
      await t.ownerQuery(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, 'x', $3)`, [hash, userId, new Date(now - expiresAgoMs)]);
      return hash.toString('hex');
    };
    const oldSession = await session(8 * DAY);
    const recentlyExpired = await session(6 * DAY);
    const live = await session(-HOUR);
    const throttle = async (bucket: string, startedAgoMs: number, windowSeconds: number) =>
      t.ownerQuery(`INSERT INTO auth_throttle (bucket, attempts, window_started_at, window_seconds) VALUES ($1, 3, $2, $3)`, [bucket, new Date(now - startedAgoMs), windowSeconds]);
    await throttle('old', 30 * HOUR, 900);
    await throttle('recent', 2 * HOUR, 900);
    await throttle('long-window', 24.5 * HOUR, 24 * 3600); // started before the cutoff, ended 30 minutes ago

    const purged = await t.app.get(HousekeepingService).purge();
    expect(purged).toMatchObject({ sessions: 1, throttleRows: 1 });
    const sessions = (await t.ownerQuery<{ h: string }>(`SELECT encode(token_hash, 'hex') AS h FROM sessions`)).map((r) => r.h);
    expect(sessions).toEqual(expect.arrayContaining([recentlyExpired, live]));
    expect(sessions).not.toContain(oldSession);
    expect((await t.ownerQuery<{ bucket: string }>(`SELECT bucket FROM auth_throttle ORDER BY bucket`)).map((r) => r.bucket)).toEqual(['long-window', 'recent']);

    // Time moves on: the session that expired 6 days ago passes its retention too.
    clock.advance(2 * DAY);
    expect(await t.app.get(HousekeepingService).purge()).toMatchObject({ sessions: 1, throttleRows: 2 });
  });
  it('keeps a job queued across a restart: a job sent while no runner works it runs when one starts', async () => {
    const id = await t.app.get(JobRunner).send(JOB_QUEUES.housekeeping.name, { startAfter: 2 });
    await t.app.close();
    restarted = await startTestAppOn(t, clock);
    const job = await settle(restarted.get(JobRunner), JOB_QUEUES.housekeeping.name, id, ['completed', 'failed']);
    expect(job.state).toBe('completed');
  });
});

/** A second boot of the same database (a restarted process), as startTestApp boots it. */
async function startTestAppOn(t: TestApp, clock: TestClock) {
  const { buildConfig, createApp } = await import('../../src/bootstrap.js');
  const { parseEnv } = await import('../../src/config/env.schema.js');
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', JOBS_WORKER: 'true' });
  const app = await createApp(buildConfig(env, { ownerUrl: t.db.ownerUrl, appUrl: t.db.appUrl, embedded: null }, null, clock));
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
