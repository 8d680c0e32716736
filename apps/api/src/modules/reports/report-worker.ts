import { performance } from 'node:perf_hooks';

import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';

import type { ReportManifest, Role } from '@hoh/contracts';

import type { MemberContext } from '../../common/auth/access.decorators.js';
// The channel is named where the trigger that notifies on it is created.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { REPORT_JOBS_CHANNEL } from '../../../../../migrations/1764347281000-NotifyReportJobs.js';
import { AppConfig } from '../../config/app-config.js';
import { currentMember, runAsMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { GroupReportsService } from './group-reports.service.js';
import { ReportModelGatherer, resultsSha256 } from './report-model.gatherer.js';
import { sha256Hex, SigningKeyService } from './signing-key.service.js';

interface Claim {
  organisation_id: string;
  report_id: string;
  attempts: number;
}

// pdfkit and its font machinery are a sizeable share of the API's module loading; only a process
// that actually renders loads them, and only when its first job arrives (bench/startup.bench.mjs).
let renderer: Promise<typeof import('@hoh/report-pdf')> | null = null;
const loadRenderer = () => (renderer ??= import('@hoh/report-pdf'));

/** A job still `rendering` after this long belongs to a process that died; another may take it. */
export const STALE_SECONDS = 5 * 60;
/**
 * The safety poll: a NOTIFY wakes workers at once, so the poll only finds what no notification
 * announced (a job orphaned by a crashed worker, going stale; one queued while the listening
 * connection was down, though reconnecting drains once too).
 */
export const SAFETY_POLL_MS = 30_000;
/** Reconnecting the listening connection backs off from this to RECONNECT_MAX_MS while PostgreSQL stays away. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;
/** Crashes mid-render are retried by reclaiming; a job that keeps killing its worker stops here. */
const MAX_ATTEMPTS = 3;

/**
 * Renders queued reports off the request path. The `reports` table is the queue: every worker
 * process runs this loop, claims one job at a time with FOR UPDATE SKIP LOCKED (through the narrow
 * hoh_claim_report_job function), and renders it as hoh_app inside that organisation's tenant
 * transaction. Queueing a job NOTIFYs `hoh_report_jobs` in the same transaction (migration
 * 1764347281000); each worker LISTENs on a dedicated connection of its own (pg's public Client API),
 * so a job committed in any process wakes every worker at once (docs/SCALING.md,
 * `reports.pickup.p50`). That connection reconnects with backoff when it drops and drains once when
 * it is back; a slow safety poll (SAFETY_POLL_MS) picks up jobs orphaned by a crash. The API process
 * that queued a job also kicks its own loop when the response has gone.
 */
@Injectable()
export class ReportWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('report-worker');
  private timer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** Settles when the listening connection is (re)established; replaced, pending, only once it settled and the connection dropped. */
  private listeningNow: Promise<void> = Promise.resolve();
  private markListening: () => void = () => undefined;
  private isListening = false;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** Milliseconds the last renders took (renderReport only), newest last; for logs and tests. */
  readonly renderTimes: number[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly gatherer: ReportModelGatherer,
    private readonly keys: SigningKeyService,
    private readonly audit: AuditService,
    private readonly groupReports: GroupReportsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.env.REPORT_WORKER) return;
    this.stopped = false;
    this.schedule();
    this.listeningNow = new Promise((resolve) => (this.markListening = resolve));
    void this.listen();
    this.kick();
  }

  /** Settles once the worker is LISTENing (again); a test waits on it instead of sleeping. */
  listening(): Promise<void> {
    return this.listeningNow;
  }

  /** Stops polling and waits for the job in hand, so shutdown never cuts a render in half. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.running;
  }

  /** One dedicated connection, as hoh_app, that only LISTENs; every notification kicks the loop. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    // keepAlive: a connection cut without a FIN (a partition) is noticed by TCP, not only by the safety poll.
    const client = new pg.Client({ connectionString: this.config.appDatabaseUrl, application_name: 'hoh-report-listener', keepAlive: true, connectionTimeoutMillis: 5000 });
    this.listener = client;
    client.on('notification', () => this.kick());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${REPORT_JOBS_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.listener !== client) return;
    this.reconnectDelay = RECONNECT_MIN_MS;
    this.isListening = true;
    this.markListening();
    // Jobs committed while no connection listened announced themselves to nobody: look once now.
    this.kick();
  }

  /** The listening connection failed or closed: drop it and connect again after a backoff. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.listener !== client) return;
    this.listener = null;
    // A client that emitted 'error' may emit again while ending; nothing more is wanted from it.
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.logger.warn(`Report job wake-ups paused (${error instanceof Error ? error.message : 'connection closed'}); reconnecting in ${delay} ms, polling every ${SAFETY_POLL_MS / 1000} s meanwhile`);
    if (this.isListening) {
      this.isListening = false;
      this.listeningNow = new Promise((resolve) => (this.markListening = resolve));
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Drain the queue now (called after an enqueue commits). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule();
    }, SAFETY_POLL_MS);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      let claim: Claim | undefined;
      try {
        [claim] = await this.dataSource.query<Claim[]>('SELECT organisation_id, report_id, attempts FROM hoh_claim_report_job($1)', [
          STALE_SECONDS,
        ]);
      } catch (error) {
        // The database may be restarting; the reconnected listener or the next poll tries again.
        this.logger.warn(`Could not claim a report job: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (!claim) {
        // Group board reports share the queue's wake-ups (their trigger NOTIFYs the same channel).
        await this.groupReports.drain(() => this.stopped);
        return;
      }
      await this.process(claim);
    }
  }

  private async process(claim: Claim): Promise<void> {
    try {
      const [requester] = await this.inTenant(this.member(claim.organisation_id, null), () =>
        tenantManager().query<{ requested_by: string; role: Role | null; accountable_individual: boolean | null }[]>(
          `SELECT r.requested_by, mb.role, mb.accountable_individual FROM reports r
           LEFT JOIN memberships mb ON mb.organisation_id = r.organisation_id AND mb.user_id = r.requested_by
           WHERE r.organisation_id = $1 AND r.id = $2`,
          [claim.organisation_id, claim.report_id],
        ),
      );
      if (!requester) return;
      // Audit entries and names are attributed to the member who asked for the report.
      const member: MemberContext = {
        ...this.member(claim.organisation_id, requester.requested_by),
        role: requester.role ?? 'auditor',
        accountableIndividual: requester.accountable_individual ?? false,
      };
      if (claim.attempts > MAX_ATTEMPTS) {
        await this.inTenant(member, () => this.fail(claim, `rendering was interrupted ${MAX_ATTEMPTS} times`));
        return;
      }
      await this.render(claim, member);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Report ${claim.report_id} failed: ${message}`);
      await this.inTenant(this.member(claim.organisation_id, null), () => this.fail(claim, message)).catch((e: unknown) => this.logger.error(String(e)));
    }
  }

  /** Reading the job needs no particular member; the nil id never reaches an audit entry. */
  /** The job's work inside its organisation, the one way into a tenant (runAsMember), as requests do. */
  private inTenant<T>(member: MemberContext, work: () => Promise<T>): Promise<T> {
    return runAsMember(this.dataSource, member, work);
  }

  private member(organisationId: string, userId: string | null): MemberContext {
    return { organisationId, userId: userId ?? '00000000-0000-0000-0000-000000000000', role: 'auditor', accountableIndividual: false };
  }

  /** Gather (one tenant transaction), render (no transaction held), store (a second one, only if the claim is still ours). */
  private async render(claim: Claim, member: MemberContext): Promise<void> {
    const issuedAt = new Date().toISOString();
    const { keyId } = this.keys.publicKey();
    const gathered = await this.inTenant(member, async () => {
      const [job] = await tenantManager().query<{ assessment_id: string }[]>(
        'SELECT assessment_id FROM reports WHERE organisation_id = $1 AND id = $2',
        [claim.organisation_id, claim.report_id],
      );
      if (!job) return null;
      const snapshot = await this.gatherer.snapshot(job.assessment_id);
      const model = await this.gatherer.model(snapshot, { reportId: claim.report_id, issuedAt, keyId });
      return { snapshot, model };
    });
    if (!gathered) return;
    const { renderReport } = await loadRenderer();
    const started = performance.now();
    const pdf = await renderReport(gathered.model);
    const renderMs = Math.round(performance.now() - started);
    this.renderTimes.push(renderMs);
    if (this.renderTimes.length > 50) this.renderTimes.shift();

    const pdfSha256 = sha256Hex(pdf);
    const manifest: ReportManifest = {
      reportId: claim.report_id,
      organisationId: claim.organisation_id,
      assessmentId: gathered.snapshot.assessment.id,
      issuedAt,
      pdfSha256,
      resultsSha256: resultsSha256(gathered.snapshot.result),
    };
    const signed = this.keys.sign(manifest);
    await this.inTenant(member, async () => {
      const m = tenantManager();
      const { organisationId } = currentMember();
      const done = await m.query<{ id: string }[]>(
        `WITH done AS (
           UPDATE reports SET status = 'ready', issued_at = $3, pdf_sha256 = $4, results_sha256 = $5, size_bytes = $6, manifest = $7, signature = $8, key_id = $9, render_ms = $10, error = NULL
           WHERE organisation_id = $1 AND id = $2 AND status = 'rendering' AND attempts = $11
           RETURNING id)
         SELECT id FROM done`,
        [
          organisationId,
          claim.report_id,
          issuedAt,
          pdfSha256,
          manifest.resultsSha256,
          pdf.length,
          JSON.stringify(manifest),
          signed.signature,
          signed.keyId,
          renderMs,
          claim.attempts,
        ],
      );
      // Another worker reclaimed this job (ours looked stale); its result wins and ours is dropped.
      if (done.length === 0) return;
      await m.query('INSERT INTO report_content (organisation_id, report_id, bytes) VALUES ($1, $2, $3)', [
        organisationId,
        claim.report_id,
        pdf,
      ]);
      // The model the PDF was rendered from, stored with it: the office copies are derived from this,
      // never gathered again, so their numbers cannot differ from the signed PDF's.
      await m.query('INSERT INTO report_models (organisation_id, report_id, model) VALUES ($1, $2, $3)', [
        organisationId,
        claim.report_id,
        JSON.stringify(gathered.model),
      ]);
      await m.query(
        'INSERT INTO report_registry (pdf_sha256, report_id, organisation_id, organisation_name, issued_at, results_sha256) VALUES ($1, $2, $3, $4, $5, $6)',
        [pdfSha256, claim.report_id, organisationId, gathered.snapshot.organisationName, issuedAt, manifest.resultsSha256],
      );
      await this.audit.append({
        action: 'report.issued',
        entityType: 'report',
        entityId: claim.report_id,
        data: {
          assessmentId: manifest.assessmentId,
          draft: gathered.snapshot.assessment.status !== 'signed',
          pdfSha256,
          resultsSha256: manifest.resultsSha256,
          keyId: signed.keyId,
          signature: signed.signature,
          sizeBytes: pdf.length,
          renderMs,
        },
      });
    });
    this.logger.log(`Report ${claim.report_id} issued in ${renderMs} ms render time (${pdf.length} bytes)`);
  }

  private async fail(claim: Claim, message: string): Promise<void> {
    await tenantManager().query(
      `WITH failed AS (
         UPDATE reports SET status = 'failed', error = $3 WHERE organisation_id = $1 AND id = $2 AND status = 'rendering' AND attempts = $4 RETURNING id)
       SELECT id FROM failed`,
      [claim.organisation_id, claim.report_id, message.slice(0, 500), claim.attempts],
    );
  }
}
