import { useState } from 'react';
// From `react-router`, not `react-router/dom`: under vitest the two specifiers load different
// builds (ESM vs CJS) with separate router contexts, and we only use flushSync-free navigation.
import { RouterProvider } from 'react-router';

import { createQueryClient } from '../lib/query-client';

import { AppProvider } from './provider';
import { createAppRouter } from './router';

export function App() {
  // Created once per mount so a test or a hot reload never shares cache with another tree.
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createAppRouter(queryClient));
  return (
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
