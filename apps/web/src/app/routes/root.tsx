import { Outlet, isRouteErrorResponse, useNavigation, useRevalidator, useRouteError } from 'react-router';

import { ErrorPanel } from '@/components/errors/error-panel';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Spinner } from '@/components/ui/spinner';

export function RootLayout() {
  const navigation = useNavigation();
  return (
    <>
      {/* A thin bar rather than a blank screen while the next route's data loads. */}
      {navigation.state === 'loading' ? <div className="route-progress" aria-hidden="true" /> : null}
      <Outlet />
    </>
  );
}

export function AppLoading() {
  return (
    <div className="app-loading">
      <Spinner label="Loading Hand on Heart…" />
    </div>
  );
}

/** Catches what a loader or a page throws, including "server unreachable" on the first load. */
export function RootErrorBoundary() {
  const error = useRouteError();
  const revalidator = useRevalidator();

  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <PublicLayout>
        <h1>Page not found</h1>
        <p>
          Check the address, or <a href="/">go to the overview</a>.
        </p>
      </PublicLayout>
    );
  }

  return (
    <PublicLayout width="wide">
      <ErrorPanel
        error={error}
        onRetry={() => void revalidator.revalidate()}
        isRetrying={revalidator.state === 'loading'}
      />
    </PublicLayout>
  );
}
