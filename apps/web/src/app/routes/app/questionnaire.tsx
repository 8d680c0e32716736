import { Link } from 'react-router';

import { EmptyState } from '@/components/ui/empty-state';
import { NotFoundPanel } from '@/components/errors/not-found-panel';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useAssessment } from '@/features/assessments/api/get-assessment';
import { useScore } from '@/features/assessments/api/get-score';
import { AssessmentPicker } from '@/features/assessments/components/assessment-picker';
import { Questionnaire } from '@/features/assessments/components/questionnaire';
import { useCurrentAssessment } from '@/features/assessments/hooks/use-current-assessment';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useFramework } from '@/features/frameworks/api/get-framework';
import { useMembers } from '@/features/organisations/api/get-members';
import { can } from '@/lib/permissions';

/** Autosave is promised only where answers can change: a signed assessment is read-only for everyone. */
function questionnaireLead(title: string, status: string, answerScope: 'all' | 'assigned' | 'none', bank: { id: string; version: string }): string {
  // The bank version is named wherever answers are read, so a score is never compared across versions unknowingly.
  const bankNote = ` Question bank ${bank.id} ${bank.version}.`;
  if (status === 'signed') return `${title}. Signed off: read-only, nothing here can change. Start next year's review from the overview to answer again.${bankNote}`;
  if (answerScope === 'none') return `${title}. Read-only for your role; each level's description is shown with the answer.${bankNote}`;
  return `${title}. Answers save as you go; each level's description is shown while you choose.${bankNote}`;
}

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const { list, current, missing } = useCurrentAssessment(orgId);
  const assessment = useAssessment(orgId, current?.id);
  const score = useScore(orgId, current?.id);
  const framework = useFramework(current?.framework);
  const members = useMembers(orgId);

  const answerScope = can(membership, 'manage') ? 'all' : can(membership, 'contribute') ? 'assigned' : 'none';
  const failed = list.error ?? assessment.error ?? framework.error;

  return (
    <>
      <PageHeader
        title="Questionnaire"
        lead={current ? questionnaireLead(current.title, current.status, answerScope, current.framework) : undefined}
      />
      <AssessmentPicker orgId={orgId} />
      {failed ? (
        <LoadError
          what="the questionnaire"
          error={failed}
          onRetry={() => {
            void list.refetch();
            void assessment.refetch();
            void framework.refetch();
          }}
        />
      ) : null}
      {missing ? <NotFoundPanel what="Assessment" /> : null}
      {list.data && !current && !missing ? (
        <EmptyState
          title="No assessment to answer yet"
          action={
            <Link className="btn btn--primary" to={paths.app.overview.getHref()}>
              Go to the overview
            </Link>
          }
        >
          <p>{can(membership, 'manage') ? 'Start an assessment on the overview first.' : 'An owner or assessor starts the assessment; the questions appear here then.'}</p>
        </EmptyState>
      ) : null}
      {current && (!assessment.data || !framework.data) && !failed ? <Spinner label="Loading the questions…" /> : null}
      {assessment.data && framework.data ? (
        <Questionnaire
          orgId={orgId}
          assessment={assessment.data}
          framework={framework.data}
          score={score.data}
          userId={user.id}
          answerScope={answerScope}
          canAssign={can(membership, 'manage')}
          members={members.data ?? []}
        />
      ) : null}
    </>
  );
}
