import { useState } from 'react';
import { Link } from 'react-router';

import { NotFoundPanel } from '@/components/errors/not-found-panel';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { STATUS_LABELS } from '@/config/vocabulary';
import { AssessmentPicker } from '@/features/assessments/components/assessment-picker';
import { useCurrentAssessment } from '@/features/assessments/hooks/use-current-assessment';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useReports } from '@/features/reports/api/get-reports';
import { useIssueReport } from '@/features/reports/api/issue-report';
import { PUBLIC_KEY_PATH } from '@/features/reports/api/verify-report';
import { ReportHistory } from '@/features/reports/components/report-history';
import { ReportProgress } from '@/features/reports/components/report-progress';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const canIssue = can(membership, 'manage');
  const { list, current, missing } = useCurrentAssessment(orgId);
  const reports = useReports(orgId);
  const issue = useIssueReport(orgId, current?.id ?? '');
  // The job last issued from here, shown only while its assessment is the one picked.
  const [active, setActive] = useState<{ reportId: string; assessmentId: string } | null>(null);
  const activeId = active && active.assessmentId === current?.id ? active.reportId : null;

  if (missing) {
    return (
      <>
        <PageHeader title="Reports" />
        <NotFoundPanel what="Assessment" />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Reports"
        lead="The board-ready PDF: signed, hashed and recorded, so anyone holding a copy can check it is genuine and unaltered."
      />
      <AssessmentPicker orgId={orgId} />

      {canIssue ? (
        <Card aria-labelledby="issue-title" className="section-gap">
          <h2 id="issue-title">Issue a report</h2>
          {list.isPending ? <Spinner label="Loading assessments…" /> : null}
          {list.error ? <LoadError what="the assessments" error={list.error} onRetry={() => void list.refetch()} /> : null}
          {list.data && !current ? (
            <p>
              There is no assessment to report on yet. <Link to={paths.app.overview.getHref()}>Start one on the overview</Link>.
            </p>
          ) : null}
          {current ? (
            <>
              <p>
                For <strong>{current.title}</strong> ({current.period.label}, {STATUS_LABELS[current.status]}); pick another assessment above to report on
                it instead.{' '}
                {current.status === 'signed'
                  ? 'The report uses the result frozen at sign-off; issuing it again gives a new signed report of the same result.'
                  : 'It is not signed off yet, so the PDF will carry a DRAFT watermark on every page.'}
              </p>
              <Button
                onClick={() => issue.mutate(undefined, { onSuccess: (r) => setActive({ reportId: r.id, assessmentId: r.assessmentId }) })}
                isLoading={issue.isPending}
              >
                Issue the report
              </Button>
            </>
          ) : null}
          {issue.error ? (
            <Alert tone="error" title="The report was not issued">
              {describeError(issue.error)}
            </Alert>
          ) : null}
          {activeId ? <ReportProgress orgId={orgId} reportId={activeId} /> : null}
        </Card>
      ) : null}

      <section className="section-gap" aria-labelledby="history-title">
        <div className="section-head">
          <h2 id="history-title">History</h2>
          <div className="section-head__actions">
            <Link className="btn btn--secondary" to={paths.verifyReport.getHref()}>
              Verify a report
            </Link>
            <a className="btn btn--ghost" href={PUBLIC_KEY_PATH} target="_blank" rel="noreferrer">
              Public signing key
            </a>
          </div>
        </div>
        {reports.isPending ? <Spinner label="Loading reports…" /> : null}
        {reports.error ? <LoadError what="the reports" error={reports.error} onRetry={() => void reports.refetch()} /> : null}
        {reports.data && reports.data.length === 0 ? (
          <EmptyState title="No reports issued yet">
            <p>
              {canIssue
                ? 'Issue one above. Draft assessments give a watermarked draft; sign off first for the board-ready version.'
                : 'An owner or assessor issues reports; they appear here for download once ready.'}
            </p>
          </EmptyState>
        ) : null}
        {reports.data && reports.data.length > 0 ? <ReportHistory orgId={orgId} reports={reports.data} assessments={list.data ?? []} /> : null}
      </section>
    </>
  );
}
