import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type GroupDashboard, type GroupReport, type GroupReportList, type GroupReportManifest, GroupReportManifestSchema } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';
import type { GroupReportModel } from '@hoh/report-pdf';

import { AppError } from '../../common/app-error.js';
import { Clock } from '../../config/clock.js';
import { runAsGroupCaller } from '../groups/group-context.js';
import { GroupsService } from '../groups/groups.service.js';
import { sha256Hex, SigningKeyService } from './signing-key.service.js';

const NO_GROUP = 'No such group, or you are not in it. Check the group id in the address, or ask its owner to add you.';
const NO_REPORT = 'No such group report. List the group’s reports at GET /api/v1/groups/{groupId}/reports.';

interface GroupReportRow {
  group_id: string;
  id: string;
  status: GroupReport['status'];
  requested_by: string;
  requested_at: Date;
  issued_at: Date | null;
  pdf_sha256: string | null;
  results_sha256: string | null;
  size_bytes: number | null;
  manifest: unknown;
  signature: string | null;
  key_id: string | null;
  error: string | null;
}

interface Claim {
  group_id: string;
  report_id: string;
  requested_by: string;
  attempts: number;
}

const COLUMNS = `group_id, id, status, requested_by, requested_at, issued_at, pdf_sha256, results_sha256, size_bytes, manifest, signature, key_id, error`;
/** A job still `rendering` after this long belongs to a process that died (as for organisations' reports). */
const STALE_SECONDS = 5 * 60;
const MAX_ATTEMPTS = 3;

let renderer: Promise<typeof import('@hoh/report-pdf')> | null = null;
const loadRenderer = () => (renderer ??= import('@hoh/report-pdf'));

/** What the group results hash covers: the figures the report prints, not its id, time or key. */
export const groupResultsSha256 = (model: GroupReportModel): string =>
  sha256Hex(canonicalJson({ group: model.group, answer: model.answer, domains: model.domains, members: model.members, sharedGaps: model.sharedGaps }));

/** The model a group report prints, from the group dashboard as the person who asked sees it. */
export function groupReportModel(dashboard: GroupDashboard, meta: { reportId: string; issuedAt: string; keyId: string; requestedBy: string }): GroupReportModel {
  const members = dashboard.organisations.map((o) => {
    const s = o.summary;
    const byDomain = new Map((s?.domains ?? []).map((d) => [d.domainId, d]));
    const latestSigned = s?.signedReports[0];
    return {
      organisationId: o.organisationId,
      name: s?.name ?? `Organisation ${o.organisationId.slice(0, 8)}`,
      status: s?.attestation.status ?? 'no_assessment',
      score: s?.latest?.score ?? null,
      band: s?.latest?.band ?? null,
      exceptionCount: s?.attestation.exceptionCount ?? 0,
      overdueActions: s?.overdueActions ?? 0,
      cells: dashboard.domains.map((d) => {
        const cell = byDomain.get(d.domainId);
        return cell && cell.rounded !== null && cell.band !== null ? { rounded: cell.rounded, band: cell.band } : null;
      }),
      signedReport: latestSigned ? { reportId: latestSigned.reportId, pdfSha256: latestSigned.pdfSha256, issuedAt: latestSigned.issuedAt } : null,
      refreshedAt: o.refreshedAt,
    };
  });
  const couldAttest = members.filter((m) => m.status === 'signed' || m.status === 'ready');
  const names = new Map(members.map((m) => [m.organisationId, m.name]));
  return {
    reportId: meta.reportId,
    issuedAt: meta.issuedAt,
    keyId: meta.keyId,
    group: { id: dashboard.group.id, name: dashboard.group.name },
    requestedBy: meta.requestedBy,
    answer: {
      members: members.length,
      signed: dashboard.totals.signed,
      ready: dashboard.totals.ready,
      notReady: dashboard.totals.notReady,
      noAssessment: dashboard.totals.noAssessment,
      couldAttest: couldAttest.length,
      qualified: couldAttest.filter((m) => m.exceptionCount > 0).length,
    },
    domains: dashboard.domains,
    members,
    sharedGaps: dashboard.sharedGaps.map((g) => ({ questionId: g.questionId, organisations: g.organisations, names: g.organisationIds.map((id) => names.get(id) ?? id) })),
  };
}

/**
 * Group board reports (docs/PRODUCT.md §16.6): queued by the group's owner, rendered by the report
 * workers (ReportWorker drains these after organisations' jobs), signed like an organisation's report
 * and registered for public verification by group. Every statement runs as a person in no
 * organisation (runAsGroupCaller): the group tables' row-level security decides who sees what.
 */
