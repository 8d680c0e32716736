import type { Invitation, InvitationDelivery } from '@hoh/contracts';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api-client';
import { formatDate } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/permissions';
import { useWithdrawInvitation } from '../api/invitations';

/** How the invitation's email fared, in words; a refusal shows the mail server's own reason. */
function deliveryText(delivery: InvitationDelivery | null | undefined): string {
  if (!delivery) return 'Not emailed (pass the link on yourself)';
  if (delivery.status === 'sent') return delivery.sentAt ? `Emailed ${formatDate(delivery.sentAt)}` : 'Emailed';
  if (delivery.status === 'failed') return `Could not be emailed: ${delivery.lastError ?? 'the mail server refused it'}. Withdraw it and invite again.`;
  return delivery.lastError ? `Being retried (${delivery.lastError})` : 'Being sent';
}

export function InvitationsList({ orgId, invitations }: { orgId: string; invitations: readonly Invitation[] }) {
  const withdraw = useWithdrawInvitation(orgId);
  if (invitations.length === 0) {
    return <p className="muted">No pending invitations. Invite someone above; their link works once.</p>;
  }
  return (
    <>
      {withdraw.error ? (
        <Alert tone="error" title="The invitation was not withdrawn">
          {describeError(withdraw.error)}
        </Alert>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Pending invitations</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited</th>
              <th scope="col">Expires</th>
              <th scope="col">Email sent</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td className="break">{i.email}</td>
                <td>{ROLE_LABELS[i.role]}</td>
                <td>{formatDate(i.createdAt)}</td>
                <td>{formatDate(i.expiresAt)}</td>
                <td className="break">{deliveryText(i.delivery)}</td>
                <td>
                  <Button variant="secondary" className="btn--small" onClick={() => withdraw.mutate(i.id)} isLoading={withdraw.isPending && withdraw.variables === i.id} aria-label={`Withdraw the invitation for ${i.email}`}>
                    Withdraw
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
