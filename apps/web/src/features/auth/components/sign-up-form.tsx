import { SignUpRequestSchema } from '@hoh/contracts';
import type { MeResponse } from '@hoh/contracts';
import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { useContractForm } from '@/lib/use-contract-form';
import { useSignUp } from '../api/sign-up';
import '../auth.css';

const FIELDS = ['name', 'organisationName', 'email', 'password'] as const;

export function SignUpForm({ onSuccess }: { onSuccess: (me: MeResponse) => void | Promise<void> }) {
  const [values, setValues] = useState({ name: '', organisationName: '', email: '', password: '' });
  const signUp = useSignUp({ onSuccess });
  const emailInUse = signUp.error instanceof ApiError && signUp.error.code === 'EMAIL_IN_USE' ? signUp.error : null;
  const form = useContractForm({
    schema: SignUpRequestSchema,
    mutation: signUp,
    fields: FIELDS,
    extraFieldErrors: emailInUse ? { email: emailInUse.message } : {},
  });
  const { fieldErrors } = form;

  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  return (
    <form className="form" onSubmit={form.onSubmit(values)} noValidate aria-describedby="sign-up-status">
      <FormStatus id="sign-up-status" formErrorTitle="Could not create the account" {...form.statusProps(values)}>
        {emailInUse ? (
          <Alert tone="error" title="That email already has an account">
            <Link to={paths.auth.signIn.getHref()}>Sign in instead</Link>, or ask your organisation&apos;s owner
            to invite you.
          </Alert>
        ) : null}
      </FormStatus>
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        value={values.name}
        onChange={set('name')}
        error={fieldErrors.name}
        required
      />
      <TextField
        label="Organisation"
        name="organisationName"
        autoComplete="organization"
        hint="The organisation whose platforms and devices you are assessing. You become its owner."
        value={values.organisationName}
        onChange={set('organisationName')}
        error={fieldErrors.organisationName}
        required
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        value={values.email}
        onChange={set('email')}
        error={fieldErrors.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A passphrase of several words is easiest to remember."
        value={values.password}
        onChange={set('password')}
        error={fieldErrors.password}
        required
      />
      <Button type="submit" isLoading={signUp.isPending} className="btn--block">
        Create account
      </Button>
      <p className="form__aside">
        Already have an account? <Link to={paths.auth.signIn.getHref()}>Sign in</Link>
      </p>
    </form>
  );
}
