import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { STATUS_LABELS } from '@/config/vocabulary';
import { useCreateAssessment } from '@/features/assessments/api/create-assessment';
import { DomainChart } from '@/features/assessments/components/domain-chart';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useDashboard } from '@/features/dashboard/api/get-dashboard';
import { DrillScheduleNotice } from '@/features/drills/components/drill-schedule';
import { ActionsSummary } from '@/features/dashboard/components/actions-summary';
import { DashboardCritical } from '@/features/dashboard/components/dashboard-critical';
import { DashboardScore } from '@/features/dashboard/components/dashboard-score';
import { DomainChanges } from '@/features/dashboard/components/domain-changes';
import { NextYearReview } from '@/features/dashboard/components/next-year-review';
import { PeersCard } from '@/features/dashboard/components/peers-card';
import { ReadyToAttest } from '@/features/dashboard/components/ready-to-attest';
import { TrendChart } from '@/features/dashboard/components/trend-chart';
import { BankChangesBanner } from '@/features/frameworks/components/bank-changes-banner';
import { RegulationWatch } from '@/features/frameworks/components/regulation-watch';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const canManage = can(membership, 'manage');
  const dashboard = useDashboard(orgId);
  const questionnaireHref = (id: string) => `${paths.app.questionnaire.getHref()}?assessment=${id}`;
  const create = useCreateAssessment(orgId);
  const firstName = user.name.split(/\s+/)[0];
  const data = dashboard.data;
  const current = data?.current ?? null;

  return (
    <>
      <PageHeader
        title="Overview"
        lead={`Welcome${firstName ? `, ${firstName}` : ''}. This is where ${membership.organisationName} shows, with evidence, what it does to keep child sexual abuse material off its platforms and devices.`}
      />

      {dashboard.isPending ? <Spinner label="Loading the overview…" /> : null}
      {dashboard.error ? <LoadError what="the overview" error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {create.error ? (
        <Alert tone="error" title="The assessment was not started">
          {describeError(create.error)}
        </Alert>
      ) : null}

      {data && !data.profile.described ? (
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
            The questions that apply depend on your services, users and risks.{' '}
            {canManage ? 'It takes four short steps, and a fifth of optional facts.' : 'Ask an owner or assessor to complete the organisation profile.'}
          </p>
        </EmptyState>
      ) : null}

      {data?.profile.described && !current ? (
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

      {data && current ? (
        <>
          <BankChangesBanner orgId={orgId} framework={current.assessment.framework} />
          <div className="overview-head">
            <div>
              <h2 className="overview-head__title">{current.assessment.title}</h2>
              <p className="muted">
                {current.assessment.period.label} · {STATUS_LABELS[current.assessment.status]}
              </p>
            </div>
            <div className="overview-head__actions">
              <Link className="btn btn--primary" to={questionnaireHref(current.assessment.id)}>
                {current.assessment.status === 'signed' || !can(membership, 'contribute') ? 'Read the answers' : 'Continue answering'}
              </Link>
              <Link className="btn btn--secondary" to={`${paths.app.review.getHref()}?assessment=${current.assessment.id}`}>
                Review &amp; sign-off
              </Link>
            </div>
          </div>
          <div className="overview-grid">
            <DashboardScore current={current} />
            <Card aria-labelledby="attest-title">
              <h2 id="attest-title">Ready to attest?</h2>
              <ReadyToAttest current={current} />
            </Card>
            <Card aria-labelledby="domains-title">
              <h2 id="domains-title">Domains</h2>
              <DomainChart domains={current.domains} />
            </Card>
            <Card aria-labelledby="actions-title">
              <h2 id="actions-title">Remediation actions</h2>
              <ActionsSummary actions={data.actions} />
            </Card>
            <Card aria-labelledby="trend-title" className="overview-grid__wide">
              <h2 id="trend-title">Trend</h2>
              <TrendChart points={data.trend} />
            </Card>
            <Card aria-labelledby="peers-title" className="overview-grid__wide">
              <h2 id="peers-title">You vs peers</h2>
              <PeersCard orgId={orgId} canAdminister={can(membership, 'administer')} />
            </Card>
            <Card aria-labelledby="watch-title" className="overview-grid__wide">
              <h2 id="watch-title">Regulation watch</h2>
              <RegulationWatch watch={current.assessment.framework.watch} bank={`${current.assessment.framework.id} ${current.assessment.framework.version}`} />
            </Card>
            {current.comparison ? (
              <Card aria-labelledby="changes-title" className="overview-grid__wide">
                <h2 id="changes-title">Changes by domain</h2>
                <DomainChanges comparison={current.comparison} />
              </Card>
            ) : null}
            <Card aria-labelledby="critical-title" className="overview-grid__wide">
              <h2 id="critical-title">Critical controls</h2>
              <p className="muted">Any critical control at level 1 or below forces Red; at level 2 it caps the band at Amber.</p>
              <DashboardCritical current={current} />
            </Card>
          </div>
          {canManage ? (
            <section className="section-gap" aria-labelledby="next-title">
              <h2 id="next-title">Next year&apos;s review</h2>
              <NextYearReview key={current.assessment.id} orgId={orgId} source={current.assessment} />
              <div className="row section-gap">
                <Button variant="ghost" onClick={() => create.mutate({})} isLoading={create.isPending}>
                  Start a blank assessment
                </Button>
              </div>
            </section>
          ) : null}
        </>
      ) : null}
      {/* The drill schedule rides on the dashboard's one response (docs/PRODUCT.md §15.5). */}
      {data ? <DrillScheduleNotice items={data.drills} /> : null}
    </>
  );
}
