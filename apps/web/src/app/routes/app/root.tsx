import type { QueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, redirect, useLocation, useNavigate } from 'react-router';
import type { LoaderFunctionArgs } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { AppShell } from '@/components/layouts/app-shell';
import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { sections } from '@/config/sections';
import { EmailVerificationBanner } from '@/features/account/components/email-verification-banner';
import { getMeQueryOptions, useMe } from '@/features/auth/api/get-me';
import { useSignOut } from '@/features/auth/api/sign-out';
import { selectOrganisation, useSelectedOrganisationId } from '@/features/auth/hooks/use-current-membership';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { ApiError, describeError } from '@/lib/api-client';

export const clientLoader =
  (queryClient: QueryClient) =>
  async ({ request }: LoaderFunctionArgs) => {
    try {
      await queryClient.ensureQueryData(getMeQueryOptions());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        const url = new URL(request.url);
        // react-router's loader contract: a thrown Response is how a loader redirects.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw redirect(paths.auth.signIn.getHref(`${url.pathname}${url.search}`));
      }
      // Anything else (server unreachable, contract mismatch) goes to the root error boundary.
      throw error;
    }
    return null;
  };

export function Component() {
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut({
    onSuccess: () => navigate(paths.auth.signIn.getHref(), { replace: true }),
  });
  // While signing out, the cleared cache must not make the shell fetch /me again and race the
  // sign-out navigation with its own redirect.
  const signingOut = signOut.isPending || signOut.isSuccess;
  const me = useMe({ enabled: !signingOut });
  const selectedOrgId = useSelectedOrganisationId();

  // The session can end while the page is open (expiry, sign-out in another tab).
  if (!signingOut && me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={paths.auth.signIn.getHref(location.pathname)} replace />;
  }
  if (!me.data) {
    return (
      <div className="app-loading">
        <Spinner label={signingOut ? 'Signing you out…' : 'Loading your account…'} />
      </div>
    );
  }

  const membership = me.data.memberships.find((m) => m.organisationId === selectedOrgId) ?? me.data.memberships[0];
  return (
    <AppShell
      userName={me.data.user.name}
      organisationName={membership?.organisationName ?? null}
      role={membership?.role ?? null}
      organisations={me.data.memberships.map((m) => ({ id: m.organisationId, name: m.organisationName }))}
      currentOrganisationId={membership?.organisationId ?? null}
      onSelectOrganisation={(id) => {
        selectOrganisation(id);
        // Drop the other organisation's ?assessment= and go to its overview.
        void navigate(paths.app.overview.getHref());
      }}
      sections={sections}
      onSignOut={() => signOut.mutate()}
      isSigningOut={signOut.isPending}
      notifications={membership ? <NotificationBell key={membership.organisationId} orgId={membership.organisationId} /> : null}
      banner={
        <>
          <ApiUnreachableBanner />
          {me.data.emailVerified ? null : <EmailVerificationBanner email={me.data.user.email} />}
          {signOut.error ? (
            <Alert tone="error" title="Could not sign you out">
              {describeError(signOut.error)}
            </Alert>
          ) : null}
        </>
      }
    >
      {membership ? (
        // Remount everything below on an organisation switch, so no screen keeps the other's state.
        <Outlet key={membership.organisationId} />
      ) : (
        <Alert tone="warning" title="You are not a member of any organisation">
          Ask your organisation&apos;s owner to invite you, or sign out and create a new organisation.
        </Alert>
      )}
    </AppShell>
  );
}
