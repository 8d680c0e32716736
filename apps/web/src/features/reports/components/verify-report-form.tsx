import { VerifyReportRequestSchema } from '@hoh/contracts';
import type { VerifyReportResponse } from '@hoh/contracts';
import { useId, useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useVerifyReport } from '../api/verify-report';
import '../reports.css';

/** The report a verify link named (issue 25): the file checked next must be this one. */
export interface ExpectedReport {
  reportId: string;
  pdfSha256: string;
}

/**
 * Drop a PDF or paste its SHA-256: the answer is "genuine" (who issued it, when) or "not recognised".
 * Opened from a report's verify link, `expected` names that report, and a genuine file that is a
 * different report says so instead of "genuine".
 */
export function VerifyReportForm({ expected }: { expected?: ExpectedReport | undefined } = {}) {
  const inputId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [sha, setSha] = useState('');
  const [shaError, setShaError] = useState<string | undefined>();
  const [dragging, setDragging] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const verify = useVerifyReport();

  const sendFile = (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    verify.mutate({ file });
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    sendFile(e.dataTransfer.files[0]);
  };
  const onSubmitHash = (e: FormEvent) => {
    e.preventDefault();
    const parsed = VerifyReportRequestSchema.safeParse({ sha256: sha });
    if (!parsed.success) {
      setShaError(parsed.error.issues[0]?.message ?? 'Give 64 hex characters');
      return;
    }
    setShaError(undefined);
    setFileName(null);
    verify.mutate({ sha256: parsed.data.sha256 });
  };

  return (
    <div className="verify">
      <div
        className={`dropzone${dragging ? ' is-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="verify-dropzone"
      >
        <p>
          <strong>Drop the report PDF here</strong>, or{' '}
          <label htmlFor={inputId} className="dropzone__browse">
            choose the PDF
          </label>
          .
        </p>
        <input
          ref={fileRef}
          id={inputId}
          type="file"
          accept="application/pdf,.pdf"
          className="visually-hidden"
          onChange={(e) => {
            sendFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <p className="muted small">Only its SHA-256 is computed on the server; the file is not kept.</p>
      </div>

      <form className="verify__hash" onSubmit={onSubmitHash} noValidate>
        <TextField
          label="Or paste the report's SHA-256"
          hint="64 hex characters, e.g. from sha256sum report.pdf"
          value={sha}
          onChange={(e) => setSha(e.target.value)}
          error={shaError}
          spellCheck={false}
          autoComplete="off"
        />
        <Button type="submit" variant="secondary" isLoading={verify.isPending && verify.variables && 'sha256' in verify.variables}>
          Check the hash
        </Button>
      </form>

      {verify.isPending ? (
        <p role="status" className="muted">
          Checking{fileName ? ` ${fileName}` : ''}…
        </p>
      ) : null}
      {verify.error ? (
        <Alert tone="error" title="The check did not run">
          {describeError(verify.error)}
        </Alert>
      ) : null}
      {verify.data ? <VerifyResult result={verify.data} fileName={fileName} expected={expected} /> : null}
    </div>
  );
}

export function VerifyResult({
  result,
  fileName,
  expected,
}: {
  result: VerifyReportResponse;
  fileName: string | null;
  expected?: ExpectedReport | undefined;
}) {
  // A drill record (docs/PRODUCT.md §15.6): which organisation rehearsed which scenario, and when.
  if (result.genuine && result.kind === 'drill_record' && result.drill) {
    return (
      <Alert tone="success" title="Genuine drill record">
        <p>{fileName ? `${fileName} is` : 'This is'} an incident drill record issued by Hand on Heart, byte for byte as signed. It records a rehearsal, not a real incident.</p>
        <dl className="facts">
          <div className="facts__row">
            <dt>Organisation</dt>
            <dd>{result.organisation}</dd>
          </div>
          <div className="facts__row">
            <dt>Scenario</dt>
            <dd>{result.drill.scenario}</dd>
          </div>
          <div className="facts__row">
            <dt>Drill finished</dt>
            <dd>{formatDateTime(result.issuedAt)}</dd>
          </div>
          <div className="facts__row">
            <dt>Drill id</dt>
            <dd>
              <code>{result.drill.drillId}</code>
            </dd>
          </div>
        </dl>
      </Alert>
    );
  }
  // A PDF hash names at most one issued report, so the same report id means the same bytes (pdfSha256).
  if (result.genuine && expected && result.reportId !== expected.reportId) {
    return (
      <Alert tone="warning" title="A different report">
        <p>
          {fileName ? `${fileName} is` : 'This is'} a genuine report, but not the one the link names: it is report <code>{result.reportId}</code>{' '}
          issued to {result.organisation} on {formatDateTime(result.issuedAt)}. The link names report <code>{expected.reportId}</code>, whose
          SHA-256 is <code>{expected.pdfSha256}</code>.
        </p>
      </Alert>
    );
  }
  if (result.genuine) {
    return (
      <Alert tone="success" title="Genuine and unaltered">
        <p>
          {fileName ? `${fileName} is` : 'This is'} a report issued by Hand on Heart, byte for byte as signed.
        </p>
        <dl className="facts">
          <div className="facts__row">
            <dt>Organisation</dt>
            <dd>{result.organisation}</dd>
          </div>
          <div className="facts__row">
            <dt>Report id</dt>
            <dd>
              <code>{result.reportId}</code>
            </dd>
          </div>
          <div className="facts__row">
            <dt>Issued</dt>
            <dd>{formatDateTime(result.issuedAt)}</dd>
          </div>
        </dl>
      </Alert>
    );
  }
  return (
    <Alert tone="warning" title="Not recognised">
      <p>
        {fileName ? `${fileName} was` : 'This hash was'} not issued by this service, or the PDF has been changed since it was issued (even
        re-saving it changes the hash). Ask the organisation for the original file, or for the report id to check with them.
      </p>
    </Alert>
  );
}
