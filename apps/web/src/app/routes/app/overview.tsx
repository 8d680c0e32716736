import { Link } from 'react-router';

import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { Card } from '../../../components/ui/card';
import { EmptyState } from '../../../components/ui/empty-state';
import { LoadError } from '../../../components/ui/load-error';
import { PageHeader } from '../../../components/ui/page-header';
import { Spinner } from '../../../components/ui/spinner';
import { paths } from '../../../config/paths';
import { STATUS_LABELS } from '../../../config/vocabulary';
import { useCreateAssessment } from '../../../features/assessments/api/create-assessment';
import { useScore } from '../../../features/assessments/api/get-score';
import { AssessmentList } from '../../../features/assessments/components/assessment-list';
import { CriticalControls } from '../../../features/assessments/components/critical-controls';
import { DomainChart } from '../../../features/assessments/components/domain-chart';
import { ScoreSummary } from '../../../features/assessments/components/score-summary';
import { useCurrentAssessment } from '../../../features/assessments/hooks/use-current-assessment';
import { useCurrentMembership } from '../../../features/auth/hooks/use-current-membership';
import { useFramework } from '../../../features/frameworks/api/get-framework';
import { useProfile } from '../../../features/organisations/api/get-profile';
import { describeError } from '../../../lib/api-client';
import { can } from '../../../lib/permissions';

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const canManage = can(membership, 'manage');
  const profile = useProfile(orgId);
  const { list, current, open } = useCurrentAssessment(orgId);
  const score = useScore(orgId, current?.id);
  const framework = useFramework(current?.framework);
  const create = useCreateAssessment(orgId, { onSuccess: (created) => open(created.id) });
  const firstName = user.name.split(/\s+/)[0];

  const questionText = (id: string) => framework.data?.questions.find((q) => q.id === id)?.text;
  const latest = list.data?.[0];

  return (
    <>
      <PageHeader
        title="Overview"
        lead={`Welcome${firstName ? `, ${firstName}` : ''}. This is where ${membership.organisationName} shows, with evidence, what it does to keep child sexual abuse material off its platforms and devices.`}
      />

      {list.isPending || profile.isPending ? <Spinner label="Loading your assessments…" /> : null}
      {list.error ? <LoadError what="your assessments" error={list.error} onRetry={() => void list.refetch()} /> : null}
      {profile.error ? <LoadError what="the organisation profile" error={profile.error} onRetry={() => void profile.refetch()} /> : null}
      {create.error ? (
        <Alert tone="error" title="The assessment was not started">
          {describeError(create.error)}
        </Alert>
      ) : null}

      {profile.data && profile.data.profile === null ? (
        <EmptyState
          title="First, describe your organisation"
          action={
            canManage ? (
              <Link className="btn btn--primary" to={paths.app.organisationProfile.getHref()}>
                Describe your organisation
              </Link>
            ) : null
          }
        >
          <p>
            The questions that apply depend on your services, users and risks. {canManage ? 'It takes four short steps.' : 'Ask an owner or assessor to complete the organisation profile.'}
          </p>
        </EmptyState>
      ) : null}

      {profile.data?.profile && list.data && list.data.length === 0 ? (
        <EmptyState
          title="No assessment yet"
          action={
            canManage ? (
              <Button onClick={() => create.mutate({})} isLoading={create.isPending}>
                Start your first assessment
              </Button>
            ) : null
          }
        >
          <p>{canManage ? 'Start one to see your readiness band, score and what drives it.' : 'An owner or assessor starts the assessment; you will see it here then.'}</p>
        </EmptyState>
      ) : null}

      {current ? (
        <>
          <div className="overview-head">
            <div>
              <h2 className="overview-head__title">{current.title}</h2>
              <p className="muted">
                {STATUS_LABELS[current.status]} · bank {current.framework.id} {current.framework.version}
              </p>
            </div>
            <div className="overview-head__actions">
              <Link className="btn btn--primary" to={`${paths.app.questionnaire.getHref()}?assessment=${current.id}`}>
                {current.status === 'signed' || !can(membership, 'contribute') ? 'Read the answers' : 'Continue answering'}
              </Link>
              <Link className="btn btn--secondary" to={`${paths.app.review.getHref()}?assessment=${current.id}`}>
                Review &amp; sign-off
              </Link>
            </div>
          </div>
          {score.isPending ? <Spinner label="Scoring…" /> : null}
          {score.error ? <LoadError what="the score" error={score.error} onRetry={() => void score.refetch()} /> : null}
          {score.data ? (
            <div className="overview-grid">
              <ScoreSummary score={score.data} />
              <Card aria-labelledby="domains-title">
                <h2 id="domains-title">Domains</h2>
                <DomainChart domains={score.data.domains} />
              </Card>
              <Card aria-labelledby="critical-title" className="overview-grid__wide">
                <h2 id="critical-title">Critical controls</h2>
                <p className="muted">Any critical control at level 1 or below forces Red; at level 2 it caps the band at Amber.</p>
                <CriticalControls items={score.data.items} questionText={questionText} />
              </Card>
            </div>
          ) : null}
        </>
      ) : null}

      {list.data && list.data.length > 0 ? (
        <section className="section-gap" aria-labelledby="assessments-title">
          <div className="section-head">
            <h2 id="assessments-title">All assessments</h2>
            {canManage && latest ? (
              <div className="section-head__actions">
                <Button variant="secondary" onClick={() => create.mutate({ fromAssessmentId: latest.id })} isLoading={create.isPending && create.variables.fromAssessmentId === latest.id}>
                  Start from “{latest.title}”
                </Button>
                <Button variant="ghost" onClick={() => create.mutate({})} isLoading={create.isPending && create.variables.fromAssessmentId === undefined}>
                  Start a blank assessment
                </Button>
              </div>
            ) : null}
          </div>
          <AssessmentList
            items={list.data}
            currentId={current?.id}
            onOpen={open}
          />
        </section>
      ) : null}
    </>
  );
}
