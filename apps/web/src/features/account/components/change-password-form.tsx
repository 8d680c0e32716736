import { ChangePasswordRequestSchema } from '@hoh/contracts';
import { useEffect, useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { ApiError } from '@/lib/api-client';
import { useContractForm } from '@/lib/use-contract-form';
import { useChangePassword } from '../api/account';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const change = useChangePassword();
  // A wrong current password is about that field, not the whole form.
  const wrongCurrent = change.error instanceof ApiError && change.error.code === 'REAUTH_FAILED' ? { currentPassword: change.error.message } : {};
  const form = useContractForm({ schema: ChangePasswordRequestSchema, mutation: change, fields: FIELDS, extraFieldErrors: wrongCurrent });
  const values = { currentPassword, newPassword };
  // Changed: the passwords typed should not linger in the form (or be sent again by a second click).
  useEffect(() => {
    if (!change.isSuccess) return;
    setCurrentPassword('');
    setNewPassword('');
  }, [change.isSuccess]);

  return (
    <form
      className="form"
      onSubmit={form.onSubmit(values)}
      noValidate
      aria-describedby="change-password-status"
    >
      <FormStatus id="change-password-status" formErrorTitle="Your password was not changed" {...form.statusProps(values)}>
        {change.data ? (
          <Alert tone="success" title="Password changed">
            {change.data.endedSessions === 0
              ? 'You had no other sessions to end.'
              : `${String(change.data.endedSessions)} other session${change.data.endedSessions === 1 ? '' : 's'} ended; this one stays signed in.`}
          </Alert>
        ) : null}
      </FormStatus>
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(e) => setCurrentPassword(e.target.value)}
        error={form.fieldErrors.currentPassword}
        required
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Changing it signs you out everywhere else."
        value={newPassword}
        onChange={(e) => setNewPassword(e.target.value)}
        error={form.fieldErrors.newPassword}
        required
      />
      <Button type="submit" isLoading={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
