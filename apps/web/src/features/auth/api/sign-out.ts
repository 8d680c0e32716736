import { useMutation, useQueryClient } from '@tanstack/react-query';

import { ApiError, apiClient, setCsrfToken } from '@/lib/api-client';

export async function signOut(): Promise<void> {
  try {
    await apiClient.post('/api/v1/auth/sign-out', undefined, null);
  } catch (error) {
    // Already signed out (session expired): the outcome the user asked for, so not an error.
    if (error instanceof ApiError && error.status === 401) {
      return;
    }
    throw error;
  }
}

export function useSignOut(options?: { onSuccess?: () => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: async () => {
      setCsrfToken(null);
      // Drop everything before navigating: no organisation data outlives the session in memory,
      // and the sign-in route must not find a cached /me and bounce back. Clearing after the
      // navigation instead would cancel the sign-in loader's own /me request mid-flight.
      await queryClient.cancelQueries();
      queryClient.clear();
      await options?.onSuccess?.();
    },
  });
}
