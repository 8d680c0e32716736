import { SignInResponseSchema } from '@hoh/contracts';
import type { MeResponse, SecondFactorChallenge, SignInRequest, SignInResponse } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

import { meQueryKey } from './get-me';

/** Signed in, or (an account with a second factor) the challenge its second step completes (docs/PRODUCT.md §2.7). */
export async function signIn(body: SignInRequest): Promise<SignInResponse> {
  const answer = await apiClient.post('/api/v1/auth/sign-in', body, SignInResponseSchema);
  // Sign-in starts a new session, so the token from any earlier /me is already void.
  if (!('secondFactorRequired' in answer)) setCsrfToken(answer.csrfToken);
  return answer;
}

export function useSignIn(options?: { onSuccess?: (me: MeResponse) => void | Promise<void>; onChallenge?: (challenge: SecondFactorChallenge) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: async (answer) => {
      if ('secondFactorRequired' in answer) {
        options?.onChallenge?.(answer);
        return;
      }
      // A different user may have been signed in on this tab before: drop their cached data.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, answer);
      await options?.onSuccess?.(answer);
    },
  });
}
