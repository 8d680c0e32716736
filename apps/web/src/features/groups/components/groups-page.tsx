import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { can } from '@/lib/permissions';
import { useCurrentMembership } from '@/features/auth';
import { useAcceptGroup, useCreateGroup, useGrantFullRead, useLeaveGroup, useMyGroups, useOrganisationGroups, usePublishSummary, useRevokeFullRead } from '../api/groups';
import '../groups.css';

/**
 * Groups (docs/PRODUCT.md §16): the groups you own or view, and the current organisation's side —
 * invitations its owner accepts or declines, groups it leaves, and the summary it shows them.
 */
export function GroupsPage() {
  const { membership, memberships } = useCurrentMembership();
  const orgId = membership.organisationId;
  const mine = useMyGroups();
  const ofOrg = useOrganisationGroups(orgId);
  const create = useCreateGroup();
  const accept = useAcceptGroup(orgId);
  const leave = useLeaveGroup(orgId);
  const publish = usePublishSummary(orgId);
  const grant = useGrantFullRead(orgId);
  const revoke = useRevokeFullRead(orgId);
  const [name, setName] = useState('');
  const ownsAnOrganisation = memberships.some((m) => m.role === 'owner');
  const isOwner = can(membership, 'administer');

  return (
    <>
      <PageHeader
        title="Groups"
        lead="One view across several organisations: a group sees each member's summary (scores, bands, critical gaps by id, attestation status, overdue actions, signed report hashes), never answers, evidence or people."
      />

      <Card aria-labelledby="my-groups-title">
        <h2 id="my-groups-title">Your groups</h2>
        {mine.isPending ? <Spinner label="Loading your groups…" /> : null}
        {mine.error ? <LoadError what="your groups" error={mine.error} onRetry={() => void mine.refetch()} /> : null}
        {mine.data && mine.data.groups.length === 0 ? <p>You are in no group yet.</p> : null}
        {mine.data && mine.data.groups.length > 0 ? (
          <ul>
            {mine.data.groups.map((g) => (
              <li key={g.id}>
                <Link to={paths.app.group.getHref(g.id)}>{g.name}</Link> <span className="muted">({g.role === 'owner' ? 'owner' : 'viewer'})</span>
              </li>
            ))}
          </ul>
        ) : null}
        {ownsAnOrganisation ? (
          <form
            className="stack section-gap"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate(name, { onSuccess: () => setName('') });
            }}
          >
            <TextField label="New group name" value={name} onChange={(e) => setName(e.target.value)} hint="You become its owner; invite organisations from its page." maxLength={120} />
            <Button type="submit" isLoading={create.isPending}>
              Create group
            </Button>
            {create.error ? (
              <Alert tone="error" title="No group was created">
                {describeError(create.error)}
              </Alert>
            ) : null}
            {create.isSuccess ? <p role="status">Group created: open it to invite organisations.</p> : null}
          </form>
        ) : (
          <p className="muted">Only an organisation owner can create a group; ask one to add you as a viewer.</p>
        )}
      </Card>

      <Card aria-labelledby="org-groups-title" className="section-gap">
        <h2 id="org-groups-title">{membership.organisationName}&rsquo;s groups</h2>
        <p>
          A group&rsquo;s owner invites this organisation by its id: <code data-testid="organisation-id">{orgId}</code>. It joins only when an
          owner of {membership.organisationName} accepts, and either side can end it.
        </p>
        {ofOrg.isPending ? <Spinner label="Loading this organisation's groups…" /> : null}
        {ofOrg.error ? <LoadError what="this organisation's groups" error={ofOrg.error} onRetry={() => void ofOrg.refetch()} /> : null}
        {ofOrg.data && ofOrg.data.groups.length === 0 ? <p>No group has invited {membership.organisationName}.</p> : null}
        {ofOrg.data && ofOrg.data.groups.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Groups this organisation is invited to or belongs to</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Status</th>
                  <th scope="col">Full read</th>
                  {isOwner ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {ofOrg.data.groups.map((g) => (
                  <tr key={g.groupId}>
                    <th scope="row">{g.name}</th>
                    <td>{g.status === 'invited' ? `Invited ${formatDateTime(g.invitedAt)}` : `Member since ${formatDateTime(g.joinedAt)}`}</td>
                    <td>{g.fullRead ? 'Granted: answers, evidence list and latest report' : 'Summary only'}</td>
                    {isOwner ? (
                      <td className="table__actions">
                        {g.status === 'member' && !g.fullRead ? (
                          <Button variant="secondary" onClick={() => grant.mutate(g.groupId)} isLoading={grant.isPending && grant.variables === g.groupId}>
                            Grant {g.name} full read
                          </Button>
                        ) : null}
                        {g.fullRead ? (
                          <Button variant="secondary" onClick={() => revoke.mutate(g.groupId)} isLoading={revoke.isPending && revoke.variables === g.groupId}>
                            Revoke {g.name}&rsquo;s full read
                          </Button>
                        ) : null}
                        {g.status === 'invited' ? (
                          <Button onClick={() => accept.mutate(g.groupId)} isLoading={accept.isPending && accept.variables === g.groupId}>
                            Accept and join {g.name}
                          </Button>
                        ) : null}
                        <Button variant="danger" onClick={() => leave.mutate(g.groupId)} isLoading={leave.isPending && leave.variables === g.groupId}>
                          {g.status === 'invited' ? `Decline ${g.name}` : `Leave ${g.name}`}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {ofOrg.data ? (
          <p className="section-gap">
            {ofOrg.data.summaryRefreshedAt
              ? `Summary last published to groups ${formatDateTime(ofOrg.data.summaryRefreshedAt)}; it is published again at each sign-off.`
              : 'No summary published yet: it is published when this organisation joins a group and at each sign-off.'}
          </p>
        ) : null}
        {ofOrg.data && ofOrg.data.groups.some((g) => g.status === 'member') && can(membership, 'manage') ? (
          <Button variant="secondary" onClick={() => publish.mutate(undefined)} isLoading={publish.isPending}>
            Publish the summary now
          </Button>
        ) : null}
        {isOwner ? (
          <p className="muted">
            Full read lets the group&rsquo;s owners and viewers read this organisation&rsquo;s latest answers, its evidence list (never the files)
            and its latest issued report, read only. Revoking or leaving ends it at once.
          </p>
        ) : null}
        {[accept, leave, publish, grant, revoke].map((m, i) =>
          m.error ? (
            <Alert key={i} tone="error" title="That did not go through">
              {describeError(m.error)}
            </Alert>
          ) : null,
        )}
      </Card>
    </>
  );
}
