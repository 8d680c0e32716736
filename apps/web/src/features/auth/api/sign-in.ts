import { MeResponseSchema } from '@hoh/contracts';
import type { MeResponse, SignInRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

import { meQueryKey } from './get-me';

export async function signIn(body: SignInRequest): Promise<MeResponse> {
  const me = await apiClient.post('/api/v1/auth/sign-in', body, MeResponseSchema);
  // Sign-in starts a new session, so the token from any earlier /me is already void.
  setCsrfToken(me.csrfToken);
  return me;
}

export function useSignIn(options?: { onSuccess?: (me: MeResponse) => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: async (me) => {
      // A different user may have been signed in on this tab before: drop their cached data.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
      await options?.onSuccess?.(me);
    },
  });
}
