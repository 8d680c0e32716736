import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useBankChanges } from '@/features/frameworks/api/get-bank-changes';
import { BankChangesView } from '@/features/frameworks/components/bank-changes-view';
import { UpgradeAssessment } from '@/features/frameworks/components/upgrade-assessment';
import { can } from '@/lib/permissions';

/** "What this version changes for you": reached from the overview's banner when a newer bank is published. */
export function Component() {
  const { membership } = useCurrentMembership();
  const [params] = useSearchParams();
  const frameworkId = params.get('framework') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const complete = frameworkId !== '' && from !== '' && to !== '';
  const changes = useBankChanges(membership.organisationId, complete ? { frameworkId, from, to } : null);
  // The assessment offered for the upgrade stays on screen after it moved: the refreshed comparison
  // no longer names it (it is on the new version now), and the confirmation must not vanish with it.
  const offered = changes.data?.assessment && changes.data.assessment.status !== 'signed' ? changes.data.assessment : null;
  const [kept, setKept] = useState(offered);
  if (offered && offered.id !== kept?.id) setKept(offered);
  const upgradable = offered ?? kept;

  return (
    <>
      <PageHeader
        title="What the new question bank changes for you"
        lead="Regulation moves, and the question bank moves with it. Here is what the newer version asks of your organisation, given your profile and your latest answers. Signed assessments never change."
      />
      {!complete ? (
        <p>
          This page needs a bank and two versions. Open it from the banner on the <Link to={paths.app.overview.getHref()}>overview</Link>.
        </p>
      ) : null}
      {changes.isPending && complete ? <Spinner label="Comparing the versions…" /> : null}
      {changes.error ? <LoadError what="the comparison" error={changes.error} onRetry={() => void changes.refetch()} /> : null}
      {changes.data ? <BankChangesView changes={changes.data} /> : null}
      {changes.data && upgradable && can(membership, 'manage') ? (
        <UpgradeAssessment key={upgradable.id} orgId={membership.organisationId} changes={{ ...changes.data, assessment: upgradable }} />
      ) : null}
    </>
  );
}
