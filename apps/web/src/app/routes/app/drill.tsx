import { Link, useParams } from 'react-router';

import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useDrill } from '@/features/drills/api/drills';
import { DrillRun } from '@/features/drills/components/drill-run';

/** One drill, run live: injects, decisions, notes, and its record once finished. */
export function Component() {
  const { membership, user } = useCurrentMembership();
  const orgId = membership.organisationId;
  const { drillId = '' } = useParams();
  const drill = useDrill(orgId, drillId);
  return (
    <>
      <PageHeader title={drill.data ? `Drill: ${drill.data.title}` : 'Drill'} lead="Injects appear as the facilitator reveals them. Record what you would do, in words only." />
      <p>
        <Link to={paths.app.drills.getHref()}>All drills</Link>
      </p>
      {drill.isPending ? <Spinner label="Loading the drill…" /> : null}
      {drill.error ? <LoadError what="the drill" error={drill.error} onRetry={() => void drill.refetch()} /> : null}
      {drill.data ? <DrillRun orgId={orgId} drill={drill.data} youId={user.id} /> : null}
    </>
  );
}
