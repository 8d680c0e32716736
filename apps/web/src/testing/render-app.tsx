import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
// From `react-router`, not `react-router/dom`: under vitest the two specifiers load different
// builds (ESM vs CJS) with separate router contexts, and we only use flushSync-free navigation.
import { RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { createRoutes } from '@/app/router';
import { createQueryClient } from '@/lib/query-client';

/** Renders the real route tree at `path`, with retries off so failures show at once. */
export function renderApp(path: string) {
  const queryClient = createQueryClient({ queries: { retry: false } });
  const router = createMemoryRouter(createRoutes(queryClient), { initialEntries: [path] });
  const utils = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...utils, router, queryClient };
}
