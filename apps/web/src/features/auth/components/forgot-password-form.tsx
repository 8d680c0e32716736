import { PasswordResetRequestSchema } from '@hoh/contracts';
import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { useContractForm } from '@/lib/use-contract-form';
import { useRequestPasswordReset } from '../api/password-reset';
import '../auth.css';

const FIELDS = ['email'] as const;

/** Asks for a reset link. The server answers the same for any address, so the page can only say what it says. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState('');
  const request = useRequestPasswordReset();
  const form = useContractForm({ schema: PasswordResetRequestSchema, mutation: request, fields: FIELDS });

  if (request.data) {
    return (
      <div className="form">
        <Alert tone="success" title="Check your email">
          <p>{request.data.message}</p>
        </Alert>
        <p className="form__aside">
          <Link to={paths.auth.signIn.getHref()}>Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="form" onSubmit={form.onSubmit({ email })} noValidate aria-describedby="forgot-status">
      <FormStatus id="forgot-status" formErrorTitle="Could not send the link" {...form.statusProps({ email })} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={form.fieldErrors.email}
        required
      />
      <Button type="submit" isLoading={request.isPending} className="btn--block">
        Email me a reset link
      </Button>
      <p className="form__aside">
        Remembered it? <Link to={paths.auth.signIn.getHref()}>Sign in</Link>
      </p>
    </form>
  );
}
