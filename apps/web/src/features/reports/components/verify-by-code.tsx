import { VerifyReportByIdRequestSchema } from '@hoh/contracts';

import { Alert } from '@/components/ui/alert';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { type ReportCode, useVerifyReportCode } from '../api/verify-report';

import { VerifyReportForm } from './verify-report-form';

/**
 * The parameters a report's verify link carries (`VERIFY_PAGE_PARAMS`), checked before anything is
 * sent: `null` when the page was opened without them, `'damaged'` when they are there but malformed.
 */
export function readReportCode(reportId: string | null, resultsSha256: string | null): ReportCode | 'damaged' | null {
  if (reportId === null && resultsSha256 === null) return null;
  const parsed = VerifyReportByIdRequestSchema.safeParse({ reportId: reportId ?? '', resultsSha256: resultsSha256 ?? '' });
  return parsed.success ? parsed.data : 'damaged';
}

/**
 * Opened from a report's link or QR code: says which report the code names (issuer, date), then asks
 * for the file, so the bytes in hand are checked against that report's PDF hash. The code alone proves
 * only that such a report was issued, not that a given file is it.
 */
export function VerifyByCode({ code }: { code: ReportCode | 'damaged' }) {
  const lookup = useVerifyReportCode(code === 'damaged' ? null : code);

  if (code === 'damaged') {
    return (
      <>
        <Alert tone="warning" title="This verify link is incomplete">
          <p>
            The link should carry the report id and the 64-character results hash printed on the report. Open it again from the report, or
            check the PDF itself below.
          </p>
        </Alert>
        <VerifyReportForm />
      </>
    );
  }
  if (lookup.isPending) {
    return (
      <p role="status" className="muted">
        Looking up the report this code names…
      </p>
    );
  }
  if (lookup.error) {
    return (
      <>
        <Alert tone="error" title="The check did not run">
          {describeError(lookup.error)}
        </Alert>
        <VerifyReportForm />
      </>
    );
  }
  const found = lookup.data;
  if (!found.genuine || !found.pdfSha256 || !found.reportId) {
    return (
      <>
        <Alert tone="warning" title="This code names no report issued here">
          <p>
            No report this service issued has report id <code>{code.reportId}</code> with these results. The link may be mistyped, or the
            report may come from another Hand on Heart installation. You can still check the PDF itself below.
          </p>
        </Alert>
        <VerifyReportForm />
      </>
    );
  }
  return (
    <>
      <Alert tone="info" title="This code names a genuine report">
        <p>
          This code names report <code>{found.reportId}</code> issued to <strong>{found.organisation}</strong> on{' '}
          {formatDateTime(found.issuedAt)}.
        </p>
        <p>
          To confirm the file you hold is that report, unaltered, drop or choose it below. Its SHA-256 must be <code>{found.pdfSha256}</code>.
        </p>
      </Alert>
      <VerifyReportForm expected={{ reportId: found.reportId, pdfSha256: found.pdfSha256 }} />
    </>
  );
}
