import { MeResponseSchema } from '@hoh/contracts';
import type { MeResponse, SecondFactorSignInRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

import { meQueryKey } from './get-me';

/** The second step of a sign-in with a code from the authenticator app or a recovery code (docs/PRODUCT.md §2.7). */
export async function signInWithCode(body: SecondFactorSignInRequest): Promise<MeResponse> {
  const me = await apiClient.post('/api/v1/auth/sign-in/second-factor', body, MeResponseSchema);
  setCsrfToken(me.csrfToken);
  return me;
}

export function useSecondFactorSignIn(onSignedIn: (me: MeResponse) => void | Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signInWithCode,
    onSuccess: async (me) => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
      await onSignedIn(me);
    },
  });
}
