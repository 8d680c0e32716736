import { QueryClient } from '@tanstack/react-query';
import type { DefaultOptions } from '@tanstack/react-query';

import { ApiError, ApiContractError } from './api-client';

// A 4xx or a contract mismatch will answer the same way next time, so retrying only delays the
// message; an outage or 5xx may clear, so one quiet retry is worth it.
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) {
    return false;
  }
  if (error instanceof ApiContractError) {
    return false;
  }
  return failureCount < 1;
}

export const queryConfig = {
  queries: {
    retry: shouldRetry,
    staleTime: 30_000,
    refetchOnWindowFocus: false,
  },
  mutations: {
    retry: false,
  },
} satisfies DefaultOptions;

export function createQueryClient(overrides?: DefaultOptions): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { ...queryConfig.queries, ...overrides?.queries },
      mutations: { ...queryConfig.mutations, ...overrides?.mutations },
    },
  });
}
