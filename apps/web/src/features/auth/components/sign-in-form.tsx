import { SignInRequestSchema } from '@hoh/contracts';
import type { MeResponse } from '@hoh/contracts';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { Alert } from '../../../components/ui/alert';
import { ApiUnreachablePanel } from '../../../components/ui/api-unreachable-panel';
import { Button } from '../../../components/ui/button';
import { TextField } from '../../../components/ui/text-field';
import { paths } from '../../../config/paths';
import { ApiUnreachableError, describeError } from '../../../lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '../../../lib/form-errors';
import type { FieldErrors } from '../../../lib/form-errors';
import { useSignIn } from '../api/sign-in';

const FIELDS = ['email', 'password'] as const;

export function SignInForm({ onSuccess }: { onSuccess: (me: MeResponse) => void | Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const errorSummaryRef = useRef<HTMLDivElement>(null);
  const signIn = useSignIn({ onSuccess });

  const server = fieldErrorsFromApiError(signIn.error, FIELDS);
  const fieldErrors: FieldErrors = { ...server.fields, ...clientErrors };
  const unreachable = signIn.error instanceof ApiUnreachableError ? signIn.error : null;
  // Field-level 400s are shown beside their inputs; anything else gets one message on top.
  const formMessage =
    signIn.error && !unreachable && Object.keys(server.fields).length === 0
      ? describeError(signIn.error)
      : null;

  const submit = () => {
    const parsed = SignInRequestSchema.safeParse({ email, password });
    if (!parsed.success) {
      signIn.reset();
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    signIn.mutate(parsed.data, {
      // Move focus to the message so keyboard and screen-reader users hear why it failed.
      onError: () => requestAnimationFrame(() => errorSummaryRef.current?.focus()),
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby="sign-in-status">
      <div id="sign-in-status" ref={errorSummaryRef} tabIndex={-1} className="form__status">
        {unreachable ? (
          <ApiUnreachablePanel
            code={unreachable.code}
            status={unreachable.status}
            onRetry={submit}
            isRetrying={signIn.isPending}
          />
        ) : null}
        {formMessage ? <Alert tone="error" title="Could not sign you in">{formMessage}</Alert> : null}
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
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        required
      />
      <Button type="submit" isLoading={signIn.isPending} className="btn--block">
        Sign in
      </Button>
      <p className="form__aside">
        New to Hand on Heart? <Link to={paths.auth.signUp.getHref()}>Create an organisation account</Link>
      </p>
    </form>
  );
}
