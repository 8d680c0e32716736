import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { NotFoundPanel } from '@/components/errors/not-found-panel';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { STATUS_LABELS } from '@/config/vocabulary';
import { useSubmitAssessment } from '@/features/assessments/api/assessment-mutations';
import { useAssessment } from '@/features/assessments/api/get-assessment';
import { AssessmentPicker } from '@/features/assessments/components/assessment-picker';
import { ReviewList } from '@/features/assessments/components/review-list';
import { SignedPanel, SignOffPanel, VerificationPanel } from '@/features/assessments/components/sign-off-panel';
import { useCurrentAssessment } from '@/features/assessments/hooks/use-current-assessment';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useFramework } from '@/features/frameworks/api/get-framework';
import { useMembers } from '@/features/organisations/api/get-members';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const { list, current, missing } = useCurrentAssessment(orgId);
  const assessment = useAssessment(orgId, current?.id);
  const framework = useFramework(current?.framework);
  const members = useMembers(orgId);
  const submit = useSubmitAssessment(orgId, current?.id ?? '');
  const canManage = can(membership, 'manage');
  const failed = list.error ?? assessment.error ?? framework.error;
  const nameOf = (id: string) => members.data?.find((m) => m.userId === id)?.name ?? 'A former member';
  const a = assessment.data;

  return (
    <>
      <PageHeader title="Review & sign-off" lead="Reviewers approve or return answers; then the accountable individual signs and the assessment locks." />
      <AssessmentPicker orgId={orgId} />
      {failed ? <LoadError what="the assessment" error={failed} onRetry={() => void assessment.refetch()} /> : null}
      {missing ? <NotFoundPanel what="Assessment" /> : null}
      {list.data && !current && !missing ? (
        <EmptyState
          title="Nothing to review yet"
          action={
            <Link className="btn btn--primary" to={paths.app.overview.getHref()}>
              Go to the overview
            </Link>
          }
        >
          <p>Start an assessment and answer some questions first.</p>
        </EmptyState>
      ) : null}
      {current && (!a || !framework.data) && !failed ? <Spinner label="Loading the assessment…" /> : null}
      {a && framework.data ? (
        <div className="stack">
          <Card aria-labelledby="status-title">
            <h2 id="status-title">
              {a.title}: {STATUS_LABELS[a.status]}
            </h2>
            {a.status === 'draft' ? (
              <>
                <p>While in draft, contributors answer and reviewers can already approve or return answers. Submit it when the answers are complete.</p>
                {canManage ? (
                  <Button onClick={() => submit.mutate()} isLoading={submit.isPending}>
                    Submit for review
                  </Button>
                ) : null}
              </>
            ) : null}
            {a.status === 'in_review' ? (
              <p>
                Submitted {a.submittedAt ? new Date(a.submittedAt).toLocaleString() : ''}.{' '}
                {membership.accountableIndividual ? 'When the reviews are done, sign below.' : 'The accountable individual signs it once the reviews are done.'}
              </p>
            ) : null}
            {submit.error ? (
              <Alert tone="error" title="Not submitted">
                {describeError(submit.error)}
              </Alert>
            ) : null}
          </Card>

          {a.status === 'signed' ? <SignedPanel assessment={a} nameOf={nameOf} /> : null}
          {a.status === 'signed' && can(membership, 'verify') ? <VerificationPanel orgId={orgId} assessment={a} /> : null}
          {a.status === 'in_review' && can(membership, 'sign') ? <SignOffPanel orgId={orgId} assessment={a} /> : null}

          <section aria-labelledby="answers-title">
            <h2 id="answers-title">Answers</h2>
            <ReviewList orgId={orgId} assessment={a} framework={framework.data} userId={user.id} canReview={canManage} members={members.data ?? []} />
          </section>
        </div>
      ) : null}
    </>
  );
}
