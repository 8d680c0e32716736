import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useReport } from '../api/get-report';
import { reportKeys, reportPdfHref } from '../api/keys';

const PROGRESS = {
  queued: 'Queued: waiting for a report worker to pick it up…',
  rendering: 'Rendering the PDF, signing it and recording its hash…',
} as const;

/** Polls one report job and says where it is; on ready, the download; on failure, why. */
export function ReportProgress({ orgId, reportId, pollMs }: { orgId: string; reportId: string; pollMs?: number }) {
  const report = useReport(orgId, reportId, pollMs);
  const queryClient = useQueryClient();
  const status = report.data?.status;
  useEffect(() => {
    // The history row changes when the job finishes: refresh exactly the list.
    if (status === 'ready' || status === 'failed') {
      void queryClient.invalidateQueries({ queryKey: reportKeys.list(orgId), exact: true });
    }
  }, [status, orgId, queryClient]);

  if (report.error) {
    return (
      <Alert tone="error" title="Could not follow the report">
        {describeError(report.error)} The report may still be rendering: it will appear in the history below.
      </Alert>
    );
  }
  if (!report.data) {
    return <Spinner label="Checking the report…" />;
  }
  const r = report.data;
  if (r.status === 'queued' || r.status === 'rendering') {
    return (
      <div className="report-progress" data-testid="report-progress">
        <Spinner label={PROGRESS[r.status]} />
      </div>
    );
  }
  if (r.status === 'failed') {
    return (
      <Alert tone="error" title="The report could not be rendered">
        {r.error ?? 'Rendering failed.'} Fix what it says, then issue a new report.
      </Alert>
    );
  }
  return (
    <Alert tone="success" title="Report ready">
      <p>
        {r.draft ? 'A DRAFT report (the assessment is not signed off yet): every page carries a DRAFT watermark. ' : ''}
        SHA-256 <code className="break">{r.pdfSha256}</code>
      </p>
      <a className="btn btn--primary" href={reportPdfHref(orgId, r.id)} download>
        Download the PDF
      </a>
    </Alert>
  );
}
