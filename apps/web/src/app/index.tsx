import { useState } from 'react';
// From `react-router`, not `react-router/dom`: under vitest the two specifiers load different
// builds (ESM vs CJS) with separate router contexts, and we only use flushSync-free navigation.
import { RouterProvider } from 'react-router';

import { paths } from '@/config/paths';
import { getMeQueryOptions } from '@/features/auth/api/get-me';
import { createQueryClient } from '@/lib/query-client';

import { AppProvider } from './provider';
import { createAppRouter } from './router';

const PUBLIC_PATHS = [paths.auth.signIn.path, paths.auth.signUp.path, paths.verifyReport.path, '/invitations/', paths.foundSuspectedMaterial.path];

/**
 * Every signed-in screen starts by asking who the user is; ask now, while the route's code is still
 * loading, instead of after it (the overview's largest paint waited on that chain: web.lcp.ms).
 * Public pages skip it, so a signed-out visitor sends no request that is bound to fail.
 */
function prefetchSignedInUser(queryClient: ReturnType<typeof createQueryClient>, pathname: string): void {
  if (PUBLIC_PATHS.some((p) => pathname.startsWith(p))) return;
  void queryClient.prefetchQuery(getMeQueryOptions());
}

export function App() {
  // Created once per mount so a test or a hot reload never shares cache with another tree.
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    prefetchSignedInUser(client, window.location.pathname);
    return client;
  });
  const [router] = useState(() => createAppRouter(queryClient));
  return (
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
