import { LoadError } from '../../../components/ui/load-error';
import { PageHeader } from '../../../components/ui/page-header';
import { Spinner } from '../../../components/ui/spinner';
import { useCurrentMembership } from '../../../features/auth/hooks/use-current-membership';
import { useMembers } from '../../../features/organisations/api/get-members';
import { MembersTable } from '../../../features/organisations/components/members-table';

export function Component() {
  const { user, membership } = useCurrentMembership();
  const members = useMembers(membership.organisationId);
  return (
    <>
      <PageHeader
        title="Members"
        lead="Everyone in the organisation and their role. Owners and assessors manage the assessment, contributors answer what is assigned to them, auditors read everything and change nothing."
      />
      {members.isPending ? <Spinner label="Loading members…" /> : null}
      {members.error ? <LoadError what="the members" error={members.error} onRetry={() => void members.refetch()} /> : null}
      {members.data ? <MembersTable members={members.data} currentUserId={user.id} /> : null}
    </>
  );
}
