import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';

import { createQueryClient } from '@/lib/query-client';

/** Renders one component with a fresh QueryClient (retries off), without the router. */
export function renderWithClient(ui: ReactElement) {
  const queryClient = createQueryClient({ queries: { retry: false } });
  const utils = render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
  return { ...utils, queryClient };
}
