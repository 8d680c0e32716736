import { CreateInvitationRequestSchema } from '@hoh/contracts';
import type { CreateInvitationResponse, Role } from '@hoh/contracts';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { describeError } from '@/lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '@/lib/form-errors';
import type { FieldErrors } from '@/lib/form-errors';
import { formatDate } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/permissions';
import { invitationLink, useCreateInvitation } from '../api/invitations';

/** Invite by email and role; the invitation is emailed, and its single-use link is also shown once, to pass on by hand. */
export function InviteForm({ orgId }: { orgId: string }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('contributor');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<CreateInvitationResponse | null>(null);
  const invite = useCreateInvitation(orgId);
  const server = fieldErrorsFromApiError(invite.error, ['email', 'role']);
  const errors = { ...server.fields, ...clientErrors };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = CreateInvitationRequestSchema.safeParse({ email, role });
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    invite.mutate(parsed.data, {
      onSuccess: (result) => {
        setCreated(result);
        setEmail('');
      },
    });
  };

  return (
    <>
      <form className="invite-form" onSubmit={submit} noValidate aria-label="Invite a member">
        <TextField label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={errors['email']} />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={(['owner', 'assessor', 'contributor', 'auditor'] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          error={errors['role']}
        />
        <div className="field invite-form__submit">
          <Button type="submit" isLoading={invite.isPending}>
            Create invitation
          </Button>
        </div>
      </form>
      {invite.error && Object.keys(server.fields).length === 0 ? (
        <Alert tone="error" title="No invitation was created">
          {describeError(invite.error)}
        </Alert>
      ) : null}
      {created ? (
        <Alert tone="success" title={`Invitation for ${created.email} (${ROLE_LABELS[created.role]})`}>
          <p>
            We have emailed them this link; you can also send it yourself. It is shown <strong>only once</strong>, works once and expires on {formatDate(created.expiresAt)}.
          </p>
          <p className="secret">
            <code className="break" data-testid="invitation-link">
              {invitationLink(created.token)}
            </code>
          </p>
          <CopyButton value={invitationLink(created.token)} label="Copy the link" />
          <Button variant="ghost" onClick={() => setCreated(null)}>
            I have sent it, hide the link
          </Button>
        </Alert>
      ) : null}
    </>
  );
}
