import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiUnreachableBanner } from '../../components/errors/api-unreachable-banner';
import { PublicLayout } from '../../components/layouts/public-layout';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Card } from '../../components/ui/card';
import { Spinner } from '../../components/ui/spinner';
import { TextField } from '../../components/ui/text-field';
import { paths } from '../../config/paths';
import { getMeQueryOptions } from '../../features/auth/api/get-me';
import { selectOrganisation } from '../../features/auth/hooks/use-current-membership';
import { useAcceptInvitation } from '../../features/members/api/invitations';
import { ApiError, describeError } from '../../lib/api-client';
import { fieldErrorsFromApiError } from '../../lib/form-errors';
import { ROLE_LABELS } from '../../lib/permissions';


/**
 * The link an owner passes on. Signed in: one button joins. Signed out: name, email and a new
 * password create the account, join and sign in.
 */
export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const me = useQuery({ ...getMeQueryOptions(), retry: false });
  const accept = useAcceptInvitation(token);
  const [values, setValues] = useState({ name: '', email: '', password: '' });
  const server = fieldErrorsFromApiError(accept.error, ['name', 'email', 'password']);
  const signedIn = me.data !== undefined;

  const done = (organisationId: string) => {
    selectOrganisation(organisationId);
    void navigate(paths.app.overview.getHref(), { replace: true });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate(signedIn ? {} : values, { onSuccess: (r) => done(r.organisationId) });
  };
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const formError = accept.error && Object.keys(server.fields).length === 0 ? describeError(accept.error) : null;
  const emailInUse = accept.error instanceof ApiError && accept.error.code === 'EMAIL_IN_USE';

  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="accept-title">
        <h1 id="accept-title">Accept your invitation</h1>
        {me.isPending ? <Spinner label="Checking whether you are signed in…" /> : null}
        {accept.data ? <p role="status">Joined as {ROLE_LABELS[accept.data.role]}. Opening the overview…</p> : null}
        {formError ? (
          <Alert tone="error" title="The invitation was not accepted">
            {formError}
            {emailInUse ? (
              <p>
                <Link to={paths.auth.signIn.getHref(paths.acceptInvitation.getHref(token))}>Sign in with that address</Link>, then open this link
                again.
              </p>
            ) : null}
          </Alert>
        ) : null}
        {!me.isPending && signedIn ? (
          <form onSubmit={submit}>
            <p className="auth-card__lead">
              You are signed in as <strong>{me.data.user.email}</strong>. Join the organisation that invited you with this account?
            </p>
            <Button type="submit" isLoading={accept.isPending}>
              Join the organisation
            </Button>
          </form>
        ) : null}
        {!me.isPending && !signedIn ? (
          <form onSubmit={submit} noValidate>
            <p className="auth-card__lead">Create your account to join. Use the email address the invitation was sent for.</p>
            <TextField label="Your name" autoComplete="name" value={values.name} onChange={set('name')} error={server.fields['name']} />
            <TextField label="Email" type="email" autoComplete="email" value={values.email} onChange={set('email')} error={server.fields['email']} />
            <TextField
              label="Password"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters; a passphrase of several words is easiest."
              value={values.password}
              onChange={set('password')}
              error={server.fields['password']}
            />
            <Button type="submit" isLoading={accept.isPending} className="btn--block">
              Create account and join
            </Button>
            <p className="muted small">
              Already have an account? <Link to={paths.auth.signIn.getHref(paths.acceptInvitation.getHref(token))}>Sign in first</Link>, then open this
              link again.
            </p>
          </form>
        ) : null}
      </Card>
    </PublicLayout>
  );
}
