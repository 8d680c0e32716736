import type { Member } from '@hoh/contracts';
import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useInvitations } from '@/features/members/api/invitations';
import { useRemoveMember, useUpdateMember } from '@/features/members/api/member-mutations';
import { InvitationsList } from '@/features/members/components/invitations-list';
import { InviteForm } from '@/features/members/components/invite-form';
import { useMembers } from '@/features/organisations/api/get-members';
import { MembersTable } from '@/features/organisations/components/members-table';
import { SecondFactorPolicySetting } from '@/features/organisations/components/second-factor-policy';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const isOwner = can(membership, 'administer');
  const members = useMembers(orgId);
  const invitations = useInvitations(orgId, isOwner);
  const update = useUpdateMember(orgId);
  const remove = useRemoveMember(orgId);
  const [removing, setRemoving] = useState<Member | null>(null);

  const busyUserId = update.isPending ? update.variables.userId : null;
  const admin = isOwner
    ? {
        busyUserId,
        onRole: (m: Member, role: Member['role']) => update.mutate({ userId: m.userId, body: { role } }),
        onAccountable: (m: Member) => update.mutate({ userId: m.userId, body: { accountableIndividual: true } }),
        onRemove: (m: Member) => {
          remove.reset();
          setRemoving(m);
        },
      }
    : undefined;

  return (
    <>
      <PageHeader
        title="Members"
        lead="Everyone in the organisation and their role. Owners and assessors manage the assessment, contributors answer what is assigned to them, auditors read everything and change nothing."
      />
      {update.error ? (
        <Alert tone="error" title="The member was not changed">
          {describeError(update.error)}
        </Alert>
      ) : null}
      {members.isPending ? <Spinner label="Loading members…" /> : null}
      {members.error ? <LoadError what="the members" error={members.error} onRetry={() => void members.refetch()} /> : null}
      {members.data ? <MembersTable members={members.data} currentUserId={user.id} admin={admin} /> : null}
      {!isOwner ? <p className="muted section-gap">Only owners invite members and change roles.</p> : null}

      {isOwner ? (
        <>
          <Card aria-labelledby="invite-title" className="section-gap">
            <h2 id="invite-title">Invite a member</h2>
            <p className="muted">The invitation is emailed with its single-use link; you also see the link once, to pass on yourself if the mail is slow. Auditors can read everything and change nothing.</p>
            <InviteForm orgId={orgId} />
          </Card>
          <p className="section-gap">
            People can also join by signing in through your identity provider: <Link to={paths.app.ssoSettings.getHref()}>Single sign-on</Link>.
          </p>
          <Card aria-labelledby="second-factor-policy-title" className="section-gap">
            <h2 id="second-factor-policy-title">Sign-in security</h2>
            <SecondFactorPolicySetting orgId={orgId} />
          </Card>
          <section className="section-gap" aria-labelledby="pending-title">
            <h2 id="pending-title">Pending invitations</h2>
            {invitations.isPending ? <Spinner label="Loading invitations…" /> : null}
            {invitations.error ? <LoadError what="the invitations" error={invitations.error} onRetry={() => void invitations.refetch()} /> : null}
            {invitations.data ? <InvitationsList orgId={orgId} invitations={invitations.data} /> : null}
          </section>
        </>
      ) : null}

      {removing ? (
        <Dialog
          title={`Remove ${removing.name}?`}
          description="They lose access to this organisation at once. Their answers, evidence and audit entries stay."
          onClose={() => setRemoving(null)}
          actions={
            <>
              <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.mutate(removing.userId, { onSuccess: () => setRemoving(null) })}>
                Remove {removing.name}
              </Button>
              <Button variant="secondary" onClick={() => setRemoving(null)}>
                Cancel
              </Button>
            </>
          }
        >
          {remove.error ? (
            <Alert tone="error" title="Not removed">
              {describeError(remove.error)}
            </Alert>
          ) : null}
        </Dialog>
      ) : null}
    </>
  );
}
