import { PasswordResetConfirmRequestSchema } from '@hoh/contracts';
import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { useContractForm } from '@/lib/use-contract-form';
import { useConfirmPasswordReset } from '../api/password-reset';

const FIELDS = ['password', 'token'] as const;

/** Chooses the new password with the token from the mailed link. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const confirm = useConfirmPasswordReset();
  const form = useContractForm({ schema: PasswordResetConfirmRequestSchema, mutation: confirm, fields: FIELDS });

  if (confirm.isSuccess) {
    return (
      <div className="form">
        <Alert tone="success" title="Your password is changed">
          <p>Every session of your account has ended. Sign in with the new password.</p>
        </Alert>
        <Link className="btn btn--primary btn--block" to={paths.auth.signIn.getHref()}>
          Sign in
        </Link>
      </div>
    );
  }
  if (token === '' || form.fieldErrors.token) {
    return (
      <div className="form">
        <Alert tone="error" title="This reset link does not work">
          <p>{form.fieldErrors.token ?? 'The link is incomplete. Open it again from the email, or ask for a new one.'}</p>
        </Alert>
        <Link className="btn btn--primary btn--block" to={paths.auth.forgotPassword.getHref()}>
          Ask for a new link
        </Link>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={form.onSubmit({ token, password })} noValidate aria-describedby="reset-status">
      <FormStatus id="reset-status" formErrorTitle="Your password was not changed" {...form.statusProps({ token, password })} />
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters; a passphrase of several words is easiest"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={form.fieldErrors.password}
        required
      />
      <Button type="submit" isLoading={confirm.isPending} className="btn--block">
        Set the new password
      </Button>
    </form>
  );
}
