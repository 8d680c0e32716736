import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import PgBoss from 'pg-boss';

// The queues are created by a migration (hoh_app cannot run pg-boss's DDL), which therefore names them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { JOB_QUEUES, JOB_SCHEMA } from '../../../../../migrations/1764347231000-GrantJobQueue.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { MAIL_QUEUE } from '../../../../../migrations/1764347290000-DeliverMailAndAccounts.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { STORAGE_QUEUE } from '../../../../../migrations/1764347360000-StoreEvidenceObjects.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PEERS_QUEUE } from '../../../../../migrations/1764347390000-CreatePeerBenchmark.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { EvidenceContentMover } from '../evidence/evidence-content-mover.js';
import { MailQueue } from '../mail/mail-queue.js';
import { MailSender } from '../mail/mail-sender.js';
import { TotpService } from '../auth/second-factor/totp.service.js';
import { SsoSecretRotation } from '../sso/sso-secret-rotation.js';
import { StorageKeys } from '../storage/storage-keys.js';
import { PeersService } from '../peers/peers.service.js';
import { HousekeepingService } from './housekeeping.service.js';
import { RemindersService } from './reminders.service.js';

/** When each job runs (UTC cron). pg-boss turns a schedule into one job per minute across all processes. */
export const SCHEDULES = [
  { queue: JOB_QUEUES.reminders.name, cron: '*/5 * * * *' },
  { queue: JOB_QUEUES.housekeeping.name, cron: '17 * * * *' },
  // Every minute: send due mail (a message written now also asks for a run at once, MailQueue.kick).
  { queue: MAIL_QUEUE.name, cron: '* * * * *' },
  // Every 5 minutes: move pre-store evidence bytes into the object store; after a master-key rotation,
  // re-wrap storage keys, TOTP secrets and single sign-on client secrets (docs/SECURITY.md).
  { queue: STORAGE_QUEUE.name, cron: '*/5 * * * *' },
  // The peer benchmark, once a month (docs/PRODUCT.md §16.4): the 1st at 03:00 UTC; a retry in the same month changes nothing.
  { queue: PEERS_QUEUE.name, cron: '0 3 1 * *' },
] as const;

/** How often an idle process asks for work; scheduled jobs are minutes apart, so a second or two is plenty. */
const POLL_SECONDS = 2;
/** SIGTERM waits this long for a job in hand; pg-boss fails (and so retries) one still running after it. */
const STOP_TIMEOUT_MS = 20_000;

/** A job that failed its last try, as an operator sees it (docs/SCALING.md, "Scheduled jobs"). */
export interface FailedJob {
  id: string;
  name: string;
  retryCount: number;
  completedOn: Date | null;
  error: unknown;
}

/**
 * Scheduled work on pg-boss (docs/SCALING.md explains the choice). Every process with JOBS_WORKER
 * (the API's default, and worker.ts always) starts it: jobs live in PostgreSQL so they survive
 * restarts; a job is fetched with SKIP LOCKED, so each runs in one process; a throw retries it with
 * exponential backoff and then parks it as `failed` with the error kept (failedJobs()). pg-boss runs
 * as hoh_app with its own migrations off: its schema and queues come from migrations 1764347230000–1.
 * The handlers take the time from the injected Clock, so tests move time instead of waiting.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('jobs');
  private boss: PgBoss | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly reminders: RemindersService,
    private readonly housekeeping: HousekeepingService,
    private readonly mail: MailSender,
    private readonly mailQueue: MailQueue,
    private readonly peers: PeersService,
    private readonly mover: EvidenceContentMover,
    private readonly storageKeys: StorageKeys,
    private readonly totp: TotpService,
    private readonly ssoSecrets: SsoSecretRotation,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.env.JOBS_WORKER) return;
    const boss = new PgBoss({
      connectionString: this.config.appDatabaseUrl,
      schema: JOB_SCHEMA,
      application_name: 'hand-on-heart-jobs',
      max: 3,
      migrate: false,
      // Cron is checked every 30 s and sent at most once a minute whichever process checks.
      schedule: true,
      supervise: true,
      // A failed job stays listed (failedJobs) for a week, then a week more in pgboss.archive.
      archiveFailedAfterSeconds: 7 * 24 * 3600,
    });
    boss.on('error', (error: Error) => this.logger.error(`Job queue: ${error.message}`));
    await boss.start();
    this.boss = boss;
    for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron, {}, { tz: 'UTC' });
    await this.work(JOB_QUEUES.reminders.name, async () => this.reminders.scan(this.clock.now()));
    await this.work(JOB_QUEUES.housekeeping.name, async () => this.housekeeping.purge(this.clock.now()));
    await this.work(MAIL_QUEUE.name, async () => this.mail.deliverDue(this.clock.now()));
    await this.work(STORAGE_QUEUE.name, async () => ({ rewrapped: (await this.storageKeys.rewrapPending()) + (await this.totp.rewrapPending()) + (await this.ssoSecrets.rewrapPending()), ...(await this.mover.run()) }));
    await this.work(PEERS_QUEUE.name, async () => this.peers.compute(this.clock.now()));
    // A kick two seconds out lets the writer's transaction commit first; kicks within 5 s share one run.
    this.mailQueue.attach(() => this.send(MAIL_QUEUE.name, { startAfter: 2, singletonKey: 'kick', singletonSeconds: 5 }).catch(() => undefined));
  }

  async onModuleDestroy(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    this.mailQueue.detach();
    await boss?.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
  }

  /** Whether this process runs jobs (JOBS_WORKER and started). */
  get running(): boolean {
    return this.boss !== null;
  }

  /** Queues a job now (tests, and an operator re-running one); answers its id. */
  async send(queue: string, options: PgBoss.SendOptions = {}): Promise<string> {
    const id = await this.started().send(queue, {}, options);
    if (!id) throw new Error(`pg-boss refused a job for ${queue}`);
    return id;
  }

  async job(queue: string, id: string): Promise<{ state: string; retryCount: number; output: unknown } | null> {
    const job = await this.started().getJobById(queue, id);
    return job ? { state: job.state, retryCount: job.retryCount, output: job.output } : null;
  }

  /** Jobs parked after their last try, newest first, with the error each failed with. */
  async failedJobs(limit = 50): Promise<FailedJob[]> {
    const { rows } = await this.started()
      .getDb()
      .executeSql(
        `SELECT id, name, retry_count, completed_on, output FROM ${JOB_SCHEMA}.job WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT $1`,
        [limit],
      );
    return (rows as { id: string; name: string; retry_count: number; completed_on: Date | null; output: unknown }[]).map((r) => ({
      id: r.id,
      name: r.name,
      retryCount: r.retry_count,
      completedOn: r.completed_on,
      error: r.output,
    }));
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('Jobs are not running in this process: set JOBS_WORKER=true (the default) or run worker.ts');
    return this.boss;
  }

  private async work(queue: string, run: () => Promise<unknown>): Promise<void> {
    await this.started().work(queue, { pollingIntervalSeconds: POLL_SECONDS, batchSize: 1 }, async ([job]) => {
      try {
        return await run();
      } catch (error) {
        // pg-boss keeps the error on the job; the log says which try this was.
        this.logger.error(`Job ${queue} ${job?.id ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    });
  }
}
