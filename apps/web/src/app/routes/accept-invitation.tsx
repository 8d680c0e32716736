import type { InvitationPreview, Role } from '@hoh/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { getMeQueryOptions } from '@/features/auth/api/get-me';
import { selectOrganisation } from '@/features/auth/hooks/use-current-membership';
import { useSignOut } from '@/features/auth/api/sign-out';
import { useInvitationPreview } from '@/features/members/api/get-invitation-preview';
import { useAcceptInvitation } from '@/features/members/api/invitations';
import { ApiError, describeError } from '@/lib/api-client';
import { fieldErrorsFromApiError } from '@/lib/form-errors';
import { ROLE_LABELS } from '@/lib/permissions';

/** What each role may do, in the words an invitee needs to decide whether to accept. */
const ROLE_MEANS: Record<Role, string> = {
  owner: 'runs the organisation: members, settings, answers, reviews and sign-off',
  assessor: 'answers and reviews the questionnaire, manages evidence and actions',
  contributor: 'answers the questions assigned to you and attaches evidence',
  auditor: 'reads everything and records independent verification; changes nothing else',
};

function InvitationFacts({ preview }: { preview: InvitationPreview }) {
  return (
    <dl className="invitation-facts" data-testid="invitation-facts">
      <dt>Organisation</dt>
      <dd>
        <strong>{preview.organisationName}</strong>
      </dd>
      <dt>Your role</dt>
      <dd>
        {ROLE_LABELS[preview.role]}: {ROLE_MEANS[preview.role]}
      </dd>
      <dt>Invited by</dt>
      <dd>{preview.inviterName ?? 'an owner whose account has since been removed'}</dd>
      <dt>Expires</dt>
      <dd>
        <time dateTime={preview.expiresAt}>{new Date(preview.expiresAt).toLocaleString()}</time>
      </dd>
    </dl>
  );
}

/**
 * The link an owner passes on. It first says what it is (organisation, role, inviter, expiry: GET
 * /api/v1/invitations/{token}). Signed in: one button joins. Signed out: name and a new password
 * create the account, join and sign in; the email is the invited address, filled in and fixed.
 */
export function Component() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const me = useQuery({ ...getMeQueryOptions(), retry: false });
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation(token);
  // A full load afterwards: the page starts again signed out, with the invitation read afresh.
  const signOut = useSignOut({ onSuccess: () => window.location.assign(paths.acceptInvitation.getHref(token)) });
  const [values, setValues] = useState({ name: '', password: '' });
  const server = fieldErrorsFromApiError(accept.error, ['name', 'email', 'password']);
  const signedIn = me.data !== undefined;
  const invitedEmail = preview.data?.email;
  const otherAccount = signedIn && invitedEmail !== undefined && me.data.user.email !== invitedEmail;

  const done = (organisationId: string) => {
    selectOrganisation(organisationId);
    void navigate(paths.app.overview.getHref(), { replace: true });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invitedEmail) {
      return;
    }
    accept.mutate(signedIn ? {} : { ...values, email: invitedEmail }, { onSuccess: (r) => done(r.organisationId) });
  };
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const formError = accept.error && Object.keys(server.fields).length === 0 ? describeError(accept.error) : null;
  const emailInUse = accept.error instanceof ApiError && accept.error.code === 'EMAIL_IN_USE';

  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="accept-title">
        <h1 id="accept-title">{preview.data ? `Join ${preview.data.organisationName}` : 'Accept your invitation'}</h1>
        {me.isPending || preview.isPending ? <Spinner label="Reading the invitation…" /> : null}
        {preview.error ? (
          <Alert tone="error" title="This invitation cannot be used">
            {describeError(preview.error)}
            {preview.error instanceof ApiError && preview.error.code === 'INVALID_STATE' ? (
              <p>
                <Link to={paths.auth.signIn.getHref()}>Sign in</Link>
              </p>
            ) : null}
          </Alert>
        ) : null}
        {preview.data ? (
          <p className="auth-card__lead">
            {preview.data.inviterName ?? 'An owner'} invites you to join <strong>{preview.data.organisationName}</strong> on Hand on Heart as{' '}
            {ROLE_LABELS[preview.data.role].toLowerCase()}.
          </p>
        ) : null}
        {preview.data ? <InvitationFacts preview={preview.data} /> : null}
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
        {preview.data && !me.isPending && otherAccount ? (
          <Alert tone="warning" title="Signed in as someone else">
            <p>
              You are signed in as <strong>{me.data.user.email}</strong>, but this invitation is for <strong>{preview.data.email}</strong>. Sign out, then
              open this link again to join as {preview.data.email}.
            </p>
            <Button variant="secondary" isLoading={signOut.isPending} onClick={() => signOut.mutate()}>
              Sign out
            </Button>
          </Alert>
        ) : null}
        {preview.data && !me.isPending && signedIn && !otherAccount ? (
          <form onSubmit={submit}>
            <p className="auth-card__lead">
              You are signed in as <strong>{me.data.user.email}</strong>. Join {preview.data.organisationName} with this account?
            </p>
            <Button type="submit" isLoading={accept.isPending}>
              Join {preview.data.organisationName}
            </Button>
          </form>
        ) : null}
        {preview.data && !me.isPending && !signedIn ? (
          <form onSubmit={submit} noValidate>
            <p>Create your account to join.</p>
            <TextField label="Your name" autoComplete="name" value={values.name} onChange={set('name')} error={server.fields['name']} />
            <TextField
              label="Email"
              type="email"
              autoComplete="username"
              value={preview.data.email}
              readOnly
              aria-readonly="true"
              hint="The address this invitation was sent to; your account uses it."
              error={server.fields['email']}
            />
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
