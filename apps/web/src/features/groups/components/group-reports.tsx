import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { LoadError } from '@/components/ui/load-error';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { groupReportPdfHref, useGenerateGroupReport, useGroupReports } from '../api/groups';

const STATUS: Record<'queued' | 'rendering' | 'ready' | 'failed', string> = {
  queued: 'Queued',
  rendering: 'Rendering…',
  ready: 'Ready',
  failed: 'Failed',
};

/**
 * The group board report (docs/PRODUCT.md §16.6): its owner generates one, owners and viewers
 * download the signed PDF; the list polls while one is being rendered.
 */
export function GroupReports({ groupId, isOwner }: { groupId: string; isOwner: boolean }) {
  const reports = useGroupReports(groupId);
  const generate = useGenerateGroupReport(groupId);

  return (
    <Card aria-labelledby="group-reports-title" className="section-gap">
      <h2 id="group-reports-title">Group board reports</h2>
      <p>
        A signed PDF of the group&rsquo;s answer, the organisations × domains matrix, shared gaps, each member in one line and the hash of each
        member&rsquo;s latest signed report. Anyone can check it at Verify a report.
      </p>
      {isOwner ? (
        <Button onClick={() => generate.mutate()} isLoading={generate.isPending}>
          Generate group report
        </Button>
      ) : null}
      {generate.error ? (
        <Alert tone="error" title="No report was generated">
          {describeError(generate.error)}
        </Alert>
      ) : null}
      {reports.isPending ? <Spinner label="Loading the group's reports…" /> : null}
      {reports.error ? <LoadError what="the group's reports" error={reports.error} onRetry={() => void reports.refetch()} /> : null}
      {reports.data && reports.data.items.length === 0 ? <p className="muted">No group report yet.</p> : null}
      {reports.data && reports.data.items.length > 0 ? (
        <ul data-testid="group-reports">
          {reports.data.items.map((r) => (
            <li key={r.id}>
              {r.status === 'ready' ? formatDateTime(r.issuedAt ?? r.requestedAt) : formatDateTime(r.requestedAt)} — {STATUS[r.status]}
              {r.status === 'ready' ? (
                <>
                  {' '}
                  <a href={groupReportPdfHref(groupId, r.id)} download>
                    Download the PDF
                  </a>{' '}
                  <span className="muted">
                    SHA-256 <code>{r.pdfSha256}</code>
                  </span>
                </>
              ) : null}
              {r.status === 'failed' && r.error ? <span className="muted"> ({r.error})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
