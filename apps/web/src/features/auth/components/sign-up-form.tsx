import { SignUpRequestSchema } from '@hoh/contracts';
import type { MeResponse } from '@hoh/contracts';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { Alert } from '../../../components/ui/alert';
import { ApiUnreachablePanel } from '../../../components/ui/api-unreachable-panel';
import { Button } from '../../../components/ui/button';
import { TextField } from '../../../components/ui/text-field';
import { paths } from '../../../config/paths';
import { ApiError, ApiUnreachableError, describeError } from '../../../lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '../../../lib/form-errors';
import type { FieldErrors } from '../../../lib/form-errors';
import { useSignUp } from '../api/sign-up';

const FIELDS = ['name', 'organisationName', 'email', 'password'] as const;

export function SignUpForm({ onSuccess }: { onSuccess: (me: MeResponse) => void | Promise<void> }) {
  const [values, setValues] = useState({ name: '', organisationName: '', email: '', password: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const statusRef = useRef<HTMLDivElement>(null);
  const signUp = useSignUp({ onSuccess });

  const server = fieldErrorsFromApiError(signUp.error, FIELDS);
  const emailInUse = signUp.error instanceof ApiError && signUp.error.code === 'EMAIL_IN_USE';
  const fieldErrors: FieldErrors = {
    ...server.fields,
    ...(emailInUse && signUp.error ? { email: signUp.error.message } : {}),
    ...clientErrors,
  };
  const unreachable = signUp.error instanceof ApiUnreachableError ? signUp.error : null;
  const formMessage =
    signUp.error && !unreachable && !emailInUse && Object.keys(server.fields).length === 0
      ? describeError(signUp.error)
      : null;

  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = () => {
    const parsed = SignUpRequestSchema.safeParse(values);
    if (!parsed.success) {
      signUp.reset();
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    signUp.mutate(parsed.data, {
      onError: () => requestAnimationFrame(() => statusRef.current?.focus()),
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby="sign-up-status">
      <div id="sign-up-status" ref={statusRef} tabIndex={-1} className="form__status">
        {unreachable ? (
          <ApiUnreachablePanel
            code={unreachable.code}
            status={unreachable.status}
            onRetry={submit}
            isRetrying={signUp.isPending}
          />
        ) : null}
        {emailInUse ? (
          <Alert tone="error" title="That email already has an account">
            <Link to={paths.auth.signIn.getHref()}>Sign in instead</Link>, or ask your organisation&apos;s owner
            to invite you.
          </Alert>
        ) : null}
        {formMessage ? <Alert tone="error" title="Could not create the account">{formMessage}</Alert> : null}
        {server.form.length > 0 ? (
          <Alert tone="error" title="Please check the form">
            <ul>
              {server.form.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
      </div>
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
