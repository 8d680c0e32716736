import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Report, ReportListResponse, ReportManifest, ResultsExport } from '@hoh/contracts';
import type { ReportModel } from '@hoh/report-pdf';

import { AppError, notFound } from '../../common/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { type CsvCell, toCsv } from '../actions/csv.js';
import { AuditService } from '../audit/audit.service.js';
import { ReportModelGatherer, resultsSha256, wireResults } from './report-model.gatherer.js';
import { SigningKeyService } from './signing-key.service.js';

export interface ReportRow {
  id: string;
  assessment_id: string;
  status: Report['status'];
  draft: boolean;
  requested_by: string;
  requested_at: Date;
  issued_at: Date | null;
  pdf_sha256: string | null;
  results_sha256: string | null;
  size_bytes: number | null;
  manifest: ReportManifest | null;
  signature: string | null;
  key_id: string | null;
  error: string | null;
}

const COLUMNS =
  'id, assessment_id, status, draft, requested_by, requested_at, issued_at, pdf_sha256, results_sha256, size_bytes, manifest, signature, key_id, error';

/** The editable copies of an issued report (issue 25 item 5), each derived from the model stored with its PDF. */
export const OFFICE_COPIES = {
  'board-pack.docx': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    fileName: (reportId: string) => `hand-on-heart-board-pack-${reportId}.docx`,
  },
  'registers.xlsx': {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: (reportId: string) => `hand-on-heart-registers-${reportId}.xlsx`,
  },
} as const;
export type OfficeCopy = keyof typeof OFFICE_COPIES;

// The office writers (docx, exceljs) load only when someone first asks for a copy, as the PDF renderer does in the worker.
let renderers: Promise<typeof import('@hoh/report-pdf')> | null = null;
const loadRenderers = () => (renderers ??= import('@hoh/report-pdf'));

export function toReport(r: ReportRow): Report {
  const ready = r.status === 'ready';
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    status: r.status,
    draft: r.draft,
    requestedAt: r.requested_at.toISOString(),
    requestedBy: r.requested_by,
    ...(ready && r.issued_at ? { issuedAt: r.issued_at.toISOString() } : {}),
    ...(ready && r.pdf_sha256 ? { pdfSha256: r.pdf_sha256 } : {}),
    ...(ready && r.results_sha256 ? { resultsSha256: r.results_sha256 } : {}),
    ...(ready && r.size_bytes !== null ? { sizeBytes: r.size_bytes } : {}),
    ...(ready && r.manifest ? { manifest: r.manifest } : {}),
    ...(ready && r.signature ? { signature: r.signature } : {}),
    ...(ready && r.key_id ? { keyId: r.key_id } : {}),
    ...(r.status === 'failed' && r.error ? { error: r.error } : {}),
  };
}

/** Issuing, listing and downloading reports, plus the answers and results exports (request side). */
@Injectable()
export class ReportsService {
  constructor(
    private readonly audit: AuditService,
    private readonly gatherer: ReportModelGatherer,
    private readonly keys: SigningKeyService,
  ) {}