@Injectable()
export class GroupReportsService {
  private readonly logger = new Logger('group-reports');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly keys: SigningKeyService,
    private readonly groups: GroupsService,
  ) {}

  async issue(userId: string, groupId: string): Promise<GroupReport> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      const role = await this.roleIn(m, groupId);
      if (role !== 'owner') throw new AppError('FORBIDDEN', 'Only the group’s owner can generate a group report; your role in it is viewer. Ask the group’s owner.');
      const id = randomUUID();
      const [row]: GroupReportRow[] = await m.query(
        `INSERT INTO group_reports (group_id, id, requested_by, requested_at) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [groupId, id, userId, this.clock.now()],
      );
      await m.query(`INSERT INTO group_events (group_id, id, occurred_at, actor_id, action, data) VALUES ($1, $2, $3, $4, 'group.report_requested', $5)`, [
        groupId,
        randomUUID(),
        this.clock.now(),
        userId,
        JSON.stringify({ reportId: id }),
      ]);
      return toReport(row!);
    });
  }

  async list(userId: string, groupId: string): Promise<GroupReportList> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      if (!(await this.roleIn(m, groupId))) throw new AppError('NOT_FOUND', NO_GROUP);
      const rows: GroupReportRow[] = await m.query(`SELECT ${COLUMNS} FROM group_reports WHERE group_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 50`, [groupId]);
      return { items: rows.map(toReport) };
    });
  }

  async get(userId: string, groupId: string, reportId: string): Promise<GroupReport> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      if (!(await this.roleIn(m, groupId))) throw new AppError('NOT_FOUND', NO_GROUP);
      const [row]: GroupReportRow[] = await m.query(`SELECT ${COLUMNS} FROM group_reports WHERE group_id = $1 AND id = $2`, [groupId, reportId]);
      if (!row) throw new AppError('NOT_FOUND', NO_REPORT);
      return toReport(row);
    });
  }

  async pdf(userId: string, groupId: string, reportId: string): Promise<{ bytes: Buffer; sha256: string }> {
    return runAsGroupCaller(this.dataSource, userId, async (m) => {
      if (!(await this.roleIn(m, groupId))) throw new AppError('NOT_FOUND', NO_GROUP);
      const [row]: { status: string; pdf: Buffer | null; pdf_sha256: string | null }[] = await m.query(
        `SELECT status, pdf, pdf_sha256 FROM group_reports WHERE group_id = $1 AND id = $2`,
        [groupId, reportId],
      );
      if (!row) throw new AppError('NOT_FOUND', NO_REPORT);
      if (row.status !== 'ready' || !row.pdf || !row.pdf_sha256) {
        throw new AppError('INVALID_STATE', `The group report is ${row.status}, not ready. Poll GET …/reports/${reportId} until its status is ready${row.status === 'failed' ? ', or generate a new one' : ''}.`);
      }
      return { bytes: row.pdf, sha256: row.pdf_sha256 };
    });
  }

  /** The editable workbook of an issued group report, made from the model stored with its PDF (never gathered again). */
  async xlsx(userId: string, groupId: string, reportId: string): Promise<Buffer> {
    const source = await runAsGroupCaller(this.dataSource, userId, async (m) => {
      if (!(await this.roleIn(m, groupId))) throw new AppError('NOT_FOUND', NO_GROUP);
      const [row]: { status: string; model: GroupReportModel | null; pdf_sha256: string | null }[] = await m.query(
        `SELECT status, model, pdf_sha256 FROM group_reports WHERE group_id = $1 AND id = $2`,
        [groupId, reportId],
      );
      if (!row) throw new AppError('NOT_FOUND', NO_REPORT);
      if (row.status !== 'ready' || !row.model || !row.pdf_sha256) throw new AppError('INVALID_STATE', `The group report is ${row.status}, not ready. Poll GET …/reports/${reportId} until its status is ready.`);
      return { model: row.model, pdfSha256: row.pdf_sha256 };
    });
    const { renderGroupReportXlsx } = await loadRenderer();
    return renderGroupReportXlsx(source.model, { pdfSha256: source.pdfSha256 });
  }

  /** Claims and renders group report jobs until none is left; returns how many it took. Called by ReportWorker. */
  async drain(stopped: () => boolean): Promise<number> {
    let done = 0;
    while (!stopped()) {
      let claim: Claim | undefined;
      try {
        [claim] = await this.dataSource.query<Claim[]>('SELECT group_id, report_id, requested_by, attempts FROM hoh_claim_group_report_job($1)', [STALE_SECONDS]);
      } catch (error) {
        this.logger.warn(`Could not claim a group report job: ${error instanceof Error ? error.message : String(error)}`);
        return done;
      }
      if (!claim) return done;
      done += 1;
      try {
        if (claim.attempts > MAX_ATTEMPTS) await this.fail(claim, `rendering was interrupted ${MAX_ATTEMPTS} times`);
        else await this.render(claim);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Group report ${claim.report_id} failed: ${message}`);
        await this.fail(claim, message).catch((e: unknown) => this.logger.error(String(e)));
      }
    }
    return done;
  }

  /** Gather as the person who asked (their role decides what the group shows), render outside any transaction, store if the claim is still ours. */
  private async render(claim: Claim): Promise<void> {
    const issuedAt = this.clock.now().toISOString();
    const { keyId } = this.keys.publicKey();
    const dashboard = await this.groups.dashboard(claim.requested_by, claim.group_id, {});
    const requester = await runAsGroupCaller(this.dataSource, claim.requested_by, (m) =>
      m.query<{ name: string }[]>(`SELECT name FROM users WHERE id = $1`, [claim.requested_by]),
    );
    const model = groupReportModel(dashboard, { reportId: claim.report_id, issuedAt, keyId, requestedBy: requester[0]?.name ?? 'a group owner' });
    const { renderGroupReport } = await loadRenderer();
    const started = performance.now();
    const pdf = await renderGroupReport(model);
    const renderMs = Math.round(performance.now() - started);
    const pdfSha256 = sha256Hex(pdf);
    const manifest: GroupReportManifest = GroupReportManifestSchema.parse({
      reportId: claim.report_id,
      groupId: claim.group_id,
      issuedAt,
      pdfSha256,
      resultsSha256: groupResultsSha256(model),
      memberReports: model.members.flatMap((m) => (m.signedReport ? [{ organisationId: m.organisationId, reportId: m.signedReport.reportId, pdfSha256: m.signedReport.pdfSha256 }] : [])),
    });
    const signed = this.keys.sign(manifest);
    await runAsGroupCaller(this.dataSource, claim.requested_by, async (m) => {
      const done: { id: string }[] = await m.query(
        `WITH done AS (
           UPDATE group_reports SET status = 'ready', issued_at = $3, pdf_sha256 = $4, results_sha256 = $5, size_bytes = $6, manifest = $7, signature = $8, key_id = $9,
                  render_ms = $10, model = $11, pdf = $12, error = NULL
           WHERE group_id = $1 AND id = $2 AND status = 'rendering' AND attempts = $13 RETURNING id)
         SELECT id FROM done`,
        [claim.group_id, claim.report_id, issuedAt, pdfSha256, manifest.resultsSha256, pdf.length, JSON.stringify(manifest), signed.signature, signed.keyId, renderMs, JSON.stringify(model), pdf, claim.attempts],
      );
      // Reclaimed by another worker (ours looked stale), or the requester lost their role: nothing stored.
      if (done.length === 0) return;
      await m.query(`INSERT INTO group_report_registry (group_id, report_id, pdf_sha256, results_sha256, group_name, issued_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        claim.group_id,
        claim.report_id,
        pdfSha256,
        manifest.resultsSha256,
        model.group.name,
        issuedAt,
      ]);
      await m.query(`INSERT INTO group_events (group_id, id, occurred_at, actor_id, action, data) VALUES ($1, $2, $3, $4, 'group.report_issued', $5)`, [
        claim.group_id,
        randomUUID(),
        this.clock.now(),
        claim.requested_by,
        JSON.stringify({ reportId: claim.report_id, pdfSha256, keyId: signed.keyId, signature: signed.signature, members: manifest.memberReports.length }),
      ]);
    });
    this.logger.log(`Group report ${claim.report_id} issued in ${renderMs} ms render time (${pdf.length} bytes)`);
  }

  private async fail(claim: Claim, message: string): Promise<void> {
    await runAsGroupCaller(this.dataSource, claim.requested_by, (m) =>
      m.query(
        `WITH failed AS (UPDATE group_reports SET status = 'failed', error = $3 WHERE group_id = $1 AND id = $2 AND status = 'rendering' AND attempts = $4 RETURNING id) SELECT id FROM failed`,
        [claim.group_id, claim.report_id, message.slice(0, 500), claim.attempts],
      ),
    );
  }

  private async roleIn(m: EntityManager, groupId: string): Promise<string | null> {
    const [row]: { role: string | null }[] = await m.query(`SELECT hoh_group_role($1) AS role`, [groupId]);
    return row?.role ?? null;
  }
}

function toReport(r: GroupReportRow): GroupReport {
  const manifest = r.manifest === null ? undefined : GroupReportManifestSchema.safeParse(r.manifest);
  return {
    id: r.id,
    groupId: r.group_id,
    status: r.status,
    requestedAt: r.requested_at.toISOString(),
    requestedBy: r.requested_by,
    ...(r.issued_at ? { issuedAt: r.issued_at.toISOString() } : {}),
    ...(r.pdf_sha256 ? { pdfSha256: r.pdf_sha256 } : {}),
    ...(r.results_sha256 ? { resultsSha256: r.results_sha256 } : {}),
    ...(r.size_bytes !== null ? { sizeBytes: r.size_bytes } : {}),
    ...(manifest?.success ? { manifest: manifest.data } : {}),
    ...(r.signature ? { signature: r.signature } : {}),
    ...(r.key_id ? { keyId: r.key_id } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}
