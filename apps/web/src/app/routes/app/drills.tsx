import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useDrills, useDrillScenarios } from '@/features/drills/api/drills';
import { DrillSchedule } from '@/features/drills/components/drill-schedule';
import { settingWords, StartDrillForm } from '@/features/drills/components/start-drill-form';
import { useMembers } from '@/features/organisations/api/get-members';
import { can } from '@/lib/permissions';

/** Incident drills (docs/PRODUCT.md §15): the drills held, and starting a new one. */
export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const drills = useDrills(orgId);
  const scenarios = useDrillScenarios(orgId);
  const members = useMembers(orgId);
  const manages = can(membership, 'manage');

  return (
    <>
      <PageHeader
        title="Incident drills"
        lead="Rehearse the first hours after suspected material turns up. A finished drill's record is kept as exercise evidence. Drills take words only: never add or describe material."
      />
      <section aria-labelledby="drill-schedule-title">
        <h2 id="drill-schedule-title">Schedule</h2>
        <p className="muted">Each scenario is due twelve months after its last finished drill (ENT-05 asks for at least a yearly exercise); due soon means within 30 days.</p>
        <DrillSchedule orgId={orgId} />
      </section>
      <h2>Drills held</h2>
      {drills.isPending ? <Spinner label="Loading drills…" /> : null}
      {drills.error ? <LoadError what="the drills" error={drills.error} onRetry={() => void drills.refetch()} /> : null}
      {drills.data ? (
        drills.data.items.length === 0 ? (
          <p className="muted">No drills yet.</p>
        ) : (
          <table className="table" aria-label="Drills">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Facilitator</th>
              </tr>
            </thead>
            <tbody>
              {drills.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={paths.app.drill.getHref(d.id)}>{d.title}</Link> <span className="muted">({settingWords(d.setting)})</span>
                  </td>
                  <td>{d.status}</td>
                  <td>{d.startedAt.slice(0, 16).replace('T', ' ')} UTC</td>
                  <td>{d.facilitator.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {manages ? (
        <Card aria-label="Start a drill">
          <h2>Start a drill</h2>
          {scenarios.error ? <LoadError what="the scenarios" error={scenarios.error} onRetry={() => void scenarios.refetch()} /> : null}
          {members.error ? <LoadError what="the members" error={members.error} onRetry={() => void members.refetch()} /> : null}
          {scenarios.data && members.data ? <StartDrillForm orgId={orgId} scenarios={scenarios.data.scenarios} members={members.data} /> : <Spinner label="Loading scenarios…" />}
        </Card>
      ) : (
        <p className="muted">An owner or assessor starts drills; you take part in the ones you are named in.</p>
      )}
    </>
  );
}
