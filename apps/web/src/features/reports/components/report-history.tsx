import type { AssessmentSummary, Report } from '@hoh/contracts';

import { formatDateTime } from '@/lib/format';
import { reportCopyHref, reportPdfHref } from '../api/keys';
import '../reports.css';

const STATUS_TEXT: Record<Report['status'], string> = { queued: 'Queued', rendering: 'Rendering', ready: 'Ready', failed: 'Failed' };

/** Every issued report with its download, hashes and signature (the manifest an auditor checks). */
export function ReportHistory({ orgId, reports, assessments }: { orgId: string; reports: readonly Report[]; assessments: readonly AssessmentSummary[] }) {
  const titleOf = (id: string) => assessments.find((a) => a.id === id)?.title ?? 'An earlier assessment';
  return (
    <ul className="report-list">
      {reports.map((r) => (
        <li key={r.id} className="card report-list__item">
          <div className="report-list__head">
            <div>
              <h3 className="report-list__title">
                {titleOf(r.assessmentId)}
                {r.draft ? <span className="tag">Draft</span> : <span className="tag tag--yes">Signed assessment</span>}
              </h3>
              <p className="muted small">
                {r.issuedAt ? `Issued ${formatDateTime(r.issuedAt)}` : `Requested ${formatDateTime(r.requestedAt)}`} · {STATUS_TEXT[r.status]}
                {r.sizeBytes ? ` · ${String(Math.round(r.sizeBytes / 1024))} KB` : ''}
              </p>
            </div>
            {r.status === 'ready' ? (
              <a className="btn btn--secondary" href={reportPdfHref(orgId, r.id)} download aria-label={`Download the PDF issued ${formatDateTime(r.issuedAt)}`}>
                {/* The visible words begin the accessible name, so voice control can say them (WCAG 2.5.3). */}
                Download the PDF
              </a>
            ) : null}
          </div>
          {r.status === 'ready' ? (
            <p className="muted small">
              Editable, unsigned working copies of this PDF:{' '}
              <a href={reportCopyHref(orgId, r.id, 'board-pack.docx')} download>
                Board pack (Word)
              </a>{' '}
              ·{' '}
              <a href={reportCopyHref(orgId, r.id, 'registers.xlsx')} download>
                Registers (Excel)
              </a>
            </p>
          ) : null}
          {r.status === 'failed' ? <p className="field__error">{r.error ?? 'Rendering failed.'}</p> : null}
          {r.manifest ? (
            <details className="report-list__manifest">
              <summary>Manifest, hashes and signature</summary>
              <dl className="facts facts--mono">
                <div className="facts__row">
                  <dt>Report id</dt>
                  <dd>{r.manifest.reportId}</dd>
                </div>
                <div className="facts__row">
                  <dt>PDF SHA-256</dt>
                  <dd className="break">{r.manifest.pdfSha256}</dd>
                </div>
                <div className="facts__row">
                  <dt>Results SHA-256</dt>
                  <dd className="break">{r.manifest.resultsSha256}</dd>
                </div>
                <div className="facts__row">
                  <dt>Issued at</dt>
                  <dd>{r.manifest.issuedAt}</dd>
                </div>
                <div className="facts__row">
                  <dt>Signature (Ed25519)</dt>
                  <dd className="break">{r.signature ?? '—'}</dd>
                </div>
                <div className="facts__row">
                  <dt>Key id</dt>
                  <dd>{r.keyId ?? '—'}</dd>
                </div>
              </dl>
            </details>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
