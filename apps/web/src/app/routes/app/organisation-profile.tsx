import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useApplicability } from '@/features/organisations/api/get-applicability';
import { useExposure } from '@/features/organisations/api/get-exposure';
import { useProfile } from '@/features/organisations/api/get-profile';
import { ApplicabilityPreview } from '@/features/organisations/components/applicability-preview';
import { ExposureMap } from '@/features/organisations/components/exposure-map';
import { ProfileSummary } from '@/features/organisations/components/profile-summary';
import { ProfileWizard } from '@/features/organisations/components/profile-wizard';
import { can } from '@/lib/permissions';

export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const profile = useProfile(orgId);
  const hasProfile = Boolean(profile.data?.profile);
  const exposure = useExposure(orgId, hasProfile);
  const canEdit = can(membership, 'manage');
  const applicability = useApplicability(orgId, hasProfile && !canEdit);

  return (
    <>
      <PageHeader
        title="Organisation profile"
        lead="Describe your services with facts. The questions and regulatory measures that apply to you follow from them, and each one says why."
      />
      {profile.isPending ? <Spinner label="Loading the profile…" /> : null}
      {profile.error ? <LoadError what="the profile" error={profile.error} onRetry={() => void profile.refetch()} /> : null}
      {profile.data ? (
        canEdit ? (
          <>
            {!hasProfile ? (
              <Alert tone="info" title="Start here">
                Your organisation has no profile yet. Answer four short steps (a fifth, of optional facts, sharpens which rules apply); the preview on the right shows which questions apply as you go.
              </Alert>
            ) : null}
            <ProfileWizard orgId={orgId} current={profile.data} />
            {hasProfile ? (
              <p className="next-step">
                Next: <Link to={paths.app.overview.getHref()}>start or continue an assessment on the overview</Link>.
              </p>
            ) : null}
          </>
        ) : profile.data.profile ? (
          <div className="stack">
            <ProfileSummary profile={profile.data.profile} />
            <ApplicabilityPreview
              title="Questions that apply"
              data={applicability.data}
              isLoading={applicability.isFetching}
              error={applicability.error}
              draftValid
              onRetry={() => void applicability.refetch()}
            />
          </div>
        ) : (
          <Alert tone="info" title="No profile yet">
            An owner or assessor describes the organisation here first. Ask them to complete the profile.
          </Alert>
        )
      ) : null}
      {hasProfile ? (
        <div className="section-gap">
          {exposure.isPending ? <Spinner label="Loading the exposure map…" /> : null}
          {exposure.error ? <LoadError what="the exposure map" error={exposure.error} onRetry={() => void exposure.refetch()} /> : null}
          {exposure.data ? <ExposureMap exposure={exposure.data} /> : null}
        </div>
      ) : null}
    </>
  );
}