  /** Queues a report; the worker renders it after this transaction commits. */
  async issue(assessmentId: string): Promise<Report> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const [assessment] = await m.query<{ status: string }[]>('SELECT status FROM assessments WHERE organisation_id = $1 AND id = $2', [
      organisationId,
      assessmentId,
    ]);
    if (!assessment) throw notFound('assessment');
    const id = randomUUID();
    const [row] = await m.query<ReportRow[]>(
      `INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [organisationId, id, assessmentId, assessment.status !== 'signed', userId],
    );
    await this.audit.append({
      action: 'report.requested',
      entityType: 'report',
      entityId: id,
      data: { assessmentId, draft: assessment.status !== 'signed' },
    });
    return toReport(row!);
  }

  async list(limit: number, cursor: string | undefined, assessmentId?: string): Promise<ReportListResponse> {
    const { organisationId } = currentMember();
    const after = decodeCursor(cursor);
    if (assessmentId) await this.assertAssessment(assessmentId);
    const rows = await tenantManager().query<(ReportRow & { created_key: string })[]>(
      `SELECT ${COLUMNS}, requested_at::text AS created_key FROM reports WHERE organisation_id = $1
         AND ($2::uuid IS NULL OR assessment_id = $2::uuid)
         AND ($3::timestamptz IS NULL OR (requested_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY requested_at DESC, id DESC LIMIT $5`,
      [organisationId, assessmentId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toReport),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null,
    };
  }

  private async assertAssessment(assessmentId: string): Promise<void> {
    const found = await tenantManager().query<{ id: string }[]>('SELECT id FROM assessments WHERE organisation_id = $1 AND id = $2', [
      currentMember().organisationId,
      assessmentId,
    ]);
    if (found.length === 0) throw notFound('assessment');
  }

  private async row(reportId: string, assessmentId?: string): Promise<ReportRow> {
    const [row] = await tenantManager().query<ReportRow[]>(
      `SELECT ${COLUMNS} FROM reports WHERE organisation_id = $1 AND id = $2 AND ($3::uuid IS NULL OR assessment_id = $3::uuid)`,
      [currentMember().organisationId, reportId, assessmentId ?? null],
    );
    if (!row) throw notFound('report');
    return row;
  }

  async get(reportId: string, assessmentId?: string): Promise<Report> {
    return toReport(await this.row(reportId, assessmentId));
  }

  async pdf(reportId: string, assessmentId?: string): Promise<{ bytes: Buffer; sha256: string }> {
    const row = await this.row(reportId, assessmentId);
    if (row.status === 'failed') {
      throw new AppError(
        'INVALID_STATE',
        `This report failed to render (${row.error ?? 'unknown error'}); issue a new one with POST …/assessments/${row.assessment_id}/reports.`,
      );
    }
    if (row.status !== 'ready' || !row.pdf_sha256) {
      throw new AppError(
        'INVALID_STATE',
        `The report is still ${row.status}; poll GET /api/v1/orgs/{orgId}/reports/${row.id} until its status is ready, then download it.`,
      );
    }
    const [content] = await tenantManager().query<{ bytes: Buffer }[]>(
      'SELECT bytes FROM report_content WHERE organisation_id = $1 AND report_id = $2',
      [currentMember().organisationId, row.id],
    );
    if (!content) throw new Error(`report ${row.id} is ready but has no stored bytes`);
    return { bytes: content.bytes, sha256: row.pdf_sha256 };
  }

  /**
   * An editable copy of an issued report, rendered from the model stored with its PDF (never
   * gathered again), so its numbers are the signed PDF's. It names that PDF and its hash.
   */
  async officeCopy(reportId: string, copy: OfficeCopy): Promise<Buffer> {
    const row = await this.row(reportId);
    if (row.status === 'failed')
      throw new AppError(
        'REPORT_NOT_READY',
        `This report failed to render, so it has no editable copies; issue a new one with POST /api/v1/orgs/{orgId}/assessments/${row.assessment_id}/reports.`,
      );
    if (row.status !== 'ready' || !row.pdf_sha256 || !row.issued_at)
      throw new AppError(
        'REPORT_NOT_READY',
        `The report is still ${row.status}; poll GET /api/v1/orgs/{orgId}/reports/${row.id} until its status is ready, then download its copies.`,
      );
    const [stored] = await tenantManager().query<{ model: ReportModel }[]>(
      'SELECT model FROM report_models WHERE organisation_id = $1 AND report_id = $2',
      [currentMember().organisationId, row.id],
    );
    if (!stored)
      throw new AppError(
        'REPORT_MODEL_MISSING',
        `This report was issued before editable copies could be made from it. Issue a new report with POST /api/v1/orgs/{orgId}/assessments/${row.assessment_id}/reports and download the copies of that one.`,
      );
    const source = { reportId: row.id, pdfSha256: row.pdf_sha256, issuedAt: row.manifest?.issuedAt ?? row.issued_at.toISOString() };
    const { renderBoardPackDocx, renderRegistersXlsx } = await loadRenderers();
    return copy === 'board-pack.docx' ? renderBoardPackDocx(stored.model, source) : renderRegistersXlsx(stored.model, source);
  }

  /** The engine result with a signed manifest; signed assessments export the result frozen at sign-off. */
  async resultsExport(assessmentId: string): Promise<ResultsExport> {
    const snapshot = await this.gatherer.snapshot(assessmentId);
    const results = wireResults(snapshot.result);
    const manifest = { assessmentId, generatedAt: new Date().toISOString(), resultsSha256: resultsSha256(snapshot.result) };
    const { signature, keyId } = this.keys.sign(manifest);
    return { results, manifest, signature, keyId };
  }

  /** One row per bank question, applicable or not, so the file is a complete record of the assessment. */
  async answersCsv(assessmentId: string): Promise<string> {
    const s = await this.gatherer.snapshot(assessmentId);
    const items = new Map(s.result.items.map((i) => [i.questionId, i]));
    const header = [
      'question_id',
      'domain',
      'question',
      'applicable',
      'critical',
      'value',
      'effective_level',
      'cap_reason',
      'target',
      'gap',
      'comment',
      'justification',
      'review_status',
      'evidence_ids',
      'evidence_sha256',
    ];
    const domainTitle = new Map(s.framework.domains.map((d) => [d.id, d.title]));
    const rows: CsvCell[][] = s.framework.questions.map((q) => {
      const item = items.get(q.id);
      const answer = s.answers.get(q.id);
      const evidence = s.evidence.get(q.id) ?? [];
      return [
        q.id,
        `${q.domainId} ${domainTitle.get(q.domainId) ?? ''}`.trim(),
        q.text,
        item ? item.status !== 'excluded_by_profile' : true,
        item?.critical ?? false,
        answer?.value ?? null,
        item?.effectiveLevel ?? null,
        item?.capReason ?? null,
        item?.target ?? q.targetLevel,
        item?.gap ?? null,
        answer?.comment ?? null,
        answer?.justification ?? null,
        answer?.review_status ?? null,
        evidence.map((e) => e.id).join(' '),
        evidence.map((e) => e.sha256 ?? `external:${e.external_ref ?? ''}`).join(' '),
      ];
    });
    return toCsv(header, rows);
  }
}
